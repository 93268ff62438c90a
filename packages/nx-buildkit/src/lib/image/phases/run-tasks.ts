import { describeError } from '../../errors';
import { formatProgressEvent } from '../../engine/progress';
import type { BuildRecord } from '../record';
import type { BuildOutput, PlannedBuild } from '../plan';
import { recordFailureIfPossible } from '../record-outcome';
import type { NormalizedBuildOptions } from '../options/normalize-options';

export interface TaskResult {
  readonly success: boolean;
  readonly terminalOutput: string;
  readonly status?: 'success' | 'failure' | 'skipped';
}

/**
 * Resolves when `work` settles or after `ms`, whichever comes first, and clears its timer either way. A timer left
 * pending kept the batch process alive after its last task: Nx then had to kill it, ~0.1 s on every run (B2, B4).
 */
export function settledOrAfter(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work.then(noop, noop), elapsed]).finally(() => clearTimeout(timer));
}

function noop(): void {
  // settled either way
}

/** One docker-build task of a run, as the phases see it. */
export interface RunTask {
  readonly id: string;
  readonly project: string;
  readonly target: string;
  /** `project`, or `project:target` for a target not named docker-build: the start of its status lines. */
  readonly label: string;
  /** Undefined when the options cannot be used (acceptOptions fails the task). */
  readonly options?: NormalizedBuildOptions;
  readonly log: string[];
  readonly started: number;
  plan?: PlannedBuild;
  /** When it was handed to BuildKit, and when its result was known: the run report's timeline. */
  buildStarted?: number;
  ended?: number;
}

/**
 * The tasks of one run and what became of them: each task's status lines (one column of labels), its result once
 * settled, its record. Results wait in a queue until the pipeline hands them to Nx (drain), in the order they settled.
 */
export class RunTasks {
  /** Every task id, each after the ids it depends on. */
  readonly ids: readonly string[];
  /** Records of settled tasks, by task id. */
  readonly records = new Map<string, BuildRecord>();
  private readonly byId: Map<string, RunTask>;
  private readonly finished: { task: string; result: TaskResult }[] = [];
  private readonly settled = new Set<string>();
  private readonly width: number;

  constructor(
    tasks: readonly RunTask[],
    readonly say: (line: string) => void,
  ) {
    this.ids = tasks.map((task) => task.id);
    this.byId = new Map(tasks.map((task) => [task.id, task]));
    this.width = Math.max(...tasks.map((task) => task.label.length));
  }

  get(id: string): RunTask {
    return this.byId.get(id) as RunTask;
  }

  isSettled(id: string): boolean {
    return this.settled.has(id);
  }

  /** A status line: the label in its column, then the text. */
  status(task: RunTask, text: string): void {
    this.say(`${task.label.padEnd(this.width)}  ${text}`);
  }

  /** A line under the status lines, indented past the labels. */
  detail(line: string): void {
    this.say(`${' '.repeat(this.width)}    ${line}`);
  }

  settle(task: RunTask, record: BuildRecord | undefined, outcome: TaskResult['status'], message?: string): void {
    this.settled.add(task.id);
    if (record) this.records.set(task.id, record);
    task.ended = Date.now();
    // The record's line is the status line already said as it happened: the task's output does not repeat it.
    if (message) task.log.push(message);
    this.finished.push({ task: task.id, result: { success: outcome === 'success', status: outcome, terminalOutput: `${task.log.join('\n')}\n` } });
  }

  /**
   * Every error after the options were accepted ends the same way: the status line, a failed record, the message.
   * --explain records nothing, not even a failure: the last good record is what FROM look-ups and the no-op check read.
   */
  fail(task: RunTask, error: unknown, line = 'failed'): void {
    this.status(task, line);
    const options = task.options as NormalizedBuildOptions;
    this.settle(task, options.explain ? undefined : recordFailureIfPossible(options, error, task.started, task.plan), 'failure', describeError(error));
  }

  /** The results settled since the last drain, in the order they settled. */
  *drain(): Generator<{ task: string; result: TaskResult }> {
    while (this.finished.length) yield this.finished.shift() as { task: string; result: TaskResult };
  }

  /** The results as they settle while `work` runs (looked at every 200 ms), then the rest; rethrows what `work` threw. */
  async *drainUntil(work: Promise<unknown>): AsyncGenerator<{ task: string; result: TaskResult }> {
    let done = false;
    work.finally(() => (done = true)).catch(() => undefined);
    while (!done || this.finished.length) {
      yield* this.drain();
      if (!done) await settledOrAfter(work, 200);
    }
    await work;
  }

  /** Step lines go to the console (one per finished step); everything, RUN output included, to the task's own log. */
  outputFor(task: RunTask): BuildOutput {
    return {
      info: (line) => task.log.push(line),
      // Shown once, with the task's output when it ends.
      warn: (line) => task.log.push(line),
      step: (event) => {
        if (event.kind === 'log') return;
        const [line] = formatProgressEvent('', event);
        this.status(task, line.trim());
      },
    };
  }
}
