import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { BaseIdentityResolver } from '../../lib/base-identity';
import { computeBuildInputs } from '../../lib/build-inputs';
import { buildxBuildArgs } from '../../lib/buildx-args';
import { describeError } from '../../lib/errors';
import { hashTagFor } from '../../lib/hash';
import { assertBuildxInstalled } from '../../lib/docker-engine';
import type { InspectedImage } from '../../lib/image-identity';
import { canonicalReference } from '../../lib/image-ref';
import { inspectImages, pullImage, pushImage, tagImage } from '../../lib/image-store';
import { BuildProgressTracker, formatProgressEvent, ProgressEvent, StepCounts } from '../../lib/progress';
import { assertRecordWritable, BuildRecord, writeRecord } from '../../lib/record';
import { createRemoteTags, findRemoteImage } from '../../lib/registry';
import { runDocker } from '../../lib/run-process';
import { secretLikeBuildArgs } from '../../lib/secrets';
import type { NormalizedBuildOptions } from './normalize-options';

/** Where one image's messages go: the console for a single task, a per-task log in batch mode. */
export interface BuildOutput {
  info(line: string): void;
  warn(line: string): void;
  /** A build step finished (batch mode shows progress from these). */
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
  readonly started: number;
}

/** What the images of one run share: one base-image resolver, and the hashes of the images planned so far. */
export interface RunState {
  readonly baseIdentities: BaseIdentityResolver;
  /** Inputs hashes of images planned in this run, by canonical reference (an image FROM one of them names it so). */
  readonly knownImageHashes: Record<string, string>;
}

/** Hashes what the build consumes. */
export async function planBuild(options: NormalizedBuildOptions, out: BuildOutput, run: RunState, started = Date.now()): Promise<PlannedBuild> {
  const risky = secretLikeBuildArgs(options.buildArgs);
  if (risky.length) {
    out.warn(
      `${options.projectName}: build arg${risky.length > 1 ? 's' : ''} ${risky.join(', ')} look${risky.length > 1 ? '' : 's'} like ${risky.length > 1 ? 'secrets' : 'a secret'}; build args are stored in the image history. Pass secrets with the "secrets" option (id=…,env=… or id=…,src=…) and RUN --mount=type=secret.`,
    );
  }
  assertRecordWritable(options.recordPath);
  const inputs = await computeBuildInputs({
    ...options,
    unhashedDirs: [options.recordDir],
    knownImageHashes: run.knownImageHashes,
    baseIdentities: run.baseIdentities,
  });
  const hashTag = hashTagFor(inputs.hash);
  for (const tag of options.tags) run.knownImageHashes[canonicalReference(tag)] = inputs.hash;
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
    started,
  };
}

/**
 * Skips when an image with this inputs hash exists in the local engine, or (with a registry) in the registry: the
 * requested tags are applied to it and the record says `skipped`. Undefined when the image must be built.
 */
export async function skipIfUnchanged(plan: PlannedBuild): Promise<BuildRecord | undefined> {
  const { options, hashRef } = plan;
  // Never skip on a base whose identity is unknown: the image under this hash may stand on another base.
  if (plan.undecidedBecause) return undefined;
  const local = await findLocalImageWithHash(hashRef, plan.hash);
  if (local) {
    let pushed = false;
    if (options.push) {
      await assertBuildxInstalled();
      pushed = await ensurePushed(hashRef, options.tags, local.id);
    }
    // Tags the image already carries need no `docker tag` (each docker call is a CLI start: it adds up over 50 images).
    for (const tag of options.tags) if (!local.repoTags.includes(tag)) await tagImage(local.id, tag);
    return finish(plan, { status: 'skipped', skippedBecause: 'local', imageId: local.id, pushed });
  }
  if (!options.checkRegistry) return undefined;
  await assertBuildxInstalled();
  const remote = await findRemoteImage(hashRef);
  if (!remote.found) return undefined;
  await createRemoteTags(hashRef, options.tags);
  let imageId: string | undefined;
  if (options.load) {
    await pullImage(hashRef);
    imageId = (await findLocalImageWithHash(hashRef, plan.hash))?.id;
    if (imageId) for (const tag of options.tags) await tagImage(imageId, tag);
  }
  return finish(plan, { status: 'skipped', skippedBecause: 'registry', imageId, digest: remote.digest });
}

/** Builds with BuildKit, then applies the hash tag (only after success) and writes the record. Never throws for a failed build. */
export async function runBuild(plan: PlannedBuild, out: BuildOutput): Promise<BuildRecord> {
  const { options, hashRef } = plan;
  await assertBuildxInstalled();
  out.info(`${options.projectName}: building ${options.tags.join(', ')} (${plan.fileCount} context files, inputs ${plan.hashTag})`);
  const result = await runBuildx(options, plan.hash, out);
  if (!result.ok) return finish(plan, { status: 'failed', steps: result.steps, error: result.error });
  if (result.imageId && (options.load || !options.push)) await tagImage(result.imageId, hashRef);
  if (options.push) await createRemoteTags(options.tags[0], [hashRef]);
  return finish(plan, { status: 'built', imageId: result.imageId, digest: result.digest, steps: result.steps, pushed: options.push });
}

/** A record for a task that could not get as far as building (bad options, engine down, a failed dependency). */
export function recordFailure(options: NormalizedBuildOptions, error: unknown, started: number, plan?: PlannedBuild): BuildRecord {
  const record: BuildRecord = {
    project: options.projectName,
    target: options.targetName,
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
    image: options.repository,
    tags: options.tags,
    hash: plan.hash,
    hashTag: plan.hashTag,
    bases: plan.bases,
    ...fields,
    durationMs: Date.now() - plan.started,
    finishedAt: new Date().toISOString(),
  };
  writeRecord(options.recordPath, record);
  return record;
}

/** The local image carrying this hash tag, if its label holds the same full hash (a short-tag collision never skips). */
async function findLocalImageWithHash(hashRef: string, hash: string): Promise<InspectedImage | undefined> {
  const [image] = await inspectImages([hashRef]);
  return image?.inputsHash === hash ? image : undefined;
}

/** Makes sure a locally present image is in the registry under its hash tag and the requested tags. */
async function ensurePushed(hashRef: string, tags: readonly string[], localId: string): Promise<boolean> {
  const remote = await findRemoteImage(hashRef);
  if (!remote.found) await pushImage(hashRef);
  for (const tag of tags) await tagImage(localId, tag);
  await createRemoteTags(hashRef, tags);
  return !remote.found;
}

interface BuildxResult {
  readonly ok: boolean;
  readonly imageId?: string;
  readonly digest?: string;
  readonly steps: StepCounts;
  readonly error: string;
}

async function runBuildx(options: NormalizedBuildOptions, inputsHash: string, out: BuildOutput): Promise<BuildxResult> {
  // A temp folder of its own per build: concurrent builds never share a metadata file.
  const tempDir = mkdtempSync(join(tmpdir(), 'nx-buildkit-'));
  try {
    const metadataFile = join(tempDir, 'metadata.json');
    const args = buildxBuildArgs({ ...options, inputsHash, metadataFile });
    const tracker = new BuildProgressTracker();
    // Ctrl-C or a SIGTERM to the task while BuildKit runs: stop buildx (which cancels the build), clean up, and
    // record the build as failed. No hash tag is applied, so the next run builds again.
    const abort = new AbortController();
    let interruptedBy: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      interruptedBy = signal;
      abort.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const result = await runDocker(args, {
      cancelSignal: abort.signal,
      cwd: options.workspaceRoot,
      onStderr: (chunk) => {
        if (options.progress === 'rawjson') process.stderr.write(chunk);
        const events = tracker.push(chunk);
        for (const event of events) {
          out.step?.(event, tracker.steps());
          if (options.progress === 'quiet' || options.progress === 'rawjson') continue;
          for (const line of formatProgressEvent(options.projectName, event)) out.info(line);
        }
      },
    });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const steps = tracker.steps();
    // buildx may get the signal first (same process group): its "context canceled" is an interruption too.
    const canceled = /\bcontext canceled\b/i.test(tracker.trailingText()) ? 'canceled' : undefined;
    if (interruptedBy || canceled) return { ok: false, steps, error: describeBuildFailure(options, tracker, interruptedBy ?? canceled) };
    if (result.exitCode !== 0) return { ok: false, steps, error: describeBuildFailure(options, tracker, result.signal) };
    const metadata = readMetadata(metadataFile);
    return {
      ok: true,
      steps: tracker.stepsOfSucceededBuild(),
      imageId: metadata['containerimage.config.digest'],
      digest: options.push ? metadata['containerimage.digest'] : undefined,
      error: '',
    };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
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
  const parts = [`The build of "${dockerfile}" failed.`];
  for (const failure of tracker.failures()) {
    parts.push(`Step ${failure.name} failed: ${failure.error}`);
    if (failure.logTail) parts.push(failure.logTail.replace(/^/gm, '  │ '));
  }
  const trailing = tracker.trailingText();
  if (trailing) parts.push(trailing);
  parts.push('Fix the Dockerfile or the files it uses, then rerun: nothing was tagged, so the next run builds again.');
  return parts.join('\n');
}
