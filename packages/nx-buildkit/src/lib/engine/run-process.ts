import type { Options, ResultPromise } from 'execa' with { 'resolution-mode': 'import' };

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
  readonly env?: Readonly<Record<string, string>>;
  /** Receives stderr as it arrives (BuildKit's progress stream is on stderr). */
  readonly onStderr?: (chunk: string) => void;
  readonly onStdout?: (chunk: string) => void;
  /** Aborting it stops the process (SIGTERM, then SIGKILL after 5 s). */
  readonly cancelSignal?: AbortSignal;
}

/**
 * The one place that starts processes: an argument array, never a shell; output captured while it streams; exit
 * code returned, not thrown. execa is ESM-only, so it is loaded with a real dynamic import.
 */
export async function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  const { execa } = await import('execa');
  const execaOptions: Options = {
    cwd: options.cwd,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    env: options.env ? { ...options.env } : undefined,
    reject: false,
    shell: false,
    stripFinalNewline: true,
    // Stop the child if this process exits or is interrupted, then kill it if it does not stop in 5 s.
    cleanup: true,
    forceKillAfterDelay: 5000,
    maxBuffer: 256 * 1024 * 1024,
    cancelSignal: options.cancelSignal,
  };
  const child = execa(file, [...args], execaOptions) as ResultPromise<Options>;
  if (options.onStderr) child.stderr?.on('data', (chunk: Buffer) => options.onStderr?.(chunk.toString('utf8')));
  if (options.onStdout) child.stdout?.on('data', (chunk: Buffer) => options.onStdout?.(chunk.toString('utf8')));
  const result = await child;
  const spawnFailed = result.failed && result.exitCode === undefined && !result.signal;
  return {
    exitCode: result.exitCode ?? (result.signal ? 128 : 127),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    signal: result.signal,
    spawnError: spawnFailed ? result.shortMessage : undefined,
  };
}
