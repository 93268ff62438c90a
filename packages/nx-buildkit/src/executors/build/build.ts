// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { ExecutorContext, logger } from '@nx/devkit';
import { writePendingCodeCaches } from '../../lib/code-cache';
import { runImagePipeline } from '../../lib/image/pipeline';
import type { BuildExecutorSchema } from './schema';

/**
 * One image per process (`--batch=false`): a batch of one through the same pipeline as batch mode — the same checks,
 * records and messages. Its log (build output, the result line) goes to the console, where Nx shows a task's output.
 */
export default async function buildExecutor(options: BuildExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName;
  if (!project) {
    logger.error('nx-buildkit:build must run as a project target (no project name in the executor context).');
    return { success: false };
  }
  const target = context.targetName ?? 'docker-build';
  const id = `${project}:${target}`;
  let success = false;
  try {
    for await (const { result } of runImagePipeline([{ id, project, target, options }], { [id]: [] }, context, { summary: false })) {
      process.stdout.write(result.terminalOutput);
      success = result.success;
    }
  } finally {
    writePendingCodeCaches();
  }
  return { success };
}
