import { ExecutorContext, logger } from '@nx/devkit';
import { describeError, UserFacingError } from '../../lib/errors';
import { formatRecordLine } from '../../lib/record';
import { BuildOutput, PlannedBuild, planBuild, recordFailureIfPossible, runBuild, skipIfUnchanged } from './image-build';
import { BuildTarget, normalizeOptions, NormalizedBuildOptions } from './normalize-options';
import { createRunState, engineCallsLine } from './run-state';
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
    const run = createRunState();
    await run.engine.ping();
    plan = await planBuild(normalized, consoleOutput, run, started);
    const record = (await skipIfUnchanged(plan, run)) ?? (await runBuild(plan, consoleOutput, run));
    if (record.status === 'failed') {
      logger.error(`${normalized.projectName}: ${record.error}`);
      return { success: false };
    }
    logger.info(formatRecordLine(record));
    if (process.env.NX_VERBOSE_LOGGING === 'true') logger.info(engineCallsLine(run));
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
