/**
 * BuildKit's `--progress=rawjson` stream: concatenated, pretty-printed JSON objects on stderr (not one per line),
 * followed on failure by plain text (the Dockerfile excerpt and the `ERROR:` line).
 */

export interface RawVertex {
  digest: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

interface RawLog {
  vertex: string;
  stream?: number;
  data?: string;
}

interface RawSolveStatus {
  vertexes?: RawVertex[];
  logs?: RawLog[];
}

/** Splits a stream of concatenated JSON objects; whatever lies outside objects is kept as text. */
export class JsonObjectSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private objectStart = -1;
  private scanned = 0;
  private atLineStart = true;

  /** Feeds a chunk; returns the complete objects and the plain text found in it. */
  push(chunk: string): { objects: unknown[]; text: string } {
    this.buffer += chunk;
    const objects: unknown[] = [];
    let text = '';
    let consumed = 0;
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (this.depth === 0) {
        // rawjson prints every object from the start of a line; a "{" inside plain text (a Dockerfile excerpt) is text.
        if (ch === '{' && (i === 0 ? this.atLineStart : this.buffer[i - 1] === '\n')) {
          text += this.buffer.slice(consumed, i);
          this.objectStart = i;
          this.depth = 1;
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{') this.depth++;
      else if (ch === '}' && --this.depth === 0) {
        const raw = this.buffer.slice(this.objectStart, i + 1);
        try {
          objects.push(JSON.parse(raw));
        } catch {
          text += raw;
        }
        consumed = i + 1;
        this.objectStart = -1;
      }
    }
    if (this.depth === 0) {
      text += this.buffer.slice(consumed);
      if (this.buffer.length) this.atLineStart = this.buffer.endsWith('\n');
      this.buffer = '';
      this.scanned = 0;
    } else {
      this.buffer = this.buffer.slice(this.objectStart);
      this.scanned = this.buffer.length;
      this.objectStart = 0;
    }
    return { objects, text };
  }
}

export interface StepCounts {
  readonly total: number;
  readonly cached: number;
}

/** A Dockerfile step vertex: `[2/5] RUN …` or `[builder 2/5] COPY …`. FROM is left out: it is never "cached". */
const STEP_NAME = /^\[(?:[^\]]+ )?\d+\/\d+\] (?!FROM )/;

export function isStepVertex(name: string | undefined): boolean {
  return !!name && STEP_NAME.test(name);
}

export function countSteps(vertexes: Iterable<RawVertex>): StepCounts {
  let total = 0;
  let cached = 0;
  for (const vertex of vertexes) {
    if (!isStepVertex(vertex.name)) continue;
    total++;
    if (vertex.cached) cached++;
  }
  return { total, cached };
}

/**
 * Step counts of a build that succeeded, robust to steps BuildKit shared with a concurrent build: such a step may be
 * missing from this build's stream. Each step name carries its stage's size (`[build 3/12]`); a stage counts its size
 * minus its FROM (a stage that starts from another stage has no FROM step: its first step is `1/n`). A step this
 * build did not execute itself counts as cached. A stage missing from the stream altogether is not counted.
 */
export function countStepsOfSucceededBuild(vertexes: Iterable<RawVertex>): StepCounts {
  const stages = new Map<string, { size: number; firstIsFrom?: boolean }>();
  let executed = 0;
  for (const vertex of vertexes) {
    const match = /^\[(.*?)\s*(\d+)\/(\d+)\] (\S+)/.exec(vertex.name ?? '');
    if (!match) continue;
    const stage = stages.get(match[1]) ?? { size: Number(match[3]) };
    if (match[2] === '1') stage.firstIsFrom = match[4] === 'FROM';
    stages.set(match[1], stage);
    if (isStepVertex(vertex.name) && vertex.completed && !vertex.cached) executed++;
  }
  // Without its first step in view, a stage is assumed to start FROM an image, the common case.
  const total = [...stages.values()].reduce((sum, stage) => sum + stage.size - (stage.firstIsFrom === false ? 0 : 1), 0);
  return { total, cached: Math.max(0, total - executed) };
}

export interface ProgressEvent {
  readonly kind: 'step-done' | 'step-cached' | 'step-error' | 'log';
  readonly name: string;
  readonly seconds?: number;
  readonly text?: string;
}

/** Folds the rawjson stream into vertex state, and reports what a reader wants to see as it happens. */
export class BuildProgressTracker {
  private readonly splitter = new JsonObjectSplitter();
  private readonly vertexes = new Map<string, RawVertex>();
  private readonly logs = new Map<string, string>();
  private trailing = '';

  push(chunk: string): ProgressEvent[] {
    const { objects, text } = this.splitter.push(chunk);
    this.trailing += text;
    const events: ProgressEvent[] = [];
    for (const object of objects) this.apply(object as RawSolveStatus, events);
    return events;
  }

  private apply(status: RawSolveStatus, events: ProgressEvent[]): void {
    for (const update of status.vertexes ?? []) {
      const previous = this.vertexes.get(update.digest);
      const merged: RawVertex = { ...previous, ...update };
      this.vertexes.set(update.digest, merged);
      const name = merged.name ?? '';
      const finishedNow = !!update.completed && !previous?.completed;
      if (!finishedNow || !isStepVertex(name)) continue;
      if (merged.error) events.push({ kind: 'step-error', name, text: merged.error });
      else if (merged.cached) events.push({ kind: 'step-cached', name });
      else events.push({ kind: 'step-done', name, seconds: secondsBetween(merged.started, merged.completed) });
    }
    for (const log of status.logs ?? []) {
      if (!log.data) continue;
      const text = Buffer.from(log.data, 'base64').toString('utf8');
      this.logs.set(log.vertex, (this.logs.get(log.vertex) ?? '') + text);
      const name = this.vertexes.get(log.vertex)?.name ?? '';
      if (isStepVertex(name)) events.push({ kind: 'log', name, text });
    }
  }

  steps(): StepCounts {
    return countSteps(this.vertexes.values());
  }

  /** Step counts once the build succeeded (see countStepsOfSucceededBuild). */
  stepsOfSucceededBuild(): StepCounts {
    return countStepsOfSucceededBuild(this.vertexes.values());
  }

  /** The plain text BuildKit printed after its JSON (the failing line of the Dockerfile and the ERROR message). */
  trailingText(): string {
    return this.trailing.trim();
  }

  /** Name, error and last log lines of each failed step. */
  failures(): { name: string; error: string; logTail: string }[] {
    return [...this.vertexes.values()]
      .filter((v) => v.error && !/context canceled/.test(v.error))
      .map((v) => ({
        name: v.name ?? v.digest,
        error: v.error ?? '',
        logTail: (this.logs.get(v.digest) ?? '').trimEnd().split('\n').slice(-15).join('\n'),
      }));
  }
}

function secondsBetween(start?: string, end?: string): number | undefined {
  if (!start || !end) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? Math.max(0, ms / 1000) : undefined;
}

/** One readable line for a progress event, no cursor movement (CI logs stay readable). */
export function formatProgressEvent(label: string, event: ProgressEvent): string[] {
  const prefix = `  ${label} `;
  switch (event.kind) {
    case 'step-cached':
      return [`${prefix}${event.name}  CACHED`];
    case 'step-done':
      return [`${prefix}${event.name}  DONE${event.seconds !== undefined ? ` ${event.seconds.toFixed(1)}s` : ''}`];
    case 'step-error':
      return [`${prefix}${event.name}  ERROR: ${event.text ?? ''}`];
    case 'log':
      return (event.text ?? '')
        .replace(/\r/g, '')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => `${prefix}│ ${line}`);
  }
}
