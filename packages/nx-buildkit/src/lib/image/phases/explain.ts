import type { RunTasks } from './run-tasks';

/** --explain: the difference from the last build, and nothing built, skipped or recorded. */
export function explain(tasks: RunTasks, valid: readonly string[]): void {
  for (const id of valid) {
    const task = tasks.get(id);
    if (!task.plan || !task.plan.options.explain) continue;
    const changes = task.plan.changes();
    tasks.status(task, `inputs ${task.plan.hashTag}: ${changes.summary}`);
    for (const line of changes.details) tasks.detail(line);
    tasks.settle(task, undefined, 'success');
  }
}
