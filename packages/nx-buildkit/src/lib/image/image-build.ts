import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { interruptOnSignals } from '../engine/interrupt-on-signals';
import { describeRead } from '../context';
import { parseDockerfile, type ContextRead } from '../dockerfile';
import type { BaseIdentity } from './identity/base-identity';
import { BuildInputs, computeBuildInputs } from './identity/build-inputs';
import { buildxBuildArgs } from '../engine/buildx-args';
import { describeError, UserFacingError } from '../errors';
import { describeLocalDependencies, unreachableLocalDependencies } from '../local-dependencies';
import { installsNodePackages } from '../dockerfile-analyzer/installs-node-packages';
import { derivePrunedDepsOnce, prunedDepsUpToDate } from '../pruned-deps/derive-once';
import { derivePrunedDeps } from '../pruned-deps/derive-pruned-deps';
import { PRUNED_DEPS_CONTEXT } from '../pruned-deps/layout';
import { readsPrunedDepsContext } from '../pruned-deps/reads-deps-context';
import { installsProductionOnly } from '../pruned-deps/installs-production-only';
import { hashTagFor } from './identity/hash';
import type { InspectedImage } from './identity/image-identity';
import { canonicalReference } from './identity/image-ref';
import { pullImage, pushImage } from '../engine/image-store';
import { buildWithPodman } from '../engine/podman/build';
import { pullWithPodman, pushWithPodman, tagInRegistryWithPodman } from '../engine/podman/transfer';
import { BuildProgressTracker, formatProgressEvent, ProgressEvent, StepCounts } from '../engine/progress';
import { explainBuildxRefusal, explainForeignPlatformFailure } from '../engine/buildx-refusals';
import { assertRecordWritable, BuildRecord, inputsManifestPath, readInputsManifest, readRecord, readRecordHash, writeInputsManifest, writeRecord } from './record';
import { buildReason, describeInputChanges, InputChanges, InputsManifest } from './identity/inputs-manifest';
import { createRemoteTags, findPlatformDigests, findRemoteImage, RemoteLookup } from '../engine/registry';
import { runDocker } from '../engine/run-process';
import { secretLikeBuildArgs } from './options/secrets';
import { normalizeOptions, NormalizedBuildOptions } from './options/normalize-options';
import type { RunState } from './run-state';

export type { RunState };

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
  // --explain writes nothing, so it needs no writable record folder.
  if (!options.explain) assertRecordWritable(options.recordPath);
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
  const where = relative(options.workspaceRoot, options.context).split(sep).join('/') || 'the workspace root';
  const several = missing.length > 1;
  return `${options.projectName}: not in the context ${where}: ${missing.map(describeRead).join(', ')}; a build that reaches ${several ? 'them' : 'it'} fails with "not found" (make ${several ? 'them' : 'it'} before the build, or correct the path).`;
}

/** One line for sources the ignore file keeps out: which, which file, and the fix (BuildKit would say only "not found"). */
export function describeExcludedSources(options: Pick<NormalizedBuildOptions, 'projectName' | 'dockerfile' | 'workspaceRoot'>, excluded: readonly ContextRead[], ignoreFile: string): string {
  const several = excluded.length > 1;
  const dockerfile = relative(options.workspaceRoot, options.dockerfile).split(sep).join('/');
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
  const pruned = preparePrunedDeps(options, report);
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
    });
    if (checkLocalDependencies && installsNodePackages(readFileSync(options.dockerfile, 'utf8'))) {
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
function preparePrunedDeps(options: NormalizedBuildOptions, report: (line: string) => void): { contexts: Record<string, string>; dispose(): void } {
  const none = { contexts: {}, dispose: () => undefined };
  const dockerfile = parseDockerfile(readFileSync(options.dockerfile, 'utf8'));
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

/**
 * Skips when an image with this inputs hash exists in the local engine, or (with a registry) in the registry: the
 * requested tags are applied to it and the record says `skipped`. Undefined when the image must be built.
 */
export async function skipIfUnchanged(plan: PlannedBuild, run: RunState): Promise<BuildRecord | undefined> {
  const found = await tagExistingImage(plan, run);
  if (!found) return undefined;
  return finish(plan, { ...found, platformDigests: found.digest ? await platformDigestsOf(plan, found.digest) : undefined });
}

/**
 * The per-platform digests of the multi-platform index `digest` names under the plan's hash tag. A no-op takes them
 * from the target's record when it names the same index (no registry request); otherwise the index is read once.
 */
async function platformDigestsOf(plan: PlannedBuild, digest: string): Promise<Readonly<Record<string, string>> | undefined> {
  if (plan.options.platforms.length < 2) return undefined;
  const last = readRecord(plan.options.recordPath);
  if (last?.hash === plan.hash && last.digest === digest && last.platformDigests) return last.platformDigests;
  return findPlatformDigests(`${plan.options.repository}@${digest}`);
}

/** What a skip records beside the plan: where the image was found, and what was done to it. */
export type ExistingImage = Pick<BuildRecord, 'status' | 'skippedBecause' | 'imageId' | 'pushed' | 'digest'>;

/**
 * skipIfUnchanged without the record: the image with this inputs hash, found locally (pushed when the plan pushes)
 * or in the registry, gets the plan's tags. A release tags images this way: adding a version tag is no build of the
 * target, so its build record keeps the tags the image was built with.
 */
export async function tagExistingImage(plan: PlannedBuild, run: RunState): Promise<ExistingImage | undefined> {
  const { options, hashRef } = plan;
  // Never skip on a base whose identity is unknown: the image under this hash may stand on another base.
  if (plan.undecidedBecause) return undefined;
  const local = await findLocalImageWithHash(run, hashRef, plan.hash);
  if (local) {
    let pushed = false;
    let digest: string | undefined;
    if (options.push) ({ pushed, digest } = await ensurePushed(run, hashRef, options.tags, local));
    // Tags the image already carries need no engine call: a no-op run of 50 images costs no more than one of 5.
    for (const tag of options.tags) if (!hasTag(local, tag)) await run.engine.tag(local.id, tag);
    return { status: 'skipped', skippedBecause: 'local', imageId: local.id, pushed, ...(digest && { digest }) };
  }
  if (!options.checkRegistry) return undefined;
  const remote = await lookUpRemote(run, hashRef);
  if (!remote.found) return undefined;
  await writeRemoteTags(run, hashRef, await remoteTagsToWrite(run, remote.digest, options.tags));
  let imageId: string | undefined;
  if (options.load) {
    await (run.engine.kind === 'podman' ? pullWithPodman(run.engine, hashRef) : pullImage(hashRef));
    imageId = (await run.engine.listImages()).find((image) => hasTag(image, hashRef) && image.inputsHash === plan.hash)?.id;
    if (imageId) for (const tag of options.tags) await run.engine.tag(imageId, tag);
  }
  return { status: 'skipped', skippedBecause: 'registry', imageId, digest: remote.digest };
}

/** Builds with BuildKit, then applies the hash tag (only after success) and writes the record. Never throws for a failed build. */
export async function runBuild(plan: PlannedBuild, out: BuildOutput, run: RunState): Promise<BuildRecord> {
  const { options, hashRef } = plan;
  await run.buildxReady();
  out.info(`${options.projectName}: building ${options.tags.join(', ')} (${plan.fileCount} context files, inputs ${plan.hashTag}): ${buildReason(plan.changes(), options.checkRegistry)}`);
  const result = options.engine === 'podman' ? await runPodmanBuild(options, plan, out, run) : await runBuildx({ ...options, cacheTo: await cacheDestinations(options, run) }, plan, out);
  if (!result.ok) return finish(plan, { status: 'failed', steps: result.steps, error: result.error });
  // podman applied the hash tag itself, with the others, once every step had succeeded.
  if (result.imageId && (options.load || !options.push) && options.engine !== 'podman') await run.engine.tag(result.imageId, hashRef);
  // Read back after the push; a registry that does not answer now costs the record these digests, not the build.
  const platformDigests = result.digest ? await platformDigestsOf(plan, result.digest).catch(() => undefined) : undefined;
  return finish(plan, { status: 'built', imageId: result.imageId, digest: result.digest, platformDigests, steps: result.steps, pushed: options.push, reason: buildReason(plan.changes(), options.checkRegistry) });
}

/** A record for a task that could not get as far as building (bad options, engine down, a failed dependency). */
export function recordFailure(options: NormalizedBuildOptions, error: unknown, started: number, plan?: PlannedBuild): BuildRecord {
  const record: BuildRecord = {
    project: options.projectName,
    target: options.targetName,
    engine: options.engine,
    image: options.repository,
    tags: options.tags,
    hash: plan?.hash ?? '',
    hashTag: plan?.hashTag ?? '',
    bases: plan?.bases,
    status: 'failed',
    durationMs: Date.now() - started,
    error: describeError(error),
    finishedAt: new Date().toISOString(),
  };
  writeRecord(options.recordPath, record);
  return record;
}

/** recordFailure, unless the record itself cannot be written: the error being reported already says what failed. */
export function recordFailureIfPossible(options: NormalizedBuildOptions, error: unknown, started: number, plan?: PlannedBuild): BuildRecord | undefined {
  try {
    return recordFailure(options, error, started, plan);
  } catch {
    return undefined;
  }
}

function finish(plan: PlannedBuild, fields: Partial<BuildRecord> & Pick<BuildRecord, 'status'>): BuildRecord {
  const { options } = plan;
  const record: BuildRecord = {
    project: options.projectName,
    target: options.targetName,
    engine: options.engine,
    image: options.repository,
    tags: options.tags,
    hash: plan.hash,
    hashTag: plan.hashTag,
    ...(options.platforms.length > 0 && { platforms: options.platforms }),
    bases: plan.bases,
    ...fields,
    durationMs: Date.now() - plan.started,
    finishedAt: new Date().toISOString(),
  };
  // The inputs of what the image now is: the next build of the target is explained against them. A skip of the
  // hash the record already names leaves the manifest as it is (no write on the no-op path).
  const unchanged = record.status === 'skipped' && readRecordHash(options.recordPath) === plan.hash && existsSync(inputsManifestPath(options.recordPath));
  writeRecord(options.recordPath, record);
  if (record.status !== 'failed' && !unchanged) writeInputsManifest(options.recordPath, plan.manifest);
  return record;
}

/**
 * Where the build writes its layer cache: the user's cacheTo, plus the registry cache when the builder can export one.
 * A builder that cannot (the docker driver on the classic image store) builds anyway; the run says once what to enable.
 */
async function cacheDestinations(options: NormalizedBuildOptions, run: RunState): Promise<readonly string[]> {
  if (!options.registryCacheTo) return options.cacheTo;
  const support = await run.cacheExport(options.builder);
  if (support.supported) return [...options.cacheTo, options.registryCacheTo];
  run.noticeOnce(support.hint);
  return options.cacheTo;
}

/** The local image carrying this hash tag, if its label holds the same full hash (a short-tag collision never skips). */
async function findLocalImageWithHash(run: RunState, hashRef: string, hash: string): Promise<InspectedImage | undefined> {
  const image = await run.localImage(hashRef);
  return image?.inputsHash === hash ? image : undefined;
}

function hasTag(image: InspectedImage, ref: string): boolean {
  const wanted = canonicalReference(ref);
  return image.repoTags.some((tag) => canonicalReference(tag) === wanted);
}

/**
 * Makes sure a locally present image is in the registry under its hash tag and the requested tags. Returns whether it
 * had to be pushed, and the registry's digest of the hash tag when it was already there (for a multi-platform image
 * kept by the containerd store after its push: the index digest the record names).
 */
async function ensurePushed(run: RunState, hashRef: string, tags: readonly string[], local: InspectedImage): Promise<{ pushed: boolean; digest?: string }> {
  const remote = await lookUpRemote(run, hashRef);
  if (!remote.found) {
    await (run.engine.kind === 'podman' ? pushWithPodman(run.engine, hashRef) : pushImage(hashRef));
    // The local tags must exist before the remote ones are made from the pushed image.
    for (const tag of tags) if (!hasTag(local, tag)) await run.engine.tag(local.id, tag);
  }
  await writeRemoteTags(run, hashRef, remote.found ? await remoteTagsToWrite(run, remote.digest, tags) : tags);
  return remote.found ? { pushed: false, digest: remote.digest } : { pushed: true };
}

/** A registry look-up: through the engine, or through `docker buildx imagetools` (then buildx must be there). */
async function lookUpRemote(run: RunState, ref: string): Promise<RemoteLookup> {
  if (!run.engine.distribution) await run.buildxReady();
  return findRemoteImage(ref, run.engine);
}

/** `docker buildx imagetools create` for the tags that need writing, and nothing (not even buildx) for none. */
async function writeRemoteTags(run: RunState, source: string, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  if (run.engine.kind === 'podman') return tagInRegistryWithPodman(run.engine, source, tags);
  await run.buildxReady();
  await createRemoteTags(source, tags);
}

/**
 * The requested tags that do not yet name this digest in the registry: a no-op run with `push` reads the registry
 * and writes nothing to it. Without a digest to compare (an older registry answer), every tag is written.
 */
async function remoteTagsToWrite(run: RunState, digest: string | undefined, tags: readonly string[]): Promise<string[]> {
  if (!digest) return [...tags];
  const lookups = await Promise.all(tags.map((tag) => lookUpRemote(run, tag)));
  return tags.filter((_tag, i) => {
    const lookup = lookups[i];
    return !(lookup.found && lookup.digest === digest);
  });
}

interface BuildxResult {
  readonly ok: boolean;
  readonly imageId?: string;
  readonly digest?: string;
  readonly steps: StepCounts;
  readonly error: string;
}

async function runBuildx(options: NormalizedBuildOptions, plan: PlannedBuild, out: BuildOutput): Promise<BuildxResult> {
  // A temp folder of its own per build: concurrent builds never share a metadata file.
  const tempDir = mkdtempSync(join(tmpdir(), 'nx-buildkit-'));
  try {
    const metadataFile = join(tempDir, 'metadata.json');
    // With push, BuildKit pushes every name only once the build has succeeded, so the hash tag goes with them: one
    // manifest under all names (a later `imagetools create` would wrap it in a list with another digest).
    const tags = options.push ? [...options.tags, plan.hashRef] : options.tags;
    const args = buildxBuildArgs({ ...options, tags, inputsHash: plan.hash, metadataFile, buildContexts: { ...plan.buildContexts, ...plan.pinnedBases } });
    const tracker = new BuildProgressTracker();
    // Ctrl-C or a SIGTERM to the task while BuildKit runs: stop buildx (which cancels the build), clean up, and
    // record the build as failed. No hash tag is applied, so the next run builds again.
    const interrupt = interruptOnSignals();
    const show = showProgress(options, out);
    const result = await runDocker(args, {
      cancelSignal: interrupt.signal,
      cwd: options.workspaceRoot,
      onStderr: (chunk) => {
        if (options.progress === 'rawjson') process.stderr.write(chunk);
        for (const event of tracker.push(chunk)) show(event, tracker.steps());
      },
    });
    interrupt.release();
    const interruptedBy = interrupt.interruptedBy();
    const steps = tracker.steps();
    // buildx may get the signal first (same process group): its "context canceled" is an interruption too.
    const canceled = /\bcontext canceled\b/i.test(tracker.trailingText()) ? 'canceled' : undefined;
    if (interruptedBy || canceled) return { ok: false, steps, error: describeBuildFailure(options, tracker, interruptedBy ?? canceled) };
    if (result.exitCode !== 0) return { ok: false, steps, error: describeBuildFailure(options, tracker, result.signal) };
    const metadata = readMetadata(metadataFile);
    return {
      ok: true,
      steps: tracker.stepsOfSucceededBuild(),
      // A multi-platform build has no one config: the docker driver on the containerd store keeps the index, whose
      // digest is the image's ID there (seen with docker 26.1 / buildx 0.13; the metadata names no config digest).
      imageId: metadata['containerimage.config.digest'] ?? (options.platforms.length > 1 && !options.push ? metadata['containerimage.digest'] : undefined),
      digest: options.push ? metadata['containerimage.digest'] : undefined,
      error: '',
    };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Shows a build's progress events: live step lines where the output takes them, the rest as info lines. */
function showProgress(options: NormalizedBuildOptions, out: BuildOutput): (event: ProgressEvent, steps: StepCounts) => void {
  return (event, steps) => {
    // A step the output shows as it happens is not logged again: a CI log (no TTY) shows each line once.
    const shownLive = out.step !== undefined && event.kind !== 'log';
    out.step?.(event, steps);
    if (shownLive || options.progress === 'quiet' || options.progress === 'rawjson') return;
    for (const line of formatProgressEvent(options.projectName, event)) out.info(line);
  };
}

/**
 * `podman build` (lib/engine/podman): the same tags, labels, args, secrets and named contexts as buildx gets. FROM
 * images are not pinned by named context there: the parent image this run built or found carries the FROM name
 * locally (podman resolves it from its store first), and BuildKit's docker-image:// pinning is not podman's.
 */
function runPodmanBuild(options: NormalizedBuildOptions, plan: PlannedBuild, out: BuildOutput, run: RunState): Promise<BuildxResult> {
  return buildWithPodman(run.engine, { ...options, inputsHash: plan.hash, hashRef: plan.hashRef, buildContexts: plan.buildContexts }, showProgress(options, out));
}

function readMetadata(path: string): Record<string, string | undefined> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string | undefined>;
  } catch {
    return {};
  }
}

function describeBuildFailure(options: NormalizedBuildOptions, tracker: BuildProgressTracker, signal?: string): string {
  const dockerfile = relative(options.workspaceRoot, options.dockerfile) || options.dockerfile;
  if (signal) return `The build of "${dockerfile}" was interrupted (${signal}). Nothing was tagged; rerun to build it.`;
  const refusal = explainBuildxRefusal(tracker.trailingText());
  if (refusal) return `The build of "${dockerfile}" was not started. ${refusal}`;
  const parts = [`The build of "${dockerfile}" failed.`];
  for (const failure of tracker.failures()) {
    parts.push(`Step ${failure.name} failed: ${failure.error}`);
    if (failure.logTail) parts.push(failure.logTail.replace(/^/gm, '  │ '));
    const emulation = explainForeignPlatformFailure(`${failure.error}\n${failure.logTail}`, options.platforms);
    if (emulation) parts.push(emulation);
  }
  const trailing = tracker.trailingText();
  if (trailing) parts.push(trailing);
  parts.push('Fix the Dockerfile or the files it uses, then rerun: nothing was tagged, so the next run builds again.');
  return parts.join('\n');
}

function once<T>(compute: () => T): () => T {
  let value: { readonly v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}
