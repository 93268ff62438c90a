import type { ExecutorContext } from '@nx/devkit';
import { describeError } from '../../errors';
import type { BuildExecutorSchema } from '../options/build-options';
import { normalizeOptions } from '../options/normalize-options';
import type { RunTask, RunTasks } from './run-tasks';

/** One docker-build task to run: its id, project and target, and its options as Nx gives them. */
export interface PipelineTask {
  readonly id: string;
  readonly project: string;
  readonly target: string;
  readonly options: BuildExecutorSchema;
}

/** A task with its options normalized; options that cannot be used are said at once, and the task has none. */
export function createTask(
  spec: PipelineTask,
  context: Pick<ExecutorContext, 'root' | 'projectsConfigurations' | 'projectGraph'>,
  say: (line: string) => void,
  onPath?: (program: string) => boolean,
): RunTask {
  const { id, project, target } = spec;
  const label = target === 'docker-build' ? project : `${project}:${target}`;
  const task: RunTask = { id, project, target, label, log: [], started: Date.now() };
  try {
    const normalized = normalizeOptions(spec.options, {
      workspaceRoot: context.root,
      projectName: project,
      projectRoot: context.projectsConfigurations?.projects[project]?.root ?? '',
      targetName: target,
      projectGraph: context.projectGraph,
    }, process.env, onPath);
    return { ...task, options: normalized };
  } catch (error) {
    task.log.push(describeError(error));
    say(describeError(error));
    return task;
  }
}

/** Options that cannot be used fail their own task, before anything runs. */
export function acceptOptions(tasks: RunTasks): void {
  for (const id of tasks.ids) {
    const task = tasks.get(id);
    if (task.options) continue;
    tasks.status(task, 'failed   invalid options');
    tasks.settle(task, undefined, 'failure');
  }
}
