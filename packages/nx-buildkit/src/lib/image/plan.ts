import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { posixRelative } from '../context/paths';
import { describeRead } from '../context';
import type { ContextRead } from '../dockerfile';
import type { BaseIdentity } from './identity/base-identity';
import { BuildInputs, computeBuildInputs } from './identity/build-inputs';
import { UserFacingError } from '../errors';
import { describeLocalDependencies, unreachableLocalDependencies } from '../local-dependencies';
import { installsNodePackages } from '../dockerfile-analyzer/installs-node-packages';
import { derivePrunedDepsOnce, prunedDepsUpToDate } from '../pruned-deps/derive-once';
import { derivePrunedDeps } from '../pruned-deps/derive-pruned-deps';
import { PRUNED_DEPS_CONTEXT } from '../pruned-deps/layout';
import { readsPrunedDepsContext } from '../pruned-deps/reads-deps-context';
import { installsProductionOnly } from '../pruned-deps/installs-production-only';
import { hashTagFor } from './identity/hash';
import { canonicalReference } from './identity/image-ref';
import { ProgressEvent, StepCounts } from '../engine/progress';
import { readInputsManifest } from './record';
import { describeInputChanges, InputChanges, InputsManifest } from './identity/inputs-manifest';
import { secretLikeBuildArgs } from './options/secrets';
import { normalizeOptions, NormalizedBuildOptions } from './options/normalize-options';
import type { RunState } from './run-state';
import type { RunDockerfiles } from './run-dockerfiles';
import { once } from '../once';

/** Where one image's messages go: the console for a single task, a per-task log in batch mode. */
export interface BuildOutput {
  info(line: string): void;
  warn(line: string): void;
  /**
   * A build step finished or wrote output: an output that shows steps as they happen takes them here, and they are
   * then not passed to `info` as well (the tool's own output lines, `log` events, still are).
   */
  step?(event: ProgressEvent, steps: StepCounts): void;
}

/** An image whose inputs are hashed and whose existence is not checked yet. */
export interface PlannedBuild {
  readonly options: NormalizedBuildOptions;
  readonly hash: string;
  readonly hashTag: string;
  /** `<repository>:<hashTag>` */
  readonly hashRef: string;
  readonly fileCount: number;
  /** Each external FROM image with the identity that was hashed. */
  readonly bases: Readonly<Record<string, string>>;
  /** Set when a base's identity is unknown: the skip check cannot decide, so the image is built. */
  readonly undecidedBecause?: string;
  /** What was hashed. */
  readonly manifest: InputsManifest;
  /** How it differs from the last build of this target (`src/a.py changed`, `first build`): read only when building or explaining, never on the no-op path. */
  changes(): InputChanges;
  readonly started: number;
  /** Named build contexts by name (the pruned dependencies' `deps`), hashed with the rest. */
  readonly buildContexts: Readonly<Record<string, string>>;
  /**
   * FROM images named by an inputs hash this run computed (another image of the workspace), each pinned to the image
   * under that hash: `{ "ghcr.io/acme/base:latest": "docker-image://ghcr.io/acme/base:nxb-…" }`. BuildKit then builds
   * on exactly the parent the hash names, not on whatever `latest` is in the engine or the registry.
   */
  readonly pinnedBases: Readonly<Record<string, string>>;
}

/** Hashes what the build consumes. */
export async function planBuild(options: NormalizedBuildOptions, out: BuildOutput, run: RunState, started = Date.now()): Promise<PlannedBuild> {
  const risky = secretLikeBuildArgs(options.buildArgs);
  if (risky.length) {
    out.warn(
      `${options.projectName}: build arg${risky.length > 1 ? 's' : ''} ${risky.join(', ')} look${risky.length > 1 ? '' : 's'} like ${risky.length > 1 ? 'secrets' : 'a secret'}; build args are stored in the image history. Pass secrets with the "secrets" option (id=…,env=… or id=…,src=…) and RUN --mount=type=secret.`,
    );
  }
  // What podman leaves undone of what the options ask: one line, before anything is built.
  if (options.engineNotice) run.noticeOnce(options.engineNotice);
  const { inputs, buildContexts } = await hashImageInputs(options, run, [targetIdOf(options)], out.warn, true);
  const hashTag = hashTagFor(inputs.hash);
  for (const tag of options.tags) run.knownImageHashes[canonicalReference(tag)] = inputs.hash;
  run.imageRefsByHash.set(inputs.hash, `${options.repository}:${hashTag}`);
  if (inputs.missingSources.length) out.warn(describeMissingSources(options, inputs.missingSources));
  if (inputs.excludedSources.reads.length) out.warn(describeExcludedSources(options, inputs.excludedSources.reads, inputs.excludedSources.ignoreFile ?? '.dockerignore'));
  if (inputs.undecidedBecause) {
    out.warn(`${options.projectName}: cannot tell whether it is unchanged (${inputs.undecidedBecause}); building instead of skipping.`);
  }
  return {
    options,
    hash: inputs.hash,
    hashTag,
    hashRef: `${options.repository}:${hashTag}`,
    fileCount: inputs.fileCount,
    bases: inputs.bases,
    undecidedBecause: inputs.undecidedBecause,
    manifest: inputs.manifest,
    changes: once(() => describeInputChanges(readInputsManifest(options.recordPath, out.warn), inputs.manifest)),
    started,
    buildContexts,
    pinnedBases: pinnedBasesOf(inputs.bases, run),
  };
}

/** One line, before BuildKit runs: the sources the context does not have, where the build would fail. */
export function describeMissingSources(options: Pick<NormalizedBuildOptions, 'projectName' | 'context' | 'workspaceRoot'>, missing: readonly ContextRead[]): string {
  const where = posixRelative(options.workspaceRoot, options.context) || 'the workspace root';
  const several = missing.length > 1;
  return `${options.projectName}: not in the context ${where}: ${missing.map(describeRead).join(', ')}; a build that reaches ${several ? 'them' : 'it'} fails with "not found" (make ${several ? 'them' : 'it'} before the build, or correct the path).`;
}

/** One line for sources the ignore file keeps out: which, which file, and the fix (BuildKit would say only "not found"). */
export function describeExcludedSources(options: Pick<NormalizedBuildOptions, 'projectName' | 'dockerfile' | 'workspaceRoot'>, excluded: readonly ContextRead[], ignoreFile: string): string {
  const several = excluded.length > 1;
  const dockerfile = posixRelative(options.workspaceRoot, options.dockerfile);
  const ownIgnoreFile = `${posix.basename(dockerfile)}.dockerignore`;
  const fix = posix.basename(ignoreFile) === ownIgnoreFile ? `remove the pattern that excludes ${several ? 'them' : 'it'} from ${ignoreFile}` : `remove the pattern that excludes ${several ? 'them' : 'it'}, or give ${dockerfile} an ignore file of its own, ${ownIgnoreFile} beside it`;
  return `${options.projectName}: ${excluded.map(describeRead).join(', ')} ${several ? 'are' : 'is'} on disk but kept out of the context by ${ignoreFile}, where BuildKit cannot see ${several ? 'them' : 'it'}: a build that reaches ${several ? 'them' : 'it'} fails (${fix}).`;
}

/** The bases named by the inputs hash of an image this run hashed, each with the reference of exactly that image. */
function pinnedBasesOf(bases: Readonly<Record<string, string>>, run: RunState): Record<string, string> {
  const pinned: Record<string, string> = {};
  for (const [ref, identity] of Object.entries(bases)) {
    const hashRef = identity.startsWith('nxb:') ? run.imageRefsByHash.get(identity.slice('nxb:'.length)) : undefined;
    if (hashRef) pinned[ref] = `docker-image://${hashRef}`;
  }
  return pinned;
}

/**
 * What an image's inputs hash to: the one computation behind planBuild and behind the identity of a workspace image
 * another one starts FROM. `chain` lists the build targets whose hashing led here, the image being hashed last.
 */
async function hashImageInputs(
  options: NormalizedBuildOptions,
  run: RunState,
  chain: readonly string[],
  report: (line: string) => void,
  /** The image about to be built (not a parent hashed for its identity): its local dependencies must reach it. */
  checkLocalDependencies = false,
): Promise<{ inputs: BuildInputs; buildContexts: Record<string, string> }> {
  // Derived before hashing, so that the hash covers the pruned manifest and lockfile the install reads.
  const pruned = preparePrunedDeps(options, run.dockerfiles, report);
  try {
    const inputs = await computeBuildInputs({
      ...options,
      unhashedDirs: [options.recordDir],
      knownImageHashes: run.knownImageHashes,
      baseIdentities: run.baseIdentities,
      digestCache: run.digestCache(options.recordDir),
      recordedHash: (ref) => run.recordedHash(options.recordDir, ref),
      namedContexts: pruned.contexts,
      workspaceImage: (ref) => identifyWorkspaceImage(ref, run, chain),
      dockerfiles: run.dockerfiles,
    });
    if (checkLocalDependencies && installsNodePackages(run.dockerfiles.model(options.dockerfile))) {
      // Before any build: a file:/link:/portal: dependency whose target the build does not send fails the install
      // inside BuildKit. A Dockerfile that installs no Node packages reads no dependency path: nothing to say.
      const unreachable = unreachableLocalDependencies(Object.keys(inputs.manifest.files), (key) => readManifestOfBuild(options.context, pruned.contexts, key));
      if (unreachable.length) throw new UserFacingError(describeLocalDependencies(options.projectName, unreachable));
    }
    return { inputs, buildContexts: pruned.contexts };
  } finally {
    pruned.dispose();
  }
}

/**
 * A FROM image that a build target of this workspace makes is named by that target's inputs hash in this checkout,
 * hashed with the target's own options as `nx run <project>:<target>` would (recursively, for its own parents).
 * Nothing is looked up or recorded for it: whether it was built, pushed or recorded anywhere does not change it.
 */
function identifyWorkspaceImage(ref: string, run: RunState, chain: readonly string[]): Promise<BaseIdentity> | undefined {
  const { workspaceImages } = run;
  const producer = workspaceImages.producerOf(ref);
  if (!producer) return undefined;
  return workspaceImages.identify(producer, chain, async (parentChain) => {
    const options = normalizeOptions(producer.options, {
      workspaceRoot: workspaceImages.workspaceRoot,
      projectName: producer.project,
      projectRoot: producer.projectRoot,
      targetName: producer.target,
      projectGraph: workspaceImages.projectGraph,
    });
    const { inputs } = await hashImageInputs(options, run, parentChain, run.noticeOnce);
    if (inputs.undecidedBecause) return { kind: 'unknown', reason: `the image of ${producer.id} cannot be identified (${inputs.undecidedBecause})` };
    run.imageRefsByHash.set(inputs.hash, `${options.repository}:${hashTagFor(inputs.hash)}`);
    return { kind: 'inputs-hash', hash: inputs.hash };
  });
}

function targetIdOf(options: NormalizedBuildOptions): string {
  return `${options.projectName}:${options.targetName}`;
}

/** A manifest the build sends: a context path, or `<named context>://<path>`. */
function readManifestOfBuild(context: string, namedContexts: Readonly<Record<string, string>>, key: string): Record<string, Record<string, string>> | undefined {
  const named = /^([a-z0-9_-]+):\/\/(.*)$/i.exec(key);
  const path = named ? (namedContexts[named[1]] === undefined ? undefined : join(namedContexts[named[1]], named[2])) : join(context, key);
  try {
    return path === undefined ? undefined : (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>);
  } catch {
    return undefined;
  }
}

/**
 * A Dockerfile that copies `--from=deps` installs from the app's pruned manifest and lockfile: they are written to
 * `<record folder>/<project>/<target>.deps/` (a folder per target: batch mode may derive two at once) and handed to
 * BuildKit as the `deps` named context. Under --explain, which writes nothing in the workspace, a folder that is not
 * up to date is derived in a temp folder for hashing only (named contexts are hashed by path inside the folder, so
 * the hash is the same) and removed once hashed.
 */
function preparePrunedDeps(options: NormalizedBuildOptions, dockerfiles: RunDockerfiles, report: (line: string) => void): { contexts: Record<string, string>; dispose(): void } {
  const none = { contexts: {}, dispose: () => undefined };
  const dockerfile = dockerfiles.model(options.dockerfile);
  if (!readsPrunedDepsContext(dockerfile)) return none;
  if (!options.projectGraph) {
    throw new UserFacingError(`${options.projectName}: its Dockerfile installs from a pruned lockfile (COPY --from=${PRUNED_DEPS_CONTEXT}), which needs the project graph; run it through nx (nx run ${options.projectName}:${options.targetName}).`);
  }
  const outDir = options.recordPath.replace(/\.json$/, `.${PRUNED_DEPS_CONTEXT}`);
  const request = { workspaceRoot: options.workspaceRoot, projectName: options.projectName, graph: options.projectGraph, outDir, productionOnly: installsProductionOnly(dockerfile) };
  if (!options.explain) {
    derivePrunedDepsOnce(request, report);
    return { contexts: { [PRUNED_DEPS_CONTEXT]: outDir }, dispose: () => undefined };
  }
  if (prunedDepsUpToDate(request, report)) return { contexts: { [PRUNED_DEPS_CONTEXT]: outDir }, dispose: () => undefined };
  const tempDir = mkdtempSync(join(tmpdir(), 'nx-buildkit-explain-'));
  const tempOut = join(tempDir, PRUNED_DEPS_CONTEXT);
  derivePrunedDeps({ ...request, outDir: tempOut });
  return { contexts: { [PRUNED_DEPS_CONTEXT]: tempOut }, dispose: () => rmSync(tempDir, { recursive: true, force: true }) };
}
