// The one process helper of the bench: argument arrays (never a shell string), output captured, wall time measured
// around the child process, and a failure that says which command failed with the tail of its output.
import { execa } from 'execa';

export class CommandError extends Error {}

/**
 * Runs a command and returns { stdout, stderr, all, exitCode, ms }. Throws CommandError on a non-zero exit unless
 * `allowFailure` is set. `echo` passes the output through while it is captured.
 */
export async function run(file, args, { cwd, env = {}, allowFailure = false, echo = process.env.NXB_BENCH_ECHO === '1', timeoutMs } = {}) {
  const started = process.hrtime.bigint();
  const child = execa(file, args, {
    cwd,
    env: { ...process.env, ...env },
    all: true,
    reject: false,
    stdin: 'ignore',
    ...(timeoutMs !== undefined && { timeout: timeoutMs }),
  });
  if (echo) {
    child.stdout?.pipe(process.stdout);
    child.stderr?.pipe(process.stderr);
  }
  const result = await child;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.exitCode !== 0 && !allowFailure) {
    const tail = (result.all ?? '').trim().split('\n').slice(-40).join('\n');
    const reason = result.timedOut ? `timed out after ${timeoutMs} ms` : result.exitCode === undefined ? `failed to start (${result.message})` : `exited with ${result.exitCode}`;
    throw new CommandError(`${[file, ...args].join(' ')} ${reason}${cwd ? ` (in ${cwd})` : ''}\n${tail}`);
  }
  return { stdout: result.stdout ?? '', stderr: result.stderr ?? '', all: result.all ?? '', exitCode: result.exitCode, ms };
}

/** stdout of a command that must succeed, trimmed. */
export async function output(file, args, options = {}) {
  return (await run(file, args, options)).stdout.trim();
}
