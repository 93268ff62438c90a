import { ChildProcess, spawn } from 'node:child_process';

export interface ProcessResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the process was killed by a signal (e.g. the user pressed Ctrl-C). */
  readonly signal?: string;
  /** Set when the program could not be started at all (e.g. not installed). */
  readonly spawnError?: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly input?: string;
  /** Added to this process's environment (which the child gets whole). */
  readonly env?: Readonly<Record<string, string>>;
  /** Receives stderr as it arrives (BuildKit's progress stream is on stderr). */
  readonly onStderr?: (chunk: string) => void;
  readonly onStdout?: (chunk: string) => void;
  /** Aborting it stops the process (SIGTERM, then SIGKILL after 5 s). */
  readonly cancelSignal?: AbortSignal;
}

/** How long a canceled process gets to stop after SIGTERM before it is killed. */
export const FORCE_KILL_AFTER_MS = 5000;
/**
 * What is kept of each output stream, in characters (the stream is decoded as it arrives); the rest is dropped, not
 * the process (a long RUN log must not fail a build).
 */
export const KEPT_OUTPUT_CHARS = 64 * 1024 * 1024;

/** Processes still running: stopped if this process exits first (Nx ends a batch process once its tasks are done). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/**
 * The one place that starts processes: an argument array, never a shell; output captured while it streams; exit
 * code returned, not thrown. Node's own spawn rather than execa: loading execa 9 (ESM, ~60 modules) took ~130 ms of
 * every run that starts a process — a third of a small image's rebuild (B2) — for features we use a handful of.
 * run-process.spec.ts checks each of them: exit codes and signals, a program that is not there, input, the
 * environment, streamed output, cancellation with SIGTERM and then SIGKILL.
 */
export function runProcess(file: string, args: readonly string[], options: RunOptions = {}, forceKillAfterMs = FORCE_KILL_AFTER_MS): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ? { ...process.env, ...options.env } : process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      shell: false,
    });
    const stdout = collect(child.stdout, options.onStdout);
    const stderr = collect(child.stderr, options.onStderr);
    let spawnError: string | undefined;
    let forceKill: NodeJS.Timeout | undefined;
    const cancel = () => {
      child.kill('SIGTERM');
      forceKill = setTimeout(() => child.kill('SIGKILL'), forceKillAfterMs);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failed start is reported here; a kill that fails on an exited process is no news.
      if (child.pid === undefined) spawnError = `Command failed with ${error.code ?? 'an error'}: ${[file, ...args].join(' ')}\n${error.message}`;
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(forceKill);
      options.cancelSignal?.removeEventListener('abort', cancel);
      resolve({
        // A program that could not start has no exit code of its own: 127, as a shell says for one it cannot find.
        exitCode: spawnError ? 127 : (code ?? (signal ? 128 : 127)),
        stdout: stdout.text(),
        stderr: stderr.text(),
        signal: signal ?? undefined,
        spawnError,
      });
    });
    if (child.pid === undefined) return;
    running.add(child);
    if (options.cancelSignal?.aborted) cancel();
    else options.cancelSignal?.addEventListener('abort', cancel, { once: true });
    // A program that exits without reading its input closes the pipe: that is its business, not an error here.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
  });
}

/** A stream's text as it arrives (decoded whole characters, also across chunks), and all of it at the end. */
function collect(stream: NodeJS.ReadableStream | null, onChunk: ((chunk: string) => void) | undefined): { text: () => string } {
  const chunks: string[] = [];
  let kept = 0;
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    if (kept < KEPT_OUTPUT_CHARS) {
      chunks.push(chunk);
      kept += chunk.length;
    }
    onChunk?.(chunk);
  });
  // The last newline is the line's end, not part of the answer ("sha256:…\n" → "sha256:…").
  return { text: () => chunks.join('').replace(/\r?\n$/, '') };
}
