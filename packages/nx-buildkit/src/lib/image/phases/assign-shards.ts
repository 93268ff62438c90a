import type { ExecutorContext } from '@nx/devkit';
import { BUILD_EXECUTOR } from '../options/build-options';
import { assignShards, Shard, ShardableTarget } from '../shard';
import type { RunTasks } from './run-tasks';

/**
 * --shard=i/n: the images of other shards are reported as theirs and left alone, before the engine is asked.
 * Returns how many were left.
 */
export function leaveOtherShards(tasks: RunTasks, context: Pick<ExecutorContext, 'projectsConfigurations'>): number {
  const shards = shardsOfWorkspace(tasks.ids.map((id) => tasks.get(id).options?.shard).find((shard) => shard !== undefined), context);
  let otherShards = 0;
  for (const id of tasks.ids) {
    const task = tasks.get(id);
    const shard = task.options?.shard;
    const owner = shard && shards?.get(`${task.project}:${task.target}`);
    if (!shard || !owner || owner === shard.index) continue;
    tasks.status(task, `other shard (${owner}/${shard.count})`);
    tasks.settle(task, undefined, 'success', `Left to shard ${owner}/${shard.count}: this machine builds shard ${shard.index}/${shard.count}.`);
    otherShards++;
  }
  return otherShards;
}

/**
 * Which shard builds each build target of the workspace, when the run is sharded: the split is computed from every
 * build target in the workspace (context.projectsConfigurations), with the images it starts FROM taken from each
 * target's dependsOn, so every machine and every batch agrees.
 */
export function shardsOfWorkspace(shard: Shard | undefined, context: Pick<ExecutorContext, 'projectsConfigurations'>): Map<string, number> | undefined {
  if (!shard) return undefined;
  const targets: ShardableTarget[] = [];
  for (const [project, config] of Object.entries(context.projectsConfigurations?.projects ?? {})) {
    for (const [name, target] of Object.entries(config.targets ?? {})) {
      if (target.executor !== BUILD_EXECUTOR) continue;
      const dependsOn = (target.dependsOn ?? []).flatMap((dependency) =>
        typeof dependency === 'object' && dependency.target && Array.isArray(dependency.projects) ? dependency.projects.map((p) => `${p}:${dependency.target}`) : [],
      );
      targets.push({ id: `${project}:${name}`, dependsOn });
    }
  }
  return assignShards(targets, shard.count);
}
