import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { interruptOnSignals } from '../engine/interrupt-on-signals';
import { buildxBuildArgs } from '../engine/buildx-args';
import { buildWithPodman } from '../engine/podman/build';
import { BuildProgressTracker, formatProgressEvent, ProgressEvent, StepCounts } from '../engine/progress';
import { explainBuildxRefusal, explainForeignPlatformFailure } from '../engine/buildx-refusals';
import { BuildRecord } from './record';
import { buildReason } from './identity/inputs-manifest';
import { NormalizedBuildOptions } from './options/normalize-options';
import type { EngineClient } from '../engine/client';
import type { RunState } from './run-state';
import type { BuildOutput, PlannedBuild } from './plan';
import { platformDigestsOf, recordOutcome } from './record-outcome';

/** Builds with BuildKit, then applies the hash tag (only after success) and writes the record. Never throws for a failed build. */
export async function runBuild(plan: PlannedBuild, out: BuildOutput, run: RunState): Promise<BuildRecord> {
  const { options, hashRef } = plan;
  // podman is asked first; buildx only when a build fails before any step could (below).
  if (options.engine === 'podman') await run.buildxReady();
  out.info(`${options.projectName}: building ${options.tags.join(', ')} (${plan.fileCount} context files, inputs ${plan.hashTag}): ${buildReason(plan.changes(), options.checkRegistry)}`);
  const result = options.engine === 'podman' ? await runPodmanBuild(options, plan, out, run) : await runBuildx({ ...options, cacheTo: await cacheDestinations(options, run) }, plan, out, run.engine);
  if (!result.ok) {
    // A build that ran proves buildx is there: asking `docker buildx version` before every build cost each rebuild
    // ~0.2 s (B2). A build that failed before any step did may lack buildx; that check throws the message that says so.
    if (result.failedBeforeAnyStep) await run.buildxReady();
    return recordOutcome(plan, { status: 'failed', steps: result.steps, error: result.error });
  }
  // podman applied the hash tag itself, with the others, once every step had succeeded.
  if (result.imageId && (options.load || !options.push) && options.engine !== 'podman') await run.engine.tag(result.imageId, hashRef);
  // Read back after the push; a registry that does not answer now costs the record these digests, not the build.
  const platformDigests = result.digest ? await platformDigestsOf(plan, result.digest, run.engine).catch(() => undefined) : undefined;
  return recordOutcome(plan, { status: 'built', imageId: result.imageId, digest: result.digest, platformDigests, steps: result.steps, pushed: options.push, reason: buildReason(plan.changes(), options.checkRegistry) });
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

interface BuildxResult {
  readonly ok: boolean;
  readonly imageId?: string;
  readonly digest?: string;
  readonly steps: StepCounts;
  readonly error: string;
  /** Failed with no step failing (no build started, or buildx missing); never set for an interrupted build. */
  readonly failedBeforeAnyStep?: boolean;
}

async function runBuildx(options: NormalizedBuildOptions, plan: PlannedBuild, out: BuildOutput, engine: EngineClient): Promise<BuildxResult> {
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
    const result = await engine.run(args, {
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
    if (result.exitCode !== 0) return { ok: false, steps, error: describeBuildFailure(options, tracker, result.signal), failedBeforeAnyStep: !result.signal && tracker.failures().length === 0 };
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
