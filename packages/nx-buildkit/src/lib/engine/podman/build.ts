import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { interruptOnSignals } from '../interrupt-on-signals';
import { findIgnoreFile, readTextFromDisk } from '../../context';
import type { ProgressEvent, StepCounts } from '../progress';
import type { EngineClient } from '../client';
import { podmanBuildArgs, PodmanBuildArgsInput } from './build-args';
import { PodmanBuildLog } from './build-log';
import { pushWithPodman, tagInRegistryWithPodman } from './transfer';

export interface PodmanBuildRequest extends Omit<PodmanBuildArgsInput, 'iidFile' | 'ignoreFile' | 'inputsHash'> {
  readonly workspaceRoot: string;
  readonly inputsHash: string;
  /** `<repository>:nxb-…`: among the tags podman applies, and the name pushed first. */
  readonly hashRef: string;
  readonly push: boolean;
}

export interface PodmanBuildResult {
  readonly ok: boolean;
  readonly imageId?: string;
  /** The manifest digest in the registry, when pushed. */
  readonly digest?: string;
  readonly steps: StepCounts;
  readonly error: string;
}

/**
 * `podman build` of one image: every tag, the hash tag included, is applied by podman only once every step has
 * succeeded, so a failed or interrupted build leaves no hash tag. With push, the hash tag is pushed, then each tag
 * copied from it in the registry (one digest under every name, as a buildx push gives).
 */
export async function buildWithPodman(engine: EngineClient, request: PodmanBuildRequest, onEvent: (event: ProgressEvent, steps: StepCounts) => void): Promise<PodmanBuildResult> {
  const tempDir = mkdtempSync(join(tmpdir(), 'nx-buildkit-podman-'));
  const dockerfile = relative(request.workspaceRoot, request.dockerfile) || request.dockerfile;
  try {
    const iidFile = join(tempDir, 'iid');
    const ignoreFile = findIgnoreFile(readTextFromDisk, request.context, request.dockerfile).path;
    const tags = [...new Set([...request.tags, request.hashRef])];
    const args = podmanBuildArgs({ ...request, tags, iidFile, ignoreFile });
    const log = new PodmanBuildLog();
    // Ctrl-C or SIGTERM while podman builds: podman is stopped (it removes its working container), nothing is tagged.
    const interrupt = interruptOnSignals();
    const result = await engine.run(args, {
      cwd: request.workspaceRoot,
      cancelSignal: interrupt.signal,
      onStdout: (chunk) => {
        for (const event of log.push(chunk)) onEvent(event, log.stepCounts());
      },
      onStderr: (chunk) => log.pushError(chunk),
    });
    interrupt.release();
    const interruptedBy = interrupt.interruptedBy();
    const steps = log.stepCounts();
    if (interruptedBy) return { ok: false, steps, error: `The build of "${dockerfile}" was interrupted (${interruptedBy}). Nothing was tagged; rerun to build it.` };
    if (result.exitCode !== 0) return { ok: false, steps, error: describePodmanFailure(dockerfile, log, result.spawnError) };
    const imageId = readFileSync(iidFile, 'utf8').trim();
    if (!request.push) return { ok: true, imageId, steps, error: '' };
    const digest = await pushWithPodman(engine, request.hashRef);
    await tagInRegistryWithPodman(engine, request.hashRef, request.tags.filter((tag) => tag !== request.hashRef));
    return { ok: true, imageId, digest, steps, error: '' };
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function describePodmanFailure(dockerfile: string, log: PodmanBuildLog, spawnError: string | undefined): string {
  if (spawnError) return `The build of "${dockerfile}" was not started: ${spawnError}`;
  const parts = [`The build of "${dockerfile}" failed (podman build).`];
  const failed = log.failedStep();
  if (failed) {
    parts.push(`Step ${failed.name} failed.`);
    if (failed.logTail) parts.push(failed.logTail.replace(/^/gm, '  │ '));
  }
  const error = log.errorText();
  if (error) parts.push(error);
  parts.push('Fix the Dockerfile or the files it uses, then rerun: nothing was tagged, so the next run builds again.');
  return parts.join('\n');
}
