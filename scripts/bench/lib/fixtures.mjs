// Synthetic projects and contexts of a given size. Contents are deterministic text: sha256 and BuildKit do the same
// work for any bytes, and reruns write identical files.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serviceDockerfile, SERVICE_BASE_IMAGES } from '../../../bench/scenarios.mjs';

const FILES_PER_FOLDER = 50;
/** File sizes cycle through these multiples of the mean, so a context holds small and larger files. */
const SIZE_MULTIPLES = [0.25, 0.5, 1, 1.5, 1.75];

/** Writes `count` files totalling about `bytes` below `dir`, in folders of 50. Returns the bytes written. */
export function writeFiles(dir, { files: count, bytes }, label) {
  const mean = bytes / count;
  let written = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.max(64, Math.round(mean * SIZE_MULTIPLES[i % SIZE_MULTIPLES.length]));
    const path = join(dir, `part-${String(Math.floor(i / FILES_PER_FOLDER)).padStart(3, '0')}`, `file-${String(i).padStart(5, '0')}.txt`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, fileContent(`${label} ${i}`, size));
    written += size;
  }
  return written;
}

function fileContent(header, size) {
  const buffer = Buffer.alloc(size, `${header}: lorem ipsum dolor sit amet, consectetur adipiscing elit\n`);
  buffer.write(`${header}\n`);
  return buffer;
}

/** A service project (project.json + Dockerfile + config/ + src/) that nx-buildkit and @nx/docker both infer a target for. */
export function writeServiceProject(ws, name, index, context) {
  const root = `apps/${name}`;
  ws.writeJson(`${root}/project.json`, { name, root });
  ws.write(`${root}/Dockerfile`, serviceDockerfile(SERVICE_BASE_IMAGES[index % SERVICE_BASE_IMAGES.length]));
  ws.writeJson(`${root}/config/app.json`, { service: name, port: 8000 + index });
  writeFiles(join(ws.root, root, 'src'), context, name);
  return root;
}

/**
 * Part of every change a bench run makes: content no earlier run gave the engine's build cache or the registry.
 * Without it, a second run on the same engine appended the same lines as the first, and BuildKit answered every step
 * from the first run's cache (a B2 "naive rebuild" of 2.5 s instead of 14 s).
 */
export const RUN_NONCE = `${Date.now().toString(36)}-${process.pid}`;

/** The one-line change of a "one change" run: a line appended to a source file. */
export function appendLine(absolutePath, line) {
  appendFileSync(absolutePath, `${line}\n`);
}
