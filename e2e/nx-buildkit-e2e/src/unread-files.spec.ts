import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextReadSet, listContextFiles, readsPath } from '../../../packages/nx-buildkit/src/lib/context';
import { listContextReads } from '../../../packages/nx-buildkit/src/lib/dockerfile';
import { copyContext, CorpusEntry, listCorpus, removeContext } from '../../../packages/nx-buildkit/test/dockerfile-corpus/load-corpus';
import { expectSuccess, run, runOk } from './support/processes';
import { addProject, copyFixture, createTestWorkspace, removeImages, TestWorkspace } from './support/workspace';

/**
 * The inputs hash and the Nx inputs leave out context files that no instruction reads. This checks that claim against
 * BuildKit for every corpus entry that builds here: a file the model calls unread is changed (and one is added), the
 * image is built again, and its layers must be the same. Where the model says the whole context is read (COPY . .),
 * a new file must count as read.
 */

const built = listCorpus().filter((entry) => entry.expected.equivalence.build);
const prefix = `nxb-e2e-unread-${randomBytes(3).toString('hex')}`;

async function layersOf(dockerfile: string, context: string, tag: string): Promise<string[]> {
  expectSuccess(await run('docker', ['buildx', 'build', '--load', '--quiet', '--file', dockerfile, '--tag', tag, context]), `docker buildx build of ${tag}`);
  return JSON.parse((await runOk('docker', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag])).stdout) as string[];
}

afterAll(async () => {
  await removeImages(prefix);
});

describe('files no instruction reads do not change the image (checked against BuildKit)', () => {
  let precise = 0;

  it.each(built.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry: CorpusEntry) => {
    const context = copyContext(entry);
    const files = mkdtempSync(join(tmpdir(), 'nxb-unread-'));
    try {
      let text = readFileSync(join(context, 'Dockerfile'), 'utf8');
      if (entry.expected.equivalence.build && entry.expected.equivalence.stripSyntax) text = text.replace(/^#\s*syntax=.*\n/, '');
      // The Dockerfile lives outside the context: the file under test is the only change between the two builds.
      const dockerfile = join(files, 'Dockerfile');
      writeFileSync(dockerfile, text);
      const set = contextReadSet(listContextReads(text));
      const planted = `nxb-unread-${randomBytes(3).toString('hex')}.txt`;
      if (set.whole) {
        expect(readsPath(set, planted)).toBe(true);
        return;
      }
      precise++;
      const sent = await listContextFiles({ context, dockerfile: join(context, 'Dockerfile') });
      const unread = sent.filter((path) => !readsPath(set, path));
      expect(readsPath(set, planted)).toBe(false);

      const before = await layersOf(dockerfile, context, `${prefix}-${entry.name}:before`);
      for (const path of unread) appendFileSync(join(context, path), `\nchanged ${randomBytes(3).toString('hex')}\n`);
      writeFileSync(join(context, planted), 'a file no instruction reads\n');
      const after = await layersOf(dockerfile, context, `${prefix}-${entry.name}:after`);
      expect({ changed: [...unread, planted], layers: after }).toEqual({ changed: [...unread, planted], layers: before });
    } finally {
      removeContext(context);
      rmSync(files, { recursive: true, force: true });
    }
  });

  it('checked at least two corpus entries whose reads are known before the build', () => {
    // Most corpus entries are about `COPY . .`; the generated Dockerfiles below are the precise cases users have.
    expect(precise).toBeGreaterThanOrEqual(2);
  });
});

/** Builds the Dockerfile of a project, changes what the model calls unread, builds again: the layers must match. */
async function expectUnreadFilesKeepLayers(ws: TestWorkspace, root: string, dockerfileName: string, name: string): Promise<void> {
  const dockerfile = join(ws.root, root, dockerfileName);
  const context = join(ws.root, root);
  const set = contextReadSet(listContextReads(readFileSync(dockerfile, 'utf8')));
  expect(set.whole).toBe(false);
  const planted = `notes-${randomBytes(3).toString('hex')}.txt`;
  expect(readsPath(set, planted)).toBe(false);
  // project.json stays as it is: the workspace must keep working (it is unread all the same, and checked below).
  const sent = await listContextFiles({ context, dockerfile });
  if (sent.includes('project.json')) expect(readsPath(set, 'project.json')).toBe(false);
  const unread = sent.filter((path) => !readsPath(set, path) && path !== dockerfileName && path !== 'project.json' && !path.endsWith('.dockerignore'));
  const before = await layersOf(dockerfile, context, `${prefix}-${name}:before`);
  for (const path of unread) appendFileSync(join(context, path), `\nchanged ${randomBytes(3).toString('hex')}\n`);
  writeFileSync(join(context, planted), 'a file no instruction reads\n');
  const after = await layersOf(dockerfile, context, `${prefix}-${name}:after`);
  expect({ changed: [...unread, planted], layers: after }).toEqual({ changed: [...unread, planted], layers: before });
}

describe('files no instruction of a generated Dockerfile reads do not change the image', () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('unread-gen');
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('a generated Python backend (config/, main.py, pyproject.toml, src/ copied; scripts/ and project.json not)', async () => {
    const root = 'services/billing';
    ws.write(`${root}/config/app.ini`, '[server]\nname = billing\n');
    ws.write(`${root}/main.py`, 'print("billing")\n');
    ws.write(`${root}/pyproject.toml`, '[project]\nname = "billing"\nversion = "1.0.0"\n');
    ws.write(`${root}/requirements.txt`, '# no third-party packages: this machine reaches no package index\n');
    ws.write(`${root}/src/billing/__init__.py`, `NAME = "${ws.imagePrefix}"\n`);
    ws.write(`${root}/scripts/seed.py`, 'print("seed")\n');
    addProject(ws, 'billing', root, { image: `${ws.imagePrefix}-billing` });
    expectSuccess(await ws.nx(['g', 'nx-buildkit:backend', 'billing', '--no-interactive']), 'nx g nx-buildkit:backend');
    await expectUnreadFilesKeepLayers(ws, root, 'Dockerfile.prod', 'billing');
  });

  it('a generated Vite + React frontend (manifests, config, index.html, public/, src/ copied)', async () => {
    const root = 'apps/store';
    copyFixture(ws, 'npm/vite-react', root);
    ws.write(`${root}/vite.config.js`, "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\nexport default defineConfig({ plugins: [react()] });\n");
    ws.write(`${root}/index.html`, '<!doctype html>\n<html><body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>\n');
    ws.write(`${root}/src/main.jsx`, `import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(<h1>${ws.imagePrefix}</h1>);\n`);
    ws.write(`${root}/docs/design.txt`, 'design notes\n');
    addProject(ws, 'store', root, { image: `${ws.imagePrefix}-store` });
    expectSuccess(await ws.nx(['g', 'nx-buildkit:frontend', 'store', '--no-interactive']), 'nx g nx-buildkit:frontend');
    await expectUnreadFilesKeepLayers(ws, root, 'Dockerfile.frontend', 'store');
  });
});
