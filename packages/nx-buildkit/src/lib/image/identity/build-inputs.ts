import { lstatSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { posixRelative } from '../../context/paths';
import { BaseIdentity, BaseIdentityResolver, formatBaseIdentity } from './base-identity';
import { contextReadSet, DigestCache, digestEntries, findExcludedSources, findIgnoreFile, findMissingSources, loadIgnorePatterns, readsPath, readTextFromDisk, walkContext } from '../../context';
import { ContextRead, listBaseImages, listContextReads, parseDockerfile, ParsedDockerfile } from '../../dockerfile';
import { computeInputsHash } from './hash';
import { buildInputsManifest, InputsManifest } from './inputs-manifest';
import { canonicalReference } from './image-ref';
import { compareCodeUnits } from '../../compare-text';

export interface BuildInputsRequest {
  readonly dockerfile: string;
  readonly context: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly platforms: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** `pull: true`: bases are identified by what their registry holds now, as BuildKit will fetch them. */
  readonly pull: boolean;
  /**
   * Absolute folders whose files are not hashed even when the context sends them: nx-buildkit's own build records,
   * which change on every run and would otherwise make a workspace-root context never skip.
   */
  readonly unhashedDirs?: readonly string[];
  /** Inputs hashes of images being built in the same run (batch mode), by canonical image reference. */
  readonly knownImageHashes?: Readonly<Record<string, string>>;
  /**
   * The identity of a FROM image that a build target of this workspace makes (its inputs hash, from the checkout), or
   * undefined when no build target makes it.
   */
  readonly workspaceImage?: (ref: string) => Promise<BaseIdentity> | undefined;
  /**
   * The inputs hash the build records give a tag (RunState.recordedHash, which reads the record folder once per run): a
   * FROM image built by this workspace under a name no build target gives it is found there.
   */
  readonly recordedHash?: (ref: string) => string | undefined;
  /** Digests of unchanged files from earlier runs (a no-op stats files instead of reading them). */
  readonly digestCache?: DigestCache;
  /** Identifies the FROM images; one per run, so each distinct base is looked up once. */
  readonly baseIdentities: BaseIdentityResolver;
  /**
   * Named build contexts (`--build-context name=dir`) by name: every file of each is hashed, as `name://path` (a
   * context path never starts so), since the build can read any of them.
   */
  readonly namedContexts?: Readonly<Record<string, string>>;
  /** What builds the image (docker when undefined): part of the hash for any other engine (see HashInputs.engine). */
  readonly engine?: string;
  /** Where the Dockerfile's bytes and model come from (RunState.dockerfiles: once per run); the disk when undefined. */
  readonly dockerfiles?: DockerfileSource;
}

/** The bytes of a Dockerfile and its model for a set of build args (lib/image/run-dockerfiles.ts keeps them per run). */
export interface DockerfileSource {
  bytes(path: string): Buffer;
  model(path: string, buildArgs?: Readonly<Record<string, string>>): ParsedDockerfile;
}

const fromDisk: DockerfileSource = {
  bytes: (path) => readFileSync(path),
  model: (path, buildArgs) => parseDockerfile(readFileSync(path, 'utf8'), buildArgs),
};

export interface BuildInputs {
  readonly hash: string;
  /** Files of the context that were hashed: the ones the Dockerfile reads. */
  readonly fileCount: number;
  /** Each external FROM image with the identity that was hashed (see formatBaseIdentity). */
  readonly bases: Readonly<Record<string, string>>;
  /** Why the skip check cannot decide (a base whose identity is unknown); undefined when it can. */
  readonly undecidedBecause?: string;
  /** What was hashed, file by file, for "why did it rebuild" (lib/image/identity/inputs-manifest.ts). */
  readonly manifest: InputsManifest;
  /** COPY/ADD/bind-mount sources that name nothing in the context (lib/context/missing-sources.ts). */
  readonly missingSources: readonly ContextRead[];
  /** Sources on disk that the ignore file keeps out of the context, and that ignore file (context-relative). */
  readonly excludedSources: { readonly reads: readonly ContextRead[]; readonly ignoreFile?: string };
}

/** The external FROM images of a Dockerfile after ARG substitution (an unreadable file has none: planning reports it). */
export function baseImageRefs(request: Pick<BuildInputsRequest, 'dockerfile' | 'buildArgs'>, dockerfiles: DockerfileSource = fromDisk): string[] {
  try {
    return listBaseImages(dockerfiles.model(request.dockerfile, request.buildArgs)).map((base) => base.ref);
  } catch {
    return [];
  }
}

/**
 * Reads everything the build will consume and hashes it (see computeInputsHash for what counts): of the files the
 * context sends, the ones the Dockerfile reads (its COPY/ADD/bind-mount sources), or all of them when that cannot be
 * told before the build.
 */
export async function computeBuildInputs(request: BuildInputsRequest): Promise<BuildInputs> {
  const dockerfiles = request.dockerfiles ?? fromDisk;
  const dockerfile = dockerfiles.bytes(request.dockerfile);
  const model = dockerfiles.model(request.dockerfile, request.buildArgs);
  const reads = listContextReads(model);
  const readSet = contextReadSet(reads);
  const ignoreFile = findIgnoreFile(readTextFromDisk, request.context, request.dockerfile);
  const unhashed = (request.unhashedDirs ?? [])
    .map((dir) => posixRelative(request.context, dir))
    .filter((rel) => rel && rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
  const sent = walkContext(request.context, loadIgnorePatterns(ignoreFile)).filter((entry) => readsPath(readSet, entry.path));
  const entries = sent.filter((entry) => !unhashed.some((dir) => entry.path === dir || entry.path.startsWith(`${dir}/`)));
  const refs = listBaseImages(model).map((base) => base.ref);
  const named = Object.entries(request.namedContexts ?? {}).sort(([a], [b]) => compareCodeUnits(a, b)).map(([name, dir]) => ({ name, dir, entries: walkContext(dir, []) }));
  const [contextDigests, namedDigests, identities] = await Promise.all([
    digestEntries(request.context, entries, undefined, request.digestCache),
    Promise.all(named.map((context) => digestEntries(context.dir, context.entries, undefined, request.digestCache))),
    Promise.all(
      refs.map((ref) => {
        const canonical = canonicalReference(ref);
        return request.baseIdentities.identify(ref, {
          builtThisRun: request.knownImageHashes?.[canonical],
          workspaceImage: request.workspaceImage ? () => request.workspaceImage?.(ref) : undefined,
          recorded: request.recordedHash ? () => request.recordedHash?.(canonical) : undefined,
          pull: request.pull,
        });
      }),
    ),
  ]);
  const bases = Object.fromEntries(refs.map((ref, i) => [ref, formatBaseIdentity(identities[i])]));
  const unknown = refs.flatMap((ref, i) => {
    const identity = identities[i];
    return identity.kind === 'unknown' ? [`base image "${ref}": ${identity.reason}`] : [];
  });
  const allEntries = [...entries, ...named.flatMap((context) => context.entries.map((entry) => ({ ...entry, path: `${context.name}://${entry.path}` })))];
  const digests = [...contextDigests, ...namedDigests.flat()];
  const hashInputs = {
    dockerfile,
    ignoreFile: ignoreFile.path ? ignoreFile.text : undefined,
    entries: allEntries,
    digests,
    buildArgs: request.buildArgs,
    target: request.target,
    platforms: request.platforms,
    labels: request.labels,
    bases,
    engine: request.engine,
  };
  const hash = computeInputsHash(hashInputs);
  // lstat: a link is sent as itself, so a dangling one is not missing.
  const onDisk = (path: string) => lstatSync(join(request.context, path), { throwIfNoEntry: false }) !== undefined;
  // A source the context sends is an entry itself (a file, or a folder the walk lists); only one whose folder is left
  // out while something under it is re-included needs the scan.
  let sentPaths: Set<string> | undefined;
  const isSent = (path: string) => (sentPaths ??= new Set(sent.map((entry) => entry.path))).has(path) || sent.some((entry) => entry.path.startsWith(`${path}/`));
  return {
    hash,
    manifest: buildInputsManifest(hashInputs),
    fileCount: allEntries.filter((e) => e.type !== 'dir').length,
    bases,
    undecidedBecause: unknown.length ? unknown.join('; ') : undefined,
    missingSources: findMissingSources(reads, onDisk).missing,
    excludedSources: {
      reads: ignoreFile.path ? findExcludedSources(reads, onDisk, isSent) : [],
      ignoreFile: ignoreFile.path ? posixRelative(request.context, ignoreFile.path) : undefined,
    },
  };
}
