import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The sha256 of many files, read and hashed in worker threads with synchronous reads: on a fresh runner (no digest
 * cache) every file of every context is read once. Measured on 2 cores with the files in the page cache (B1's
 * contexts): 10k files / 200 MB took 0.65 s and 50k small files 2.2 s through libuv's asynchronous open/read/close
 * (a thread-pool round trip per call, and sha256 on the main thread); two workers reading synchronously and hashing
 * side by side took 0.26 s and 0.42 s. Workers cost ~30 ms to start, so few files are read the asynchronous way.
 *
 * The worker is JavaScript source run with `eval`, not a file of its own: it needs only node:fs and node:crypto, and
 * it starts the same from the built package and from the TypeScript sources under the unit tests.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const chunk = Buffer.allocUnsafe(1 << 20);
parentPort.on('message', ({ id, paths }) => {
  const digests = [];
  for (const path of paths) {
    let fd;
    try {
      fd = openSync(typeof path === 'string' ? path : Buffer.from(path), 'r');
      const hash = createHash('sha256');
      for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
      digests.push(hash.digest('hex'));
    } catch (error) {
      return parentPort.postMessage({ id, failed: { path: String(path), code: error.code, message: error.message } });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  parentPort.postMessage({ id, digests });
});
`;

/** Below both, a worker's start costs more than it saves: the caller reads the files itself. */
export const WORKER_MIN_FILES = 200;
export const WORKER_MIN_BYTES = 32 * 1024 * 1024;

/** Whether reading these files is worth starting workers for. */
export function worthWorkers(fileCount: number, totalBytes: number): boolean {
  return fileCount >= WORKER_MIN_FILES || totalBytes >= WORKER_MIN_BYTES;
}

/** Workers for a machine: one per core, at most 4 (on 2 cores, 4 workers were slower than 2). */
export function workerCount(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores));
}

/**
 * sha256 (hex) of each file, in the order given. Files are dealt round-robin so that each worker gets large and small
 * ones alike. A file that cannot be read rejects with its error (code and message kept), as fs would.
 */
export async function digestFilesInWorkers(paths: readonly (string | Buffer)[], workers = workerCount()): Promise<string[]> {
  const pool = poolOf(workers);
  const count = Math.max(1, Math.min(pool.length, paths.length));
  const shares = Array.from({ length: count }, (_, w) => paths.filter((_path, i) => i % count === w));
  const results = await Promise.all(shares.map((share, w) => pool[w].digest(share)));
  return paths.map((_path, i) => results[i % count][Math.floor(i / count)]);
}

/**
 * The run's workers, started on first use and kept for the next image: a fresh runner hashes one image after another,
 * and a start per image (~30 ms each) would cost more than it saves. A worker holds the process open only while it
 * has work (ref while busy, unref when idle), so the run ends when its work does.
 */
const pools = new Map<number, DigestWorker[]>();
function poolOf(size: number): DigestWorker[] {
  let pool = pools.get(size);
  if (!pool) pools.set(size, (pool = Array.from({ length: size }, () => new DigestWorker())));
  return pool;
}

interface Reply {
  readonly id: number;
  readonly digests?: string[];
  readonly failed?: { readonly path: string; readonly code?: string; readonly message: string };
}

class DigestWorker {
  private worker?: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (digests: string[]) => void; reject: (error: Error) => void }>();

  digest(paths: readonly (string | Buffer)[]): Promise<string[]> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<string[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, paths });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (!waiting) return;
      if (reply.digests) waiting.resolve(reply.digests);
      else if (reply.failed) waiting.reject(Object.assign(new Error(reply.failed.message), { code: reply.failed.code, path: reply.failed.path }));
    });
    // A worker that dies fails what it was given; the next request starts a new one.
    const fail = (error: Error) => {
      this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`A file-digest worker stopped (exit code ${code}) before it answered.`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
