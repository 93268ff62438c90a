import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';
import { join } from 'node:path';

/**
 * Projects that already have a target named like the inferred one (erxes: 14 projects with their own docker-build).
 * init negotiates a free name as Nx's own init generators do; a plugin registered by hand reports the collision once.
 */
describe('inferred target names that a project already uses', () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('target-names');
    for (const name of ['core-api', 'gateway']) {
      ws.write(`backend/${name}/Dockerfile`, 'FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY . .\n');
      writeJson(join(ws.root, `backend/${name}/project.json`), {
        name,
        targets: { 'docker-build': { executor: 'nx:run-commands', options: { command: 'docker build .', cwd: `backend/${name}` } } },
      });
    }
    ws.write('apps/web/Dockerfile', 'FROM nginx:1.27-bookworm\nCOPY index.html /usr/share/nginx/html/\n');
    ws.write('apps/web/index.html', '<h1>web</h1>\n');
    writeJson(join(ws.root, 'apps/web/project.json'), { name: 'web' });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('a plugin registered by name: the collision is reported once, naming the projects and the option', async () => {
    writeJson(join(ws.root, 'nx.json'), { plugins: ['nx-buildkit'] });
    const shown = await ws.nx(['show', 'projects'], { NX_DAEMON: 'false' });
    expect(shown.exitCode).toBe(0);
    const warnings = shown.output.split('\n').filter((line) => line.includes('its own "docker-build" target') || line.includes('their own "docker-build" target'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('2 projects define their own "docker-build" target, which replaces the inferred one (core-api, gateway)');
    expect(warnings[0]).toContain('"targetName": "docker:build"');
  });

  it('init picks a free name, says so, and both targets exist', async () => {
    writeJson(join(ws.root, 'nx.json'), {});
    const init = await ws.nx(['g', 'nx-buildkit:init', '--no-interactive'], { NX_DAEMON: 'false' });
    expect(init.exitCode).toBe(0);
    expect(init.output).toContain('the inferred targets are named "docker:build"');
    expect(ws.readJson<{ plugins: unknown[] }>('nx.json').plugins).toEqual([{ plugin: 'nx-buildkit', options: { targetName: 'docker:build', lintTargetName: 'docker-lint' } }]);
    const shown = await ws.nx(['show', 'project', 'core-api', '--json'], { NX_DAEMON: 'false' });
    expect(shown.exitCode).toBe(0);
    const targets = JSON.parse(shown.stdout).targets as Record<string, { executor: string }>;
    expect(targets['docker-build'].executor).toBe('nx:run-commands');
    expect(targets['docker:build'].executor).toBe('nx-buildkit:build');
    // No collision is left, so nothing is reported.
    expect(shown.output).not.toContain('own "docker-build" target');
  });
});
