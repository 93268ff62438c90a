import { describeError } from '../../errors';
import { baseImageRefs } from '../identity/build-inputs';
import type { NormalizedBuildOptions } from '../options/normalize-options';
import { planBuild } from '../plan';
import type { RunState } from '../run-state';
import type { RunTasks } from './run-tasks';

/**
 * Asks the engine about every base image of the run (each Dockerfile parsed here, once), without waiting for the
 * answers: hashing waits for each where it needs it, while it walks and reads the context. It needs no answer yet,
 * so connect starts it beside the ping.
 */
export function prefetchBaseImages(tasks: RunTasks, valid: readonly string[], run: RunState): void {
  void run.baseIdentities.prefetch(valid.flatMap((id) => baseImageRefs(tasks.get(id).options as NormalizedBuildOptions, run.dockerfiles)));
}

/**
 * Hashes every image, upstream images first: a dependent's hash includes its base image's hash. Every base image of
 * the run is asked for once (prefetchBaseImages), and each distinct one looked up in its registry at most once. A task
 * whose image cannot be hashed fails with the first line of why.
 */
export async function planAll(tasks: RunTasks, valid: readonly string[], run: RunState): Promise<void> {
  prefetchBaseImages(tasks, valid, run);
  for (const id of valid) {
    const task = tasks.get(id);
    try {
      task.plan = await planBuild(task.options as NormalizedBuildOptions, tasks.outputFor(task), run, task.started);
    } catch (error) {
      tasks.fail(task, error, `failed   ${describeError(error).split('\n')[0]}`);
    }
  }
  // --explain writes nothing: what it learnt of file digests is not kept either.
  if (!valid.some((id) => tasks.get(id).options?.explain)) run.saveDigestCaches();
}
