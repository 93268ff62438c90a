import type { ExecutorContext } from '@nx/devkit';
import { batchConcurrency, parentProcessArgs } from '../batch-concurrency';
import { runWithDependencies } from '../batch-schedule';
import type * as BuildModule from '../build';
import { buildReason } from '../identity/inputs-manifest';
import type { NormalizedBuildOptions } from '../options/normalize-options';
import type { PlannedBuild } from '../plan';
import { assertRecordWritable, BuildRecord, formatRecordLine } from '../record';
import { recordFailureIfPossible } from '../record-outcome';
import type { RunState } from '../run-state';
import type { RunTask, RunTasks } from './run-tasks';

/**
 * The build code (buildx and podman arguments, progress, the podman engine) is loaded only when an image is built:
 * a no-op of 50 images spent ~25 ms loading it for nothing (B4).
 */
function loadBuild(): typeof BuildModule {
  return require('../build') as typeof BuildModule;
}

/**
 * Builds the rest, each after the images it starts FROM, as many at once as Nx's --parallel says. An image whose
 * parent failed is not built: it is settled as skipped, with a failed record naming the parent.
 */
export function buildRest(
  tasks: RunTasks,
  toBuild: readonly string[],
  dependencies: Readonly<Record<string, readonly string[]>>,
  run: RunState,
  context: Pick<ExecutorContext, 'nxJsonConfiguration'>,
): Promise<unknown> {
  const concurrency = batchConcurrency({ nxArgs: parentProcessArgs(), env: process.env, nxJsonParallel: context.nxJsonConfiguration?.parallel });
  if (process.env.NX_VERBOSE_LOGGING === 'true' && toBuild.length > 1) tasks.say(`nx-buildkit: building up to ${concurrency} images at once (Nx's --parallel).`);
  return runWithDependencies(
    toBuild,
    dependencies,
    concurrency,
    async (id) => {
      const task = tasks.get(id);
      task.buildStarted = Date.now();
      const plan = task.plan as PlannedBuild;
      try {
        // A build whose result could not be recorded is not started. Only an image about to be built is checked: a
        // skipped one writes its record next, and that write names the folder (a probe each cost a 100-image no-op ~30 ms).
        assertRecordWritable(plan.options.recordPath);
        tasks.status(task, `building (${buildReason(plan.changes(), plan.options.checkRegistry)})`);
        const record = await loadBuild().runBuild(plan, tasks.outputFor(task), run);
        settleBuilt(tasks, task, record);
        return { ok: record.status === 'built', value: undefined };
      } catch (error) {
        tasks.fail(task, error);
        return { ok: false, value: undefined };
      }
    },
    (id, failedDependency) => {
      skipAfterFailedParent(tasks, tasks.get(id), failedDependency);
      return undefined;
    },
  );
}

/** A build that ran: its record line (or `failed`), and the record's error as the task's message. */
export function settleBuilt(tasks: RunTasks, task: RunTask, record: BuildRecord): void {
  tasks.status(task, record.status === 'built' ? formatRecordLine(record).slice(record.project.length).trim() : 'failed');
  tasks.settle(task, record, record.status === 'built' ? 'success' : 'failure', record.error);
}

/** An image that starts FROM a failed one: not built, a failed record that says which and what to do. */
export function skipAfterFailedParent(tasks: RunTasks, task: RunTask, failedDependency: string): void {
  const message = `Not built: it starts FROM the image of ${failedDependency}, which failed. Fix that one and rerun.`;
  tasks.status(task, `skipped  (${failedDependency} failed)`);
  tasks.settle(task, recordFailureIfPossible(task.options as NormalizedBuildOptions, new Error(message), task.started, task.plan), 'skipped', message);
}
