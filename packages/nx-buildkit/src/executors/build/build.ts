import { ExecutorContext, logger } from '@nx/devkit';
import { assertEngineAnswers } from '../../lib/docker-engine';
import { describeError, UserFacingError } from '../../lib/errors';
import { createBaseIdentityResolver } from '../../lib/image-store';
import { formatRecordLine } from '../../lib/record';
import { BuildOutput, PlannedBuild, planBuild, recordFailureIfPossible, runBuild, skipIfUnchanged } from './image-build';
import { BuildTarget, normalizeOptions, NormalizedBuildOptions } from './normalize-options';
import type { BuildExecutorSchema } from './schema';

const consoleOutput: BuildOutput = {
  info: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => logger.warn(line),
};

/** One image: skipped when its inputs hash is already built (locally or in the registry), built otherwise. */
export default async function buildExecutor(options: BuildExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const started = Date.now();
  let normalized: NormalizedBuildOptions;
  try {
    normalized = normalizeOptions(options, buildTargetFrom(context));
  } catch (error) {
    logger.error(describeError(error));
    return { success: false };
  }
  let plan: PlannedBuild | undefined;
  try {
    await assertEngineAnswers();
    plan = await planBuild(normalized, consoleOutput, { baseIdentities: createBaseIdentityResolver(), knownImageHashes: {} }, started);
    const record = (await skipIfUnchanged(plan)) ?? (await runBuild(plan, consoleOutput));
    if (record.status === 'failed') {
      logger.error(`${normalized.projectName}: ${record.error}`);
      return { success: false };
    }
    logger.info(formatRecordLine(record));
    return { success: true };
  } catch (error) {
    logger.error(`${normalized.projectName}: ${describeError(error)}`);
    if (!(error instanceof UserFacingError) && error instanceof Error && error.stack) logger.verbose(error.stack);
    // A failed run leaves a `failed` record, never an earlier `built`/`skipped` one.
    recordFailureIfPossible(normalized, error, started, plan);
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
