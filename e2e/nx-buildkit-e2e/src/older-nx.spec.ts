import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { run, runOk } from './support/processes';
import { E2E_ROOT, FIXTURES, REPO_ROOT } from './support/workspace';

/**
 * A workspace still on Nx 16 (as pezzo hoists @nx/devkit 16.6) with the plugin installed from its packed tarball
 * (fixtures/old-nx-workspace: committed lockfile, legacy-peer-deps as such a workspace needs). Nx loads the plugin
 * and must print one line saying what it found and what is needed — not TypeScript's TS5023 or a missing module.
 */
describe('next to an unsupported Nx', () => {
  let root: string;

  beforeAll(async () => {
    mkdirSync(E2E_ROOT, { recursive: true });
    root = mkdtempSync(join(E2E_ROOT, 'older-nx-'));
    const tarball = (await runOk(process.execPath, [join(REPO_ROOT, 'scripts/lib/pack-plugin.mjs'), join(root, 'pack')], { cwd: REPO_ROOT })).stdout.trim().split('\n').pop() as string;
    await runOk(process.execPath, [join(REPO_ROOT, 'scripts/lib/plugin-workspace.mjs'), join(FIXTURES, 'old-nx-workspace'), join(root, 'ws'), tarball], { cwd: REPO_ROOT });
    writeFileSync(join(root, 'ws/nx.json'), JSON.stringify({ plugins: ['nx-buildkit'] }));
    mkdirSync(join(root, 'ws/apps/api'), { recursive: true });
    writeFileSync(join(root, 'ws/apps/api/project.json'), JSON.stringify({ name: 'api' }));
    writeFileSync(join(root, 'ws/apps/api/Dockerfile'), 'FROM node:20-bookworm-slim\n');
  }, 300_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('loading the plugin fails with one line: what was found, what is needed', async () => {
    const result = await run(join(root, 'ws/node_modules/.bin/nx'), ['show', 'projects'], { cwd: join(root, 'ws'), env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode).not.toBe(0);
    const lines = output.split('\n').filter((line) => line.includes('nx-buildkit 0.1.0 supports Nx 21 to 24'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('this workspace has nx 16.6.0 and @nx/devkit 16.6.0');
    expect(lines[0]).toContain('npx nx migrate 21');
    expect(output).not.toContain('TS5023');
    expect(output).not.toContain('Cannot find module');
    expect(output).not.toMatch(/\n\s+at .*\.js:\d+/);
  });
});
