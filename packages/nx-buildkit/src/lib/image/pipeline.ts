import type { ExecutorContext } from '@nx/devkit';
import { appendFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { baseImageRefs } from './identity/build-inputs';
import { describeError } from '../errors';
import { buildReason } from './identity/inputs-manifest';
import { formatProgressEvent } from '../engine/progress';
import { BuildRecord, formatRecordLine } from './record';
import { formatBatchSummary, formatStepSummary, ReportRow } from './report/batch-report';
import type { ReportEntry } from './report/run-report';
import { currentRunId, REPORT_FILE, writeRunReport } from './report/run-report-file';
import { batchConcurrency, parentProcessArgs } from './batch-concurrency';
import { runWithDependencies, topologicalOrder } from './batch-schedule';
import { BuildOutput, PlannedBuild, planBuild } from './plan';
import { recordFailureIfPossible } from './record-outcome';
import { runBuild } from './build';
import { skipIfUnchanged } from './skip';
import { createRunState, engineCallsLine } from './run-state';
import { connectEngineOf } from '../engine/connect';
import { workspaceImagesOf } from './workspace-images';
import { normalizeOptions, NormalizedBuildOptions } from './options/normalize-options';
import type { BuildExecutorSchema } from './options/build-options';
import { assignShards, Shard, ShardableTarget } from './shard';
import { BUILD_EXECUTOR } from './options/build-options';

export interface TaskResult {
  readonly success: boolean;
  readonly terminalOutput: string;
  readonly status?: 'success' | 'failure' | 'skipped';
}

interface BatchTask {
  readonly id: string;
  readonly label: string;
  readonly options?: NormalizedBuildOptions;
  readonly log: string[];
  readonly started: number;
  plan?: PlannedBuild;
  /** When it was handed to BuildKit, and when its result was known: the run report's timeline. */
  buildStarted?: number;
  ended?: number;
}

/** One docker-build task to run: its id, project and target, and its options as Nx gives them. */
export interface PipelineTask {
  readonly id: string;
  readonly project: string;
  readonly target: string;
  readonly options: BuildExecutorSchema;
}

/**
 * The one pipeline of the build executor, for one image or many: options checked, the engine asked once, every image
 * hashed (upstream images first), the unchanged ones skipped, the rest built concurrently on the one BuildKit (which
 * shares and dedupes their common steps), each after the images it starts FROM; every task gets its own result and
 * record. A single task (`--batch=false`) is a batch of one, so both modes make the same checks, records and messages.
 * We run concurrent `buildx build`s rather than `buildx bake`: bake cancels every sibling on the first failure and then
 * writes no metadata, while each task must get its own result and a failing image must fail alone.
 */
export async function* runImagePipeline(
  pipelineTasks: readonly PipelineTask[],
  dependencies: Readonly<Record<string, readonly string[]>>,
  context: ExecutorContext,
  output: { readonly summary: boolean },
): AsyncGenerator<{ task: string; result: TaskResult }> {
  const runStarted = Date.now();
  const ids = topologicalOrder(
    pipelineTasks.map((task) => task.id),
    dependencies,
  );
  const specs = new Map(pipelineTasks.map((task) => [task.id, task]));
  const tasks = new Map(ids.map((id) => [id, createTask(specs.get(id) as PipelineTask, context)]));
  const records = new Map<string, BuildRecord>();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const width = Math.max(...[...tasks.values()].map((task) => task.label.length));
  const status = (task: BatchTask, text: string) => say(`${task.label.padEnd(width)}  ${text}`);

  const finished: { task: string; result: TaskResult }[] = [];
  const settledIds = new Set<string>();
  const settle = (task: BatchTask, record: BuildRecord | undefined, outcome: TaskResult['status'], message?: string) => {
    settledIds.add(task.id);
    if (record) records.set(task.id, record);
    task.ended = Date.now();
    // The record's line is the status line already said as it happened: the task's output does not repeat it.
    if (message) task.log.push(message);
    finished.push({ task: task.id, result: { success: outcome === 'success', status: outcome, terminalOutput: `${task.log.join('\n')}\n` } });
  };
  // Every error after the options were accepted ends the same way: the status line, a failed record, the message.
  // --explain records nothing, not even a failure: the last good record is what FROM look-ups and the no-op check read.
  const fail = (task: BatchTask, error: unknown, line = 'failed') => {
    status(task, line);
    const options = task.options as NormalizedBuildOptions;
    settle(task, options.explain ? undefined : recordFailureIfPossible(options, error, task.started, task.plan), 'failure', describeError(error));
  };

  // Options that cannot be used fail their own task, before anything runs.
  for (const task of tasks.values()) {
    if (!task.options) {
      status(task, 'failed   invalid options');
      settle(task, undefined, 'failure');
    }
  }
  // --shard=i/n: the images of other shards are reported as theirs and left alone, before the engine is asked.
  const shards = shardsOfWorkspace(ids.map((id) => tasks.get(id)?.options?.shard).find((shard) => shard !== undefined), context);
  let otherShards = 0;
  for (const id of ids) {
    const task = tasks.get(id) as BatchTask;
    const shard = task.options?.shard;
    const owner = shard && shards?.get(`${specs.get(id)?.project}:${specs.get(id)?.target}`);
    if (!shard || !owner || owner === shard.index) continue;
    status(task, `other shard (${owner}/${shard.count})`);
    settle(task, undefined, 'success', `Left to shard ${owner}/${shard.count}: this machine builds shard ${shard.index}/${shard.count}.`);
    otherShards++;
  }
  const accepted = ids.filter((id) => tasks.get(id)?.options && !settledIds.has(id));
  // One engine per run: its image store is where every image of the run, and the bases they start FROM, are found.
  const engine = (tasks.get(accepted[0] ?? '')?.options as NormalizedBuildOptions | undefined)?.engine ?? 'docker';
  for (const id of accepted) {
    const task = tasks.get(id) as BatchTask;
    const other = (task.options as NormalizedBuildOptions).engine;
    if (other === engine) continue;
    status(task, `failed   engine ${other} in a ${engine} run`);
    settle(task, undefined, 'failure', `${task.label} builds with ${other}, the other images of this run with ${engine}: one run uses one engine. Run it on its own (nx run ${specs.get(id)?.project}:${specs.get(id)?.target}, or --batch=false), or give every target the same "engine".`);
  }
  const valid = accepted.filter((id) => !settledIds.has(id));
  yield* drain(finished);

  const run = createRunState(connectEngineOf(engine), undefined, workspaceImagesOf(context));
  try {
    await run.engine.ping();
  } catch (error) {
    say(describeError(error));
    for (const id of valid) fail(tasks.get(id) as BatchTask, error);
    yield* drain(finished);
    return;
  }

  // 1. Hash every image, upstream images first: a dependent's hash includes its base image's hash. Every base image
  // of the run is inspected in one engine call, and each distinct one looked up in its registry at most once.
  await run.baseIdentities.prefetch(valid.flatMap((id) => baseImageRefs(tasks.get(id)?.options as NormalizedBuildOptions)));
  for (const id of valid) {
    const task = tasks.get(id) as BatchTask;
    const options = task.options as NormalizedBuildOptions;
    try {
      task.plan = await planBuild(options, outputFor(task, say, width), run, task.started);
    } catch (error) {
      fail(task, error, `failed   ${describeError(error).split('\n')[0]}`);
    }
  }
  // --explain writes nothing: what it learnt of file digests is not kept either.
  if (!valid.some((id) => tasks.get(id)?.options?.explain)) run.saveDigestCaches();
  yield* drain(finished);

  // --explain: the difference from the last build, and nothing built, skipped or recorded.
  for (const id of valid) {
    const task = tasks.get(id) as BatchTask;
    if (!task.plan || !task.plan.options.explain) continue;
    const { hashTag } = task.plan;
    const changes = task.plan.changes();
    status(task, `inputs ${hashTag}: ${changes.summary}`);
    for (const line of changes.details) say(`${' '.repeat(width)}    ${line}`);
    settle(task, undefined, 'success');
  }
  yield* drain(finished);

  // 2. Skip what exists, locally or in the registry.
  const planned = valid.filter((id) => tasks.get(id)?.plan && !(tasks.get(id)?.plan as PlannedBuild).options.explain);
  const toBuild: string[] = [];
  // Look-ups only (engine and registry round trips): at least two overlap, past eight the engine is the limit.
  const bound = Math.min(8, Math.max(2, availableParallelism()));
  await runWithDependencies(planned, {}, bound, async (id) => {
    const task = tasks.get(id) as BatchTask;
    try {
      const skipped = await skipIfUnchanged(task.plan as PlannedBuild, run);
      if (skipped) {
        status(task, formatRecordLine(skipped).slice(skipped.project.length).trim());
        settle(task, skipped, 'success');
      } else {
        toBuild.push(id);
        status(task, 'queued');
      }
    } catch (error) {
      fail(task, error);
    }
    return { ok: true, value: undefined };
  }, () => undefined);
  yield* drain(finished);

  // 3. Build the rest, each after the images it starts FROM, as many at once as Nx's --parallel says.
  const buildConcurrency = batchConcurrency({ nxArgs: parentProcessArgs(), env: process.env, nxJsonParallel: context.nxJsonConfiguration?.parallel });
  if (process.env.NX_VERBOSE_LOGGING === 'true' && toBuild.length > 1) say(`nx-buildkit: building up to ${buildConcurrency} images at once (Nx's --parallel).`);
  const building = runWithDependencies(
    toBuild,
    dependencies,
    buildConcurrency,
    async (id) => {
      const task = tasks.get(id) as BatchTask;
      task.buildStarted = Date.now();
      status(task, `building (${buildReason((task.plan as PlannedBuild).changes(), (task.plan as PlannedBuild).options.checkRegistry)})`);
      try {
        const record = await runBuild(task.plan as PlannedBuild, outputFor(task, say, width), run);
        status(task, record.status === 'built' ? formatRecordLine(record).slice(record.project.length).trim() : 'failed');
        settle(task, record, record.status === 'built' ? 'success' : 'failure', record.error);
        return { ok: record.status === 'built', value: undefined };
      } catch (error) {
        fail(task, error);
        return { ok: false, value: undefined };
      }
    },
    (id, failedDependency) => {
      const task = tasks.get(id) as BatchTask;
      const message = `Not built: it starts FROM the image of ${failedDependency}, which failed. Fix that one and rerun.`;
      status(task, `skipped  (${failedDependency} failed)`);
      settle(task, recordFailureIfPossible(task.options as NormalizedBuildOptions, new Error(message), task.started, task.plan), 'skipped', message);
      return undefined;
    },
  );
  let done = false;
  building.finally(() => (done = true)).catch(() => undefined);
  while (!done || finished.length) {
    yield* drain(finished);
    if (!done) await Promise.race([building.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 200))]);
  }
  await building;

  // Sizes from one listing: the run's own when nothing was built, else a fresh one that holds the new images.
  const anyBuilt = [...records.values()].some((record) => record.status === 'built');
  const images = await (anyBuilt ? run.engine.listImages() : run.localImages()).catch(() => []);
  const sizes = new Map(images.map((image) => [image.id, image.sizeBytes]));
  const recorded = ids.filter((id) => records.has(id));
  const rows: ReportRow[] = recorded.map((id) => {
    const record = records.get(id) as BuildRecord;
    return { record, sizeBytes: record.imageId ? sizes.get(record.imageId) : undefined };
  });
  if (output.summary) say(`\n${formatBatchSummary(rows)}${otherShards ? `\n${otherShards} image${otherShards === 1 ? '' : 's'} left to other shards` : ''}`);
  appendStepSummary(rows, Date.now() - runStarted, say);
  writeReports(
    recorded.map((id, i) => ({ task: tasks.get(id) as BatchTask, row: rows[i] })),
    output.summary ? say : () => undefined,
    say,
  );
  if (process.env.NX_VERBOSE_LOGGING === 'true') say(engineCallsLine(run));
}

/**
 * Which shard builds each build target of the workspace, when the run is sharded: the split is computed from every
 * build target in the workspace (context.projectsConfigurations), with the images it starts FROM taken from each
 * target's dependsOn, so every machine and every batch agrees.
 */
function shardsOfWorkspace(shard: Shard | undefined, context: ExecutorContext): Map<string, number> | undefined {
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

/**
 * With GITHUB_STEP_SUMMARY set (GitHub Actions), the run's table is appended there as Markdown. A summary that cannot
 * be written says so in one line and fails nothing: the images and records are what the run is for.
 */
function appendStepSummary(rows: readonly ReportRow[], wallMs: number, say: (line: string) => void): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path || rows.length === 0) return;
  try {
    appendFileSync(path, formatStepSummary(rows, wallMs));
  } catch (error) {
    say(`nx-buildkit: could not append the summary to GITHUB_STEP_SUMMARY (${path}): ${(error as Error).message}`);
  }
}

/**
 * The run report (`<recordDir>/report.html`, dist/docker by default) for every record folder the run used. A report
 * that cannot be written says so in one line and fails nothing. A run that recorded nothing (--explain) leaves the
 * last report as it was.
 */
function writeReports(reported: readonly { readonly task: BatchTask; readonly row: ReportRow }[], tell: (line: string) => void, warn: (line: string) => void): void {
  const byFolder = new Map<string, ReportEntry[]>();
  for (const { task, row: { record, sizeBytes } } of reported) {
    const folder = (task.options as NormalizedBuildOptions).recordDir;
    const entry: ReportEntry = { record, sizeBytes, startedAt: task.started, buildStartedAt: task.buildStarted, endedAt: task.ended ?? Date.now() };
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), entry]);
  }
  const runId = currentRunId();
  for (const [folder, entries] of byFolder) {
    try {
      tell(`Report: ${relative(process.cwd(), writeRunReport(folder, runId, entries)) || REPORT_FILE}`);
    } catch (error) {
      warn(`nx-buildkit: could not write the run report in ${folder}: ${(error as Error).message}`);
    }
  }
}

function createTask(spec: PipelineTask, context: ExecutorContext): BatchTask {
  const { id, project, target } = spec;
  const label = target === 'docker-build' ? project : `${project}:${target}`;
  const task: BatchTask = { id, label, log: [], started: Date.now() };
  try {
    const normalized = normalizeOptions(spec.options, {
      workspaceRoot: context.root,
      projectName: project,
      projectRoot: context.projectsConfigurations?.projects[project]?.root ?? '',
      targetName: target,
      projectGraph: context.projectGraph,
    });
    return { ...task, options: normalized };
  } catch (error) {
    task.log.push(describeError(error));
    process.stdout.write(`${describeError(error)}\n`);
    return task;
  }
}

/** Step lines go to the console (one per finished step); everything, RUN output included, to the task's own log. */
function outputFor(task: BatchTask, say: (line: string) => void, width: number): BuildOutput {
  return {
    info: (line) => task.log.push(line),
    // Shown once, with the task's output when it ends.
    warn: (line) => task.log.push(line),
    step: (event) => {
      if (event.kind === 'log') return;
      const [line] = formatProgressEvent('', event);
      say(`${task.label.padEnd(width)}  ${line.trim()}`);
    },
  };
}

function* drain<T>(queue: T[]): Generator<T> {
  while (queue.length) yield queue.shift() as T;
}
