// B1 probe: how fast nx-buildkit hashes a large context, next to the time to simply read the same files once (with
// fs/promises 32 at a time, as earlier runs measured it; and synchronously, the fastest read here) and to read and
// sha256 them once on one thread.
// Interleaved: read, hash, read, hash … after one untimed pass of each (so both run from the page cache).
// Usage: node hash-throughput.mjs <config.json>; writes { runs: [{ readMs, readSyncMs, digestSyncMs, walkMs, hashMs }], bytes, files } to config.out.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { closeSync, openSync, promises as fsp, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(join(config.pluginDir, 'package.json'));
const { computeBuildInputs } = require('./src/lib/image/identity/build-inputs.js');
// One run's shared state (base identities resolved once), as the executor makes it.
const { createRunState } = require('./src/lib/image/run-state.js');
const { walkContext, loadIgnorePatterns, findIgnoreFile, readTextFromDisk } = require('./src/lib/context/index.js');

const dockerfile = join(config.context, 'Dockerfile');
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Every file of the context, listed the cheapest way (no stat). */
async function listFiles() {
  const entries = await fsp.readdir(config.context, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

/**
 * The floor of earlier runs (issue 31 keeps it): list the folder and read every file once with fs/promises' readFile,
 * 32 at a time, doing nothing with the bytes.
 */
async function readAll() {
  const files = await listFiles();
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < files.length) {
      const data = await fsp.readFile(files[next++]);
      bytes += data.length;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return { bytes, files: files.length };
}

/** The fastest read here: each file opened, read into one buffer and closed synchronously, on one thread. */
async function readAllSync() {
  const files = await listFiles();
  const buffer = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  for (const file of files) {
    const fd = openSync(file, 'r');
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) bytes += n;
    closeSync(fd);
  }
  return { bytes, files: files.length };
}

/** The digest floor: the same, and the sha256 of each file (on one thread). */
async function readAndDigestSync() {
  const files = await listFiles();
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (const file of files) {
    const fd = openSync(file, 'r');
    const hash = createHash('sha256');
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
    hash.digest('hex');
    closeSync(fd);
  }
}

async function timed(fn) {
  const started = now();
  const value = await fn();
  return { ms: now() - started, value };
}

const hash = () => computeBuildInputs({ dockerfile, context: config.context, buildArgs: {}, platforms: [], pull: false, baseIdentities: createRunState().baseIdentities });
const walk = () => walkContext(config.context, loadIgnorePatterns(findIgnoreFile(readTextFromDisk, config.context, dockerfile)));

const { value: totals } = await timed(readAll);
await hash();
const runs = [];
for (let i = 0; i < config.runs; i++) {
  const read = await timed(readAll);
  const hashed = await timed(hash);
  const readSync = await timed(readAllSync);
  const digestSync = await timed(readAndDigestSync);
  const walked = await timed(async () => walk());
  runs.push({ readMs: read.ms, hashMs: hashed.ms, readSyncMs: readSync.ms, digestSyncMs: digestSync.ms, walkMs: walked.ms, hashedFiles: hashed.value.fileCount });
}
writeFileSync(config.out, JSON.stringify({ runs, bytes: totals.bytes, files: totals.files }));
