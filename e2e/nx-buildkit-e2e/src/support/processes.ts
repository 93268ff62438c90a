import { spawn, spawnSync } from 'node:child_process';

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly input?: string;
  /** Echo output to this process's stdout while it runs (long builds stay visible in CI logs). */
  readonly echo?: boolean;
}

/**
 * Runs a program with an argument array (no shell) and resolves with its output whatever the exit code.
 * The e2e suites use node's child_process here: execa is ESM-only and Jest's module loader cannot load it.
 */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
      output += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr, output }));
    // A program may exit before reading its input (socat polling a registry that does not listen yet): the write then
    // fails with EPIPE, which must not fail the caller, who reads the exit code and output instead.
    child.stdin?.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like run, but throws with the output when the program fails. */
export async function runOk(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(file, args, options);
  if (result.exitCode !== 0) {
    throw new Error(`${file} ${args.join(' ')} exited with ${result.exitCode}:\n${result.output}`);
  }
  return result;
}

export function runSync(file: string, args: readonly string[], cwd?: string): string {
  const result = spawnSync(file, [...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Asserts a command succeeded; on failure the error carries its whole output, so the cause is in the test report. */
export function expectSuccess(result: RunResult, what = 'command'): void {
  if (result.exitCode !== 0) throw new Error(`${what} exited with ${result.exitCode}:\n${result.output}`);
}
