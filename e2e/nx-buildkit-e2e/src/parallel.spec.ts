import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { run, RunResult } from './support/processes';
import { createTestWorkspace, imageExists, TestWorkspace, writeJson } from './support/workspace';
import { join } from 'node:path';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  hashTag: string;
  imageId?: string;
  tags: string[];
  error?: string;
}

const PROJECTS = ['base', 'child', 'twin-a', 'twin-b', 'broken', 'steady'] as const;
type Project = (typeof PROJECTS)[number];

/**
 * Five images built in one run plus one left unchanged: `child` starts FROM `base`'s image, the twins share a first
 * stage whose RUN writes random bytes (so "built once" is visible in the images), `broken` fails in a RUN.
 */
function writeWorkspace(ws: TestWorkspace): void {
  writeJson(join(ws.root, 'nx.json'), { plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}` } }] });
  const project = (name: Project, root: string, dockerfile: string, files: Record<string, string> = {}) => {
    writeJson(join(ws.root, root, 'project.json'), { name });
    ws.write(`${root}/Dockerfile`, dockerfile);
    for (const [path, content] of Object.entries(files)) ws.write(`${root}/${path}`, content);
  };
  project('base', 'images/base', `FROM debian:bookworm-slim\nRUN echo "base ${ws.imagePrefix}" > /base-marker\n`);
  project('child', 'apps/child', `FROM ${ws.imagePrefix}-base\nCOPY app.txt /app.txt\n`, { 'app.txt': 'child\n' });
  const shared = `FROM debian:bookworm-slim AS shared\nRUN echo "${ws.imagePrefix}" > /shared-id && head -c 16 /dev/urandom | od -An -tx1 > /shared-random\n\nFROM shared\n`;
  project('twin-a', 'apps/twin-a', `${shared}COPY a.txt /a.txt\n`, { 'a.txt': 'a\n' });
  project('twin-b', 'apps/twin-b', `${shared}COPY b.txt /b.txt\n`, { 'b.txt': 'b\n' });
  project('broken', 'apps/broken', 'FROM debian:bookworm-slim\nCOPY ok.txt /ok.txt\nRUN echo "about to fail" && exit 3\n', { 'ok.txt': 'ok\n' });
  project('steady', 'apps/steady', `FROM debian:bookworm-slim\nCOPY s.txt /s.txt\n`, { 's.txt': `${ws.imagePrefix}\n` });
}

function records(ws: TestWorkspace): Record<Project, BuildRecord> {
  return Object.fromEntries(PROJECTS.map((p) => [p, ws.readJson<BuildRecord>(`dist/docker/${p}/docker-build.json`)])) as Record<Project, BuildRecord>;
}

const statuses = (ws: TestWorkspace) => Object.fromEntries(Object.entries(records(ws)).map(([p, r]) => [p, r.status]));

async function fileIn(image: string, path: string): Promise<string> {
  return (await run('docker', ['run', '--rm', image, 'cat', path])).stdout;
}

describe.each([
  ['batch mode (--batch)', ['--batch']],
  ['--parallel=3', ['--parallel=3', '--batch=false']],
])('many images at once: %s', (_mode, flags) => {
  let ws: TestWorkspace;
  const runMany = (): Promise<RunResult> => ws.nx(['run-many', '-t', 'docker-build', ...flags, '--output-style=static']);
  const image = (p: Project) => `${ws.imagePrefix}-${p}`;

  beforeAll(async () => {
    ws = createTestWorkspace(`par-${randomBytes(2).toString('hex')}`);
    writeWorkspace(ws);
    const steady = await ws.nx(['run', 'steady:docker-build']);
    expect(steady.exitCode).toBe(0);
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('gives every task its own result: the failure fails alone, the others are built or skipped and tagged', async () => {
    const result = await runMany();
    expect(result.exitCode).not.toBe(0);
    expect(statuses(ws)).toEqual({ base: 'built', child: 'built', 'twin-a': 'built', 'twin-b': 'built', broken: 'failed', steady: 'skipped' });
    const all = records(ws);
    for (const p of ['base', 'child', 'twin-a', 'twin-b', 'steady'] as const) {
      expect(await imageExists(`${image(p)}:latest`)).toBe(true);
      expect(await imageExists(`${image(p)}:${all[p].hashTag}`)).toBe(true);
    }
    expect(await imageExists(`${image('broken')}:latest`)).toBe(false);
    expect(all.broken.error).toContain('exit code: 3');
    expect(result.output).toContain('about to fail');
  });

  it('builds the image FROM another project after it, on top of it', async () => {
    expect(await fileIn(`${image('child')}:latest`, '/base-marker')).toContain(`base ${ws.imagePrefix}`);
  });

  it('runs a base stage shared by two images once', async () => {
    const a = await fileIn(`${image('twin-a')}:latest`, '/shared-random');
    const b = await fileIn(`${image('twin-b')}:latest`, '/shared-random');
    expect(a.trim()).not.toBe('');
    expect(a).toBe(b);
  });

  it('rebuilds only the failed image once it is fixed', async () => {
    ws.write('apps/broken/Dockerfile', 'FROM debian:bookworm-slim\nCOPY ok.txt /ok.txt\nRUN echo fixed\n');
    const result = await runMany();
    expect(result.exitCode).toBe(0);
    expect(statuses(ws)).toEqual({ base: 'skipped', child: 'skipped', 'twin-a': 'skipped', 'twin-b': 'skipped', broken: 'built', steady: 'skipped' });
  });

  it('rebuilds the dependent image when its base image changes, and nothing else', async () => {
    const before = records(ws);
    ws.write('images/base/Dockerfile', `FROM debian:bookworm-slim\nRUN echo "base ${ws.imagePrefix} v2" > /base-marker\n`);
    const result = await runMany();
    expect(result.exitCode).toBe(0);
    expect(statuses(ws)).toEqual({ base: 'built', child: 'built', 'twin-a': 'skipped', 'twin-b': 'skipped', broken: 'skipped', steady: 'skipped' });
    expect(records(ws).child.hash).not.toBe(before.child.hash);
    expect(await fileIn(`${image('child')}:latest`, '/base-marker')).toContain('v2');
  });
});

describe('batch mode output', () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('batch-report');
    writeWorkspace(ws);
    ws.remove('apps/broken');
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('prints one line per image as it goes and a summary table with status, time, steps cached and size', async () => {
    const summaryFile = join(ws.root, 'step-summary.md');
    const result = await ws.nx(['run-many', '-t', 'docker-build', '--batch', '--output-style=static'], { GITHUB_STEP_SUMMARY: summaryFile });
    expect(result.exitCode).toBe(0);
    // On GitHub Actions the same table, with why each image was built, goes to the job summary as Markdown.
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toMatch(/^### nx-buildkit: 5 images — 5 built, 0 skipped, 0 failed$/m);
    for (const p of ['base', 'child', 'twin-a', 'twin-b', 'steady']) expect(summary).toMatch(new RegExp(`^\\| ${p} \\| built \\| [\\d.]+s \\| \\d+/\\d+ \\| [\\d.]+ (KB|MB) \\| .+ \\|$`, 'm'));
    expect(result.stdout).toMatch(/^image\s+status\s+time\s+steps cached\s+size$/m);
    for (const p of ['base', 'child', 'twin-a', 'twin-b', 'steady']) {
      expect(result.stdout).toMatch(new RegExp(`^${p}\\s+built\\s+[\\d.]+s\\s+\\d+/\\d+\\s+[\\d.]+ (KB|MB)$`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`^${p}\\s+queued$`, 'm'));
    }
    expect(result.stdout).toMatch(/5 images: 5 built, 0 skipped, 0 failed/);
    expect(result.stdout).not.toMatch(/\u001b\[\d*[ABCDEFGHJK]/);
  });
});
