import type { EngineKind } from '../../engine/engine-kind';
import type { RunTasks } from './run-tasks';

/**
 * One engine per run: its image store is where every image of the run, and the bases they start FROM, are found. The
 * engine of the first accepted task is the run's; a task that names another fails with the fix. Returns the engine
 * and the tasks still to run, in order.
 */
export function oneEngine(tasks: RunTasks): { engine: EngineKind; valid: string[] } {
  const accepted = tasks.ids.filter((id) => tasks.get(id).options && !tasks.isSettled(id));
  const engine = tasks.get(accepted[0] ?? '')?.options?.engine ?? 'docker';
  for (const id of accepted) {
    const task = tasks.get(id);
    const other = task.options?.engine;
    if (other === engine) continue;
    tasks.status(task, `failed   engine ${other} in a ${engine} run`);
    tasks.settle(
      task,
      undefined,
      'failure',
      `${task.label} builds with ${other}, the other images of this run with ${engine}: one run uses one engine. Run it on its own (nx run ${task.project}:${task.target}, or --batch=false), or give every target the same "engine".`,
    );
  }
  return { engine, valid: accepted.filter((id) => !tasks.isSettled(id)) };
}
