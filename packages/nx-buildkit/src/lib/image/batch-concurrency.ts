import { readFileSync } from 'node:fs';

/**
 * How many images batch mode builds at once: what Nx's `--parallel` says, as Nx itself reads it. Nx passes neither
 * `--parallel` nor its value to a batch executor, so it is read from the same places Nx reads it: the nx command line
 * (`--parallel=N`, `--parallel` with `--maxParallel=N`, `--parallel=false`), then NX_PARALLEL, then nx.json's
 * `parallel`, then Nx's default of 3.
 */
export interface ConcurrencySources {
  /** The nx command's arguments (the batch process's parent), when they can be read. */
  readonly nxArgs: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** nx.json `parallel`. */
  readonly nxJsonParallel?: number;
}

/** Nx's own default for `parallel`. */
export const NX_DEFAULT_PARALLEL = 3;

export function batchConcurrency(sources: ConcurrencySources): number {
  const fromArgs = parallelFromArgs(sources.nxArgs);
  const fromEnv = positive(sources.env['NX_PARALLEL']);
  return fromArgs ?? fromEnv ?? (sources.nxJsonParallel !== undefined && sources.nxJsonParallel > 0 ? Math.floor(sources.nxJsonParallel) : NX_DEFAULT_PARALLEL);
}

/** The parallel count the nx arguments ask for, undefined when they do not say. */
export function parallelFromArgs(args: readonly string[]): number | undefined {
  let parallel: string | undefined;
  let maxParallel: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = splitOption(args[i]);
    const value = () => inline ?? (args[i + 1] !== undefined && !args[i + 1].startsWith('-') ? args[++i] : '');
    if (name === '--parallel') parallel = value();
    else if (name === '--maxParallel' || name === '--max-parallel') maxParallel = value();
    else if (name === '--no-parallel') parallel = 'false';
  }
  if (parallel === undefined) return maxParallel !== undefined ? positive(maxParallel) : undefined;
  if (parallel === 'false' || parallel === '0') return 1;
  if (parallel === '' || parallel === 'true') return positive(maxParallel) ?? NX_DEFAULT_PARALLEL;
  return positive(parallel);
}

function splitOption(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq > 0 && arg.startsWith('--') ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function positive(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

/**
 * The arguments of the process that started this one (Nx's CLI forks the batch process), read from /proc on Linux;
 * empty elsewhere, where the other sources decide.
 */
export function parentProcessArgs(): string[] {
  try {
    return readFileSync(`/proc/${process.ppid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}
