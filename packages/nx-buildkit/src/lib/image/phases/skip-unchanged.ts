import { availableParallelism } from 'node:os';
import { runWithDependencies } from '../batch-schedule';
import type { PlannedBuild } from '../plan';
import { formatRecordLine } from '../record';
import type { RunState } from '../run-state';
import { skipIfUnchanged } from '../skip';
import type { RunTasks } from './run-tasks';

/**
 * Skips what exists, locally or in the registry: every planned image (not --explain) is looked up, the unchanged
 * ones settled with their record. Returns the ones to build, in the order their look-ups answered.
 */
export async function skipUnchanged(tasks: RunTasks, valid: readonly string[], run: RunState): Promise<string[]> {
  const planned = valid.filter((id) => tasks.get(id).plan && !(tasks.get(id).plan as PlannedBuild).options.explain);
  const toBuild: string[] = [];
  await runWithDependencies(
    planned,
    {},
    lookUpConcurrency(availableParallelism()),
    async (id) => {
      const task = tasks.get(id);
      try {
        const skipped = await skipIfUnchanged(task.plan as PlannedBuild, run);
        if (skipped) {
          tasks.status(task, formatRecordLine(skipped).slice(skipped.project.length).trim());
          tasks.settle(task, skipped, 'success');
        } else {
          toBuild.push(id);
          tasks.status(task, 'queued');
        }
      } catch (error) {
        tasks.fail(task, error);
      }
      return { ok: true, value: undefined };
    },
    () => undefined,
  );
  return toBuild;
}

/** Look-ups only (engine and registry round trips): at least two overlap, past eight the engine is the limit. */
export function lookUpConcurrency(cores: number): number {
  return Math.min(8, Math.max(2, cores));
}
