import { ExecutorContext, logger } from '@nx/devkit';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeBuildInputs } from '../../lib/build-inputs';
import { buildxBuildArgs, INPUTS_HASH_LABEL } from '../../lib/buildx-args';
import { assertDockerReady } from '../../lib/docker-engine';
import { describeError, UserFacingError } from '../../lib/errors';
import { hashTagFor } from '../../lib/hash';
import { pullImage, pushImage, tagImage } from '../../lib/image-store';
import { BuildProgressTracker, formatProgressEvent } from '../../lib/progress';
import { BuildRecord, formatRecordLine, writeRecord } from '../../lib/record';
import { createRemoteTags, findRemoteImage } from '../../lib/registry';
import { runDocker } from '../../lib/run-process';
import { secretLikeBuildArgs } from '../../lib/secrets';
import { BuildTarget, normalizeOptions, NormalizedBuildOptions } from './normalize-options';
import type { BuildExecutorSchema } from './schema';

export default async function buildExecutor(options: BuildExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  let normalized: NormalizedBuildOptions;
  try {
    normalized = normalizeOptions(options, buildTargetFrom(context));
  } catch (error) {
    logger.error(describeError(error));
    return { success: false };
  }
  try {
    const record = await buildImage(normalized, started);
    logger.info(formatRecordLine(record));
    return { success: record.status !== 'failed' };
  } catch (error) {
    logger.error(`${normalized.projectName}: ${describeError(error)}`);
    if (!(error instanceof UserFacingError) && error instanceof Error && error.stack) logger.verbose(error.stack);
    return { success: false };
  }
}

export function buildTargetFrom(context: ExecutorContext): BuildTarget {
  const projectName = context.projectName;
  if (!projectName) throw new UserFacingError('nx-buildkit:build must run as a project target (no project name in the executor context).');
  return {
    workspaceRoot: context.root,
    projectName,
    projectRoot: context.projectsConfigurations?.projects[projectName]?.root ?? '',
    targetName: context.targetName ?? 'docker-build',
  };
}

/** Skips when an image with this inputs hash exists (locally, then in the registry); builds otherwise. Writes the record. */
export async function buildImage(options: NormalizedBuildOptions, started = Date.now()): Promise<BuildRecord> {
  await assertDockerReady();
  const risky = secretLikeBuildArgs(options.buildArgs);
  if (risky.length) {
    logger.warn(
      `${options.projectName}: build arg${risky.length > 1 ? 's' : ''} ${risky.join(', ')} look${risky.length > 1 ? '' : 's'} like secrets; build args are stored in the image history. Pass secrets with the "secrets" option (id=…,env=… or id=…,src=…) and RUN --mount=type=secret.`,
    );
  }

  const inputs = await computeBuildInputs({ ...options, unhashedDirs: [options.recordDir] });
  const hashTag = hashTagFor(inputs.hash);
  const hashRef = `${options.repository}:${hashTag}`;
  const base = {
    project: options.projectName,
    target: options.targetName,
    image: options.repository,
    tags: options.tags,
    hash: inputs.hash,
    hashTag,
  };
  const finish = (fields: Partial<BuildRecord> & Pick<BuildRecord, 'status'>): BuildRecord => {
    const record: BuildRecord = { ...base, ...fields, durationMs: Date.now() - started, finishedAt: new Date().toISOString() };
    writeRecord(options.recordPath, record);
    return record;
  };

  const localId = await findLocalImageWithHash(hashRef, inputs.hash);
  if (localId) {
    let pushed = false;
    if (options.push) pushed = await ensurePushed(hashRef, options.tags, localId);
    for (const tag of options.tags) await tagImage(localId, tag);
    return finish({ status: 'skipped', skippedBecause: 'local', imageId: localId, pushed });
  }

  if (options.checkRegistry) {
    const remote = await findRemoteImage(hashRef);
    if (remote.found) {
      await createRemoteTags(hashRef, options.tags);
      let imageId: string | undefined;
      if (options.load) {
        await pullImage(hashRef);
        imageId = await findLocalImageWithHash(hashRef, inputs.hash);
        if (imageId) for (const tag of options.tags) await tagImage(imageId, tag);
      }
      return finish({ status: 'skipped', skippedBecause: 'registry', imageId, digest: remote.digest });
    }
  }

  logger.info(`${options.projectName}: building ${options.tags.join(', ')} (${inputs.fileCount} context files, inputs ${hashTag})`);
  const result = await runBuildx(options, inputs.hash);
  if (!result.ok) {
    finish({ status: 'failed', steps: result.steps, error: result.error });
    throw new UserFacingError(result.error);
  }
  if (result.imageId && (options.load || !options.push)) await tagImage(result.imageId, hashRef);
  if (options.push) await createRemoteTags(options.tags[0], [hashRef]);
  return finish({ status: 'built', imageId: result.imageId, digest: result.digest, steps: result.steps, pushed: options.push });
}

/** The local image carrying this hash tag, if its label holds the same full hash (a short-tag collision never skips). */
async function findLocalImageWithHash(hashRef: string, hash: string): Promise<string | undefined> {
  const result = await runDocker(['image', 'inspect', '--format', `{{.Id}} {{index .Config.Labels "${INPUTS_HASH_LABEL}"}}`, hashRef]);
  if (result.exitCode !== 0) return undefined;
  const [id, label] = result.stdout.trim().split(' ');
  return label === hash ? id : undefined;
}

/** Makes sure a locally present image is in the registry under its hash tag and the requested tags. */
async function ensurePushed(hashRef: string, tags: readonly string[], localId: string): Promise<boolean> {
  const remote = await findRemoteImage(hashRef);
  if (!remote.found) {
    await pushImage(hashRef);
  }
  for (const tag of tags) await tagImage(localId, tag);
  await createRemoteTags(hashRef, tags);
  return !remote.found;
}

interface BuildxResult {
  readonly ok: boolean;
  readonly imageId?: string;
  readonly digest?: string;
  readonly steps: { total: number; cached: number };
  readonly error: string;
}

async function runBuildx(options: NormalizedBuildOptions, inputsHash: string): Promise<BuildxResult> {
  const tempDir = mkdtempSync(join(tmpdir(), 'nx-buildkit-'));
  try {
    const metadataFile = join(tempDir, 'metadata.json');
    const args = buildxBuildArgs({ ...options, inputsHash, metadataFile });
    const tracker = new BuildProgressTracker();
    const label = options.projectName;
    const result = await runDocker(args, {
      cwd: options.workspaceRoot,
      onStderr: (chunk) => {
        if (options.progress === 'rawjson') process.stderr.write(chunk);
        const events = tracker.push(chunk);
        if (options.progress === 'quiet' || options.progress === 'rawjson') return;
        for (const event of events) for (const line of formatProgressEvent(label, event)) process.stdout.write(`${line}\n`);
      },
    });
    const steps = tracker.steps();
    if (result.exitCode !== 0) {
      return { ok: false, steps, error: describeBuildFailure(options, tracker, result.signal) };
    }
    const metadata = readMetadata(metadataFile);
    const imageId = metadata['containerimage.config.digest'];
    const digest = options.push ? metadata['containerimage.digest'] : undefined;
    return { ok: true, imageId, digest, steps, error: '' };
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
  const dockerfile = options.dockerfile.startsWith(options.workspaceRoot)
    ? options.dockerfile.slice(options.workspaceRoot.length + 1)
    : options.dockerfile;
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
