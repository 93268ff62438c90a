import type { ExecutorContext } from '@nx/devkit';
import { onPathOnce } from '../engine/engine-kind';
import { topologicalOrder } from './batch-schedule';
import { acceptOptions, createTask, PipelineTask } from './phases/accept-options';
import { leaveOtherShards } from './phases/assign-shards';
import { buildRest } from './phases/build-rest';
import { connect } from './phases/connect';
import { explain } from './phases/explain';
import { oneEngine } from './phases/one-engine';
import { planAll, prefetchBaseImages } from './phases/plan-all';
import { report } from './phases/report';
import { RunTasks, TaskResult } from './phases/run-tasks';
import { skipUnchanged } from './phases/skip-unchanged';

export type { PipelineTask } from './phases/accept-options';
export type { TaskResult } from './phases/run-tasks';

/**
 * The one pipeline of the build executor, for one image or many: options checked, the engine asked once, every image
 * hashed (upstream images first), the unchanged ones skipped, the rest built concurrently on the one BuildKit (which
 * shares and dedupes their common steps), each after the images it starts FROM; every task gets its own result and
 * record. A single task (`--batch=false`) is a batch of one, so both modes make the same checks, records and messages.
 * We run concurrent `buildx build`s rather than `buildx bake`: bake cancels every sibling on the first failure and then
 * writes no metadata, while each task must get its own result and a failing image must fail alone.
 * Each phase is a function of lib/image/phases; results are handed to Nx between phases, as they settle.
 */
export async function* runImagePipeline(
  pipelineTasks: readonly PipelineTask[],
  dependencies: Readonly<Record<string, readonly string[]>>,
  context: ExecutorContext,
  output: { readonly summary: boolean },
): AsyncGenerator<{ task: string; result: TaskResult }> {
  const runStarted = Date.now();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const specs = new Map(pipelineTasks.map((task) => [task.id, task]));
  const order = topologicalOrder([...specs.keys()], dependencies);
  const onPath = onPathOnce(process.env);
  const tasks = new RunTasks(
    order.map((id) => createTask(specs.get(id) as PipelineTask, context, say, onPath)),
    say,
  );

  acceptOptions(tasks);
  const otherShards = leaveOtherShards(tasks, context);
  const { engine, valid } = oneEngine(tasks);
  yield* tasks.drain();

  const run = await connect(engine, context, tasks, valid, (state) => prefetchBaseImages(tasks, valid, state));
  if (!run) {
    yield* tasks.drain();
    return;
  }

  await planAll(tasks, valid, run);
  yield* tasks.drain();

  explain(tasks, valid);
  yield* tasks.drain();

  const toBuild = await skipUnchanged(tasks, valid, run);
  yield* tasks.drain();

  yield* tasks.drainUntil(buildRest(tasks, toBuild, dependencies, run, context));

  await report(tasks, run, { summary: output.summary, otherShards, runStarted });
}
