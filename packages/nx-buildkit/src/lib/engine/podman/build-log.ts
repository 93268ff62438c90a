import type { ProgressEvent, StepCounts } from '../progress';

/** Instructions BuildKit shows as steps (they change the file system); ARG, ENV, CMD, LABEL… are not counted. */
const COUNTED = /^(RUN|COPY|ADD|WORKDIR)\b/i;
/** `[2/2] STEP 3/4: COPY a.txt /a.txt`, or `STEP 2/3: RUN …` in a one-stage build. */
const STEP_LINE = /^(?:\[(\d+)\/(\d+)\] )?STEP (\d+)\/(\d+): (.*)$/;
/** buildah's own line when a step's result comes from its layer cache. */
const CACHE_LINE = /^--> Using cache [0-9a-f]+/;
/** `--> 3482eb7cf41`: the step is done. */
const DONE_LINE = /^--> [0-9a-f]{6,}$/;

interface Step {
  readonly name: string;
  readonly counted: boolean;
  cached: boolean;
  done: boolean;
  readonly output: string[];
}

/**
 * Reads `podman build`'s plain log (stdout) as it streams: one event per step that finishes, cached or not, and the
 * RUN output between, in the same events BuildKit's rawjson stream gives (lib/engine/progress.ts), so every output shows a
 * podman build the same way. Step names are BuildKit's (`[2/3] RUN …`).
 */
export class PodmanBuildLog {
  private pending = '';
  private readonly steps: Step[] = [];
  private readonly errors: string[] = [];

  /** Feeds stdout; returns what happened in it. */
  push(chunk: string): ProgressEvent[] {
    this.pending += chunk;
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => this.line(line.replace(/\r$/, '')));
  }

  /** Feeds stderr: podman's errors and warnings, kept for the failure message. */
  pushError(chunk: string): void {
    for (const line of chunk.split('\n')) if (line.trim()) this.errors.push(line.trim());
  }

  stepCounts(): StepCounts {
    const counted = this.steps.filter((step) => step.counted);
    return { total: counted.length, cached: counted.filter((step) => step.cached).length };
  }

  /** The step that was running when the build stopped, with the last lines it printed. */
  failedStep(): { name: string; logTail: string } | undefined {
    const last = this.steps[this.steps.length - 1];
    if (!last || last.done) return undefined;
    return { name: last.name, logTail: last.output.slice(-20).join('\n') };
  }

  /** podman's own error lines (`Error: building at STEP "RUN false": while running runtime: exit status 1`). */
  errorText(): string {
    return this.errors.filter((line) => /^(Error|error)\b/.test(line)).join('\n') || this.errors.slice(-5).join('\n');
  }

  private line(line: string): ProgressEvent[] {
    const step = STEP_LINE.exec(line);
    if (step) {
      const events = this.finishCurrent();
      const instruction = step[5];
      this.steps.push({ name: `[${step[3]}/${step[4]}] ${instruction}`, counted: COUNTED.test(instruction), cached: false, done: /^FROM\b/i.test(instruction), output: [] });
      return events;
    }
    const current = this.steps[this.steps.length - 1];
    if (!current || current.done) return [];
    if (CACHE_LINE.test(line)) {
      current.cached = true;
      return [];
    }
    if (DONE_LINE.test(line) || /^COMMIT\b/.test(line)) return this.finishCurrent();
    current.output.push(line);
    return current.counted ? [{ kind: 'log', name: current.name, text: line }] : [];
  }

  private finishCurrent(): ProgressEvent[] {
    const current = this.steps[this.steps.length - 1];
    if (!current || current.done) return [];
    current.done = true;
    if (!current.counted) return [];
    return [{ kind: current.cached ? 'step-cached' : 'step-done', name: current.name }];
  }
}
