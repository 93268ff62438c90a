// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { writePendingCodeCaches } from '../../lib/code-cache';
import { runImagePipeline, TaskResult } from '../../lib/image/pipeline';
import type { BuildExecutorSchema } from './schema';

/**
 * Nx batch mode (the default: the executor sets preferBatch; `--batch=false` turns it off): every docker-build task of
 * the run in one process, through the one pipeline (pipeline.ts), with a summary table at the end.
 */
export default async function* buildBatchExecutor(
  taskGraph: TaskGraph,
  inputs: Record<string, BuildExecutorSchema>,
  _overrides: BuildExecutorSchema,
  context: ExecutorContext,
): AsyncGenerator<{ task: string; result: TaskResult }> {
  const tasks = Object.values(taskGraph.tasks).map((task) => ({ id: task.id, project: task.target.project, target: task.target.target, options: inputs[task.id] ?? {} }));
  try {
    yield* runImagePipeline(tasks, dependencyIds(taskGraph), context, { summary: true });
  } finally {
    writePendingCodeCaches();
  }
}

/** Task ids each task depends on (Nx 24 edges are objects; earlier versions used plain ids). */
function dependencyIds(taskGraph: TaskGraph): Record<string, string[]> {
  const edges = taskGraph.dependencies as Record<string, readonly (string | { id: string })[]>;
  return Object.fromEntries(Object.entries(edges).map(([id, deps]) => [id, deps.map((dep) => (typeof dep === 'string' ? dep : dep.id))]));
}
