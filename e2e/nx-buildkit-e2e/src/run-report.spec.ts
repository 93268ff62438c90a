import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, chromium, Page } from 'playwright-core';
import { createTestWorkspace, REPO_ROOT, TestWorkspace, writeJson } from './support/workspace';

/** Debian's chromium, which scripts/setup-docker.sh installs; the flags keep it off this machine's closed network. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots of the report are kept with the test output (dist/ is not committed). */
const SHOTS = join(REPO_ROOT, 'dist', 'e2e-output');

interface SeenRow {
  image: string;
  status: string;
  steps: string;
  why: string;
  barWidth: number;
}

/** What a person sees in the report's table: the text of each row and how wide its timeline bar is drawn. */
async function seenRows(page: Page): Promise<SeenRow[]> {
  const rows = page.locator('tbody tr');
  const seen: SeenRow[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    const cells = row.locator('th, td');
    const bar = await row.locator('.bar').boundingBox();
    seen.push({
      image: (await cells.nth(0).innerText()).trim(),
      status: (await cells.nth(1).innerText()).trim(),
      steps: (await cells.nth(3).innerText()).trim(),
      why: (await cells.nth(6).innerText()).trim(),
      barWidth: bar?.width ?? 0,
    });
  }
  return seen;
}

describe('the run report (dist/docker/report.html) in a real browser', () => {
  let ws: TestWorkspace;
  let browser: Browser;

  beforeAll(async () => {
    ws = createTestWorkspace('run-report');
    writeJson(join(ws.root, 'nx.json'), { plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}` } }] });
    const project = (name: string, dockerfile: string, files: Record<string, string>) => {
      writeJson(join(ws.root, 'apps', name, 'project.json'), { name });
      ws.write(`apps/${name}/Dockerfile`, dockerfile);
      for (const [path, content] of Object.entries(files)) ws.write(`apps/${name}/${path}`, content);
    };
    project('api', 'FROM debian:bookworm-slim\nRUN echo deps > /deps\nCOPY main.py /app/main.py\n', { 'main.py': `print('${ws.imagePrefix}', 1)\n` });
    project('steady', 'FROM debian:bookworm-slim\nCOPY s.txt /s.txt\n', { 's.txt': `${ws.imagePrefix}\n` });
    project('broken', 'FROM debian:bookworm-slim\nCOPY ok.txt /ok.txt\nRUN echo "about to fail" && exit 3\n', { 'ok.txt': 'ok\n' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await ws?.cleanup();
  });

  async function open(name: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 480 } });
    // The report must need nothing from the network: every request but the file itself fails the test.
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(join(ws.root, 'dist/docker/report.html')).href;
    await page.goto(url);
    expect(requests).toEqual([url]);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    return page;
  }

  it('shows one row per image of the run with its status, steps cached and why it was built', async () => {
    expect((await ws.nx(['run', 'steady:docker-build'])).exitCode).toBe(0);
    // First run: api and broken are new (broken fails), steady is unchanged.
    const first = await ws.nx(['run-many', '-t', 'docker-build', '--output-style=static']);
    expect(first.exitCode).not.toBe(0);
    expect(first.stdout).toMatch(/^Report: dist\/docker\/report\.html$/m);

    // Second run: one file of api changed.
    ws.write('apps/api/main.py', `print('${ws.imagePrefix}', 2)\n`);
    const second = await ws.nx(['run-many', '-t', 'docker-build', '--output-style=static']);
    expect(second.exitCode).not.toBe(0);
    const page = await open('run-report');

    expect(await page.title()).toBe('nx-buildkit run: 3 images');
    const rows = await seenRows(page);
    expect(rows.map((row) => row.image).sort()).toEqual(['api', 'broken', 'steady']);
    const byImage = Object.fromEntries(rows.map((row) => [row.image, row]));
    expect(byImage.api).toMatchObject({ status: 'built', why: 'main.py changed' });
    // Only the COPY of the changed file ran again: the RUN before it came from the cache.
    expect(byImage.api.steps).toBe('1/2');
    expect(byImage.steady).toMatchObject({ status: 'skipped (unchanged)', steps: '–', why: 'inputs unchanged' });
    expect(byImage.broken.status).toBe('failed');
    expect(byImage.broken.why).toMatch(/exit code: 3/);
    for (const row of rows) expect(row.barWidth).toBeGreaterThan(0);
    await expect(page.locator('.totals').innerText()).resolves.toMatch(/1\s+built[\s\S]*1\s+skipped[\s\S]*1\s+failed/);
    await expect(page.locator('.meta').innerText()).resolves.toMatch(/^Written .+ Wall time \d+\.\d s; the images' own times add up to \d+\.\d s\.$/);
    await page.close();
  });

  it('covers every image of the run with --batch=false too, one process per image', async () => {
    ws.write('apps/api/main.py', `print('${ws.imagePrefix}', 3)\n`);
    ws.write('apps/broken/Dockerfile', 'FROM debian:bookworm-slim\nCOPY ok.txt /ok.txt\nRUN echo fixed\n');
    const result = await ws.nx(['run-many', '-t', 'docker-build', '--batch=false', '--parallel=3', '--output-style=static']);
    expect(result.exitCode).toBe(0);
    const page = await open('run-report-no-batch');
    const byImage = Object.fromEntries((await seenRows(page)).map((row) => [row.image, row]));
    expect(Object.keys(byImage).sort()).toEqual(['api', 'broken', 'steady']);
    expect(byImage.api).toMatchObject({ status: 'built', why: 'main.py changed' });
    // It never built before: there is no earlier build to compare with.
    expect(byImage.broken).toMatchObject({ status: 'built', why: 'first build' });
    expect(byImage.steady.status).toBe('skipped (unchanged)');
    await page.close();
  });
});
