import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { arch } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomically } from './atomic-file';

/**
 * Loads an executor bundle (bundle-executors.js) with V8's code cache, kept beside it: Node 20 has no compile cache
 * of its own (module.enableCompileCache is Node 22's, and process-wide). Every executor process compiles the bundle
 * (~0.5 MB) anew; with the cache it does not. Measured on the batch executor's bundle (2026-12-07, Node 20, 2 cores):
 * loading took 55–60 ms compiled, 30–32 ms from the cache.
 *
 * V8 rejects a cache made by another V8 version or with other flags, but it checks the source by its length only: a
 * changed bundle of the same length would run the old code (code-cache.spec.ts shows it). So the file starts with the
 * sha256 of the source it was made from (~0.5 ms for the bundle), and a cache of other source is not used.
 *
 * A miss compiles as before and writes a new cache once the executor's work is done (writePendingCodeCaches, called
 * by each executor as it ends, and at the process's exit), so it also holds the functions the run compiled as it went
 * (the Dockerfile parser's, the hashing's): a B2 rebuild's batch process ended ~20 ms sooner with that cache than with
 * one written right after loading (median of 12 runs each, 729 against 751 ms), for a file of 0.54 MB instead of
 * 0.27 MB. The executor writes it itself because Nx 21–23 end a batch process with SIGTERM, which runs no exit
 * handler. A folder that cannot be written (a read-only install, Yarn's zip archives) only means no cache. The file is
 * named by V8 version and architecture, so two Node versions sharing one install keep one each.
 */
export interface CodeCacheLoad {
  readonly exports: unknown;
  /** `used` when the cache answered; `missed` when there was none for this source (one is written at exit). */
  readonly cache: 'used' | 'missed';
  /** Writes the cache now, from all the bundle's code compiled so far; false when it cannot be written. */
  write(): boolean;
}

export function codeCachePath(bundle: string, v8Version: string = process.versions.v8, cpu: string = arch()): string {
  return join(dirname(bundle), `.${basename(bundle)}.v8-${v8Version.replace(/[^\w.-]/g, '_')}-${cpu}.cache`);
}

export function loadWithCodeCache(bundle: string, writeAtExit = true): CodeCacheLoad {
  const source = readFileSync(bundle, 'utf8');
  const sourceHash = createHash('sha256').update(source).digest();
  const cachePath = codeCachePath(bundle);
  const cachedData = cacheFor(cachePath, sourceHash);
  const script = new Script(wrap(source), { filename: bundle, cachedData });
  const module = { exports: {} as unknown, filename: bundle, id: bundle, loaded: false };
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  const write = () => writeCache(cachePath, sourceHash, script);
  if (cachedData && !script.cachedDataRejected) return { exports: module.exports, cache: 'used', write };
  if (writeAtExit) {
    pendingWrites().push(write);
    // Synchronous work is all an exit handler may do, and all this is; it never throws.
    process.once('exit', writePendingCodeCaches);
  }
  return { exports: module.exports, cache: 'missed', write };
}

/**
 * Writes the caches of the bundles that missed theirs in this process, once. Each executor calls it as it ends. The
 * list is kept on a global symbol, as each bundle holds its own copy of this module besides the loader's.
 */
export function writePendingCodeCaches(): void {
  for (const write of pendingWrites().splice(0)) write();
}

const PENDING = Symbol.for('nx-buildkit.code-cache.pending-writes');

function pendingWrites(): Array<() => boolean> {
  const holder = globalThis as typeof globalThis & { [PENDING]?: Array<() => boolean> };
  holder[PENDING] ??= [];
  return holder[PENDING];
}

/** The cache's data when the file was made from this source (its first bytes are the source's sha256). */
function cacheFor(cachePath: string, sourceHash: Buffer): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cachePath);
  } catch {
    return undefined;
  }
  return file.length > sourceHash.length && file.subarray(0, sourceHash.length).equals(sourceHash) ? file.subarray(sourceHash.length) : undefined;
}

/** Writes the cache atomically (two processes may load the bundle at once); false when it cannot be written. */
function writeCache(cachePath: string, sourceHash: Buffer, script: Script): boolean {
  try {
    writeFileAtomically(cachePath, Buffer.concat([sourceHash, script.createCachedData()]));
    return true;
  } catch {
    return false;
  }
}
