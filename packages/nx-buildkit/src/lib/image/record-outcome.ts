import { existsSync } from 'node:fs';
import type { EngineClient } from '../engine/client';
import { findPlatformDigests } from '../engine/registry';
import { describeError } from '../errors';
import type { NormalizedBuildOptions } from './options/normalize-options';
import { BuildRecord, inputsManifestPath, readRecord, readRecordHash, writeInputsManifest, writeRecord } from './record';
import type { PlannedBuild } from './plan';

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

/** The record of a plan's outcome (built, skipped or failed), and the inputs manifest the next build is explained against. */
export function recordOutcome(plan: PlannedBuild, fields: Partial<BuildRecord> & Pick<BuildRecord, 'status'>): BuildRecord {
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
 * The per-platform digests of the multi-platform index `digest` names under the plan's hash tag. A no-op takes them
 * from the target's record when it names the same index (no registry request); otherwise the index is read once.
 */
export async function platformDigestsOf(plan: PlannedBuild, digest: string, engine: EngineClient): Promise<Readonly<Record<string, string>> | undefined> {
  if (plan.options.platforms.length < 2) return undefined;
  const last = readRecord(plan.options.recordPath);
  if (last?.hash === plan.hash && last.digest === digest && last.platformDigests) return last.platformDigests;
  return findPlatformDigests(engine, `${plan.options.repository}@${digest}`);
}
