import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { digestEntries, findIgnoreFile, loadIgnorePatterns, walkContext } from './context';
import { listBaseImages } from './dockerfile';
import { computeInputsHash } from './hash';
import { findLocalImageIdentity } from './image-store';
import { findRecordedHash } from './record';

export interface BuildInputsRequest {
  readonly dockerfile: string;
  readonly context: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly platforms: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly upstreamHashes?: Readonly<Record<string, string>>;
  /**
   * Absolute folders whose files are not hashed even when the context sends them: nx-buildkit's own build records,
   * which change on every run and would otherwise make a workspace-root context never skip.
   */
  readonly unhashedDirs?: readonly string[];
  /** Inputs hashes of images being built in the same run (batch mode), by image reference. */
  readonly knownImageHashes?: Readonly<Record<string, string>>;
  /** Folder of build records: a FROM image built by another project of this workspace is found there by tag. */
  readonly recordDir?: string;
}

export interface BuildInputs {
  readonly hash: string;
  readonly fileCount: number;
  readonly baseImages: readonly string[];
}

/** Reads everything the build will consume and hashes it (see computeInputsHash for what counts). */
export async function computeBuildInputs(request: BuildInputsRequest): Promise<BuildInputs> {
  const dockerfile = readFileSync(request.dockerfile);
  const ignoreFile = findIgnoreFile(request.context, request.dockerfile);
  const unhashed = (request.unhashedDirs ?? [])
    .map((dir) => relative(request.context, dir).split(sep).join('/'))
    .filter((rel) => rel && rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
  const entries = walkContext(request.context, loadIgnorePatterns(ignoreFile)).filter(
    (entry) => !unhashed.some((dir) => entry.path === dir || entry.path.startsWith(`${dir}/`)),
  );
  const [digests, baseImageIds] = await Promise.all([
    digestEntries(request.context, entries),
    identifyBaseImages(listBaseImages(dockerfile.toString('utf8'), request.buildArgs).map((base) => base.ref), request),
  ]);
  const hash = computeInputsHash({
    dockerfile,
    ignoreFile: ignoreFile.path ? ignoreFile.text : undefined,
    entries,
    digests,
    buildArgs: request.buildArgs,
    target: request.target,
    platforms: request.platforms,
    labels: request.labels,
    baseImageIds,
    upstreamHashes: request.upstreamHashes,
  });
  return { hash, fileCount: entries.filter((e) => e.type !== 'dir').length, baseImages: Object.keys(baseImageIds) };
}

/**
 * What stands for each FROM image in the hash. An image nx-buildkit built (this run, a label, or a record of this
 * workspace) is named by its inputs hash, which is the same on every machine; any other image by its local ID, so a
 * re-pulled base changes the hash; an image the engine does not have, by its absence.
 */
async function identifyBaseImages(refs: readonly string[], request: BuildInputsRequest): Promise<Record<string, string | undefined>> {
  const identities = await Promise.all(
    refs.map(async (ref) => {
      const known = request.knownImageHashes?.[ref] ?? request.knownImageHashes?.[withLatest(ref)];
      if (known) return `nxb:${known}`;
      const local = await findLocalImageIdentity(ref);
      if (local?.inputsHash) return `nxb:${local.inputsHash}`;
      const recorded = request.recordDir ? findRecordedHash(request.recordDir, withLatest(ref)) : undefined;
      if (recorded) return `nxb:${recorded}`;
      return local?.id;
    }),
  );
  return Object.fromEntries(refs.map((ref, i) => [ref, identities[i]]));
}

/** `api-base` means `api-base:latest` to Docker. */
export function withLatest(ref: string): string {
  const lastSlash = ref.lastIndexOf('/');
  return ref.includes('@') || ref.lastIndexOf(':') > lastSlash ? ref : `${ref}:latest`;
}
