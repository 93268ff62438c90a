// B1 probe: how fast nx-buildkit hashes a large context, next to the time to simply read the same files once.
// Interleaved: read, hash, read, hash … after one untimed pass of each (so both run from the page cache).
// Usage: node hash-throughput.mjs <config.json>; writes { runs: [{ readMs, walkMs, hashMs }], bytes, files } to config.out.
import { createRequire } from 'node:module';
import { promises as fsp, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(join(config.pluginDir, 'package.json'));
const { computeBuildInputs } = require('./src/lib/image/identity/build-inputs.js');
// One run's shared state (base identities resolved once), as the executor makes it.
const { createRunState } = require('./src/lib/image/run-state.js');
const { walkContext, loadIgnorePatterns, findIgnoreFile, readTextFromDisk } = require('./src/lib/context/index.js');

const dockerfile = join(config.context, 'Dockerfile');
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The floor: list the folder and read every file once, 32 at a time (as the hasher does), doing nothing with the bytes. */
async function readAll() {
  const entries = await fsp.readdir(config.context, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
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
  const walked = await timed(async () => walk());
  runs.push({ readMs: read.ms, hashMs: hashed.ms, walkMs: walked.ms, hashedFiles: hashed.value.fileCount });
}
writeFileSync(config.out, JSON.stringify({ runs, bytes: totals.bytes, files: totals.files }));
