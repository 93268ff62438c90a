import { readFileSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { digestEntries, findIgnoreFile, loadIgnorePatterns, walkContext } from './context';
import { listBaseImages } from './dockerfile';
import { computeInputsHash } from './hash';
import { findLocalImageIds } from './image-store';

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
    findLocalImageIds(listBaseImages(dockerfile.toString('utf8'), request.buildArgs).map((base) => base.ref)),
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
