import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess } from './support/processes';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

/**
 * The lint executor and its inferred docker-lint target, through the real nx CLI in a fresh workspace with the packed
 * plugin. Nothing is built: the lint reads files only.
 */

const API_DOCKERFILE = ['FROM node:20-bookworm-slim', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'USER node', 'CMD ["node", "index.js"]', ''].join('\n');

/** The JSON report inside nx's output (nx prints its own lines around the task's). */
function jsonReport(output: string): { passed: boolean; counts: Record<string, number>; findings: Array<{ file: string; line: number; rule: string; severity: string }> } {
  const start = output.indexOf('{\n');
  const end = output.lastIndexOf('\n}');
  return JSON.parse(output.slice(start, end + 2));
}

describe('docker-lint through the nx CLI', () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('lint');
    const nxJson = ws.readJson('nx.json');
    writeJson(join(ws.root, 'nx.json'), { ...nxJson, plugins: ['nx-buildkit'] });
    writeJson(join(ws.root, 'apps/api/project.json'), { name: 'api', root: 'apps/api' });
    ws.write('apps/api/Dockerfile', API_DOCKERFILE);
    ws.write('apps/api/.dockerignore', 'node_modules\n');
    ws.write('apps/api/package.json', '{ "name": "api", "version": "1.0.0" }\n');
    ws.write('apps/api/package-lock.json', '{ "lockfileVersion": 3, "packages": {} }\n');
    ws.write('apps/api/index.js', "console.log('api');\n");
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('infers a cached docker-lint target beside docker-build', async () => {
    const result = await ws.nx(['show', 'project', 'api', '--json']);
    expectSuccess(result, 'nx show project api');
    const project = JSON.parse(result.stdout) as { targets: Record<string, { executor: string; cache?: boolean; options: Record<string, unknown>; inputs: unknown[] }> };
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['docker-build', 'docker-lint']));
    expect(project.targets['docker-lint']).toMatchObject({ executor: 'nx-buildkit:lint', cache: true, options: { dockerfile: 'apps/api/Dockerfile', context: 'apps/api' } });
    expect(project.targets['docker-lint'].inputs).toEqual(expect.arrayContaining(['{projectRoot}/Dockerfile', '{projectRoot}/.dockerignore']));
  });

  it('prints each finding as file:line, rule, severity, why and fix, and passes on warnings', async () => {
    const result = await ws.nx(['run', 'api:docker-lint']);
    expectSuccess(result, 'nx run api:docker-lint');
    expect(result.stdout).toMatch(/apps\/api\/Dockerfile:3 {2}cache-order\/broad-copy-before-install {2}warning {2}COPY \. \. copies the whole build context before `npm ci` \(line 4\): any source change reruns the install\. Fix: Copy only package\.json and package-lock\.json/);
    expect(result.stdout).toMatch(/apps\/api\/Dockerfile:4 {2}cache-mount\/install-without-cache {2}info {2}/);
    expect(result.stdout).toContain('apps/api/Dockerfile: 1 warning, 1 info (passes, failOn: error).');
  });

  it('prints a JSON report with --format=json, and fails with --failOn=warning', async () => {
    const json = await ws.nx(['run', 'api:docker-lint', '--format=json']);
    expectSuccess(json, 'nx run api:docker-lint --format=json');
    expect(jsonReport(json.stdout)).toMatchObject({
      passed: true,
      counts: { error: 0, warning: 1, info: 1 },
      findings: [
        { file: 'apps/api/Dockerfile', line: 3, rule: 'cache-order/broad-copy-before-install', severity: 'warning' },
        { file: 'apps/api/Dockerfile', line: 4, rule: 'cache-mount/install-without-cache', severity: 'info' },
      ],
    });
    const strict = await ws.nx(['run', 'api:docker-lint', '--failOn=warning']);
    expect(strict.exitCode).not.toBe(0);
    expect(strict.stdout).toContain('fails: findings at or above "warning"');
  });

  it('fails on an error: a COPY of a path the ignore file excludes', async () => {
    ws.write('apps/web/project.json', JSON.stringify({ name: 'web', root: 'apps/web' }));
    ws.write('apps/web/Dockerfile', 'FROM nginx:1.27-bookworm\nCOPY config/site.conf /etc/nginx/conf.d/\nCOPY html/ /usr/share/nginx/html/\nUSER nginx\n');
    ws.write('apps/web/config/site.conf', 'server { listen 8080; }\n');
    ws.write('apps/web/html/index.html', '<h1>web</h1>\n');
    ws.write('apps/web/.dockerignore', 'config\n');
    const result = await ws.nx(['run', 'web:docker-lint']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain(
      'apps/web/Dockerfile:2  context/copy-ignored-path  error  COPY config/site.conf /etc/nginx/conf.d/: apps/web/.dockerignore excludes config/site.conf (pattern "config")',
    );
  });

  it('is cached on its inputs, and reruns when node_modules appears in a context without an ignore file', async () => {
    ws.write('apps/cli/project.json', JSON.stringify({ name: 'cli', root: 'apps/cli' }));
    ws.write('apps/cli/Dockerfile', 'FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "cli.js"]\n');
    ws.write('apps/cli/cli.js', "console.log('cli');\n");
    const withCache = { NX_SKIP_NX_CACHE: 'false' };
    const first = await ws.nx(['run', 'cli:docker-lint'], withCache);
    expectSuccess(first, 'first nx run cli:docker-lint');
    expect(first.stdout).toContain('apps/cli/Dockerfile: no findings');
    const second = await ws.nx(['run', 'cli:docker-lint'], withCache);
    expectSuccess(second, 'second nx run cli:docker-lint');
    expect(second.stdout).toContain('Nx read the output from the cache');
    // node_modules is git-ignored, so no file input sees it: the runtime input does.
    mkdirSync(join(ws.root, 'apps/cli/node_modules/left-pad'), { recursive: true });
    const third = await ws.nx(['run', 'cli:docker-lint'], withCache);
    expectSuccess(third, 'third nx run cli:docker-lint');
    expect(third.stdout).not.toContain('Nx read the output from the cache');
    expect(third.stdout).toContain('apps/cli/Dockerfile:3  context/sends-heavy-folder  warning  COPY . . sends node_modules (the context has no ignore file)');
  });

  it('names the option and the fix for a missing Dockerfile, with no stack trace', async () => {
    writeJson(join(ws.root, 'apps/tools/project.json'), {
      name: 'tools',
      root: 'apps/tools',
      targets: { 'check-image': { executor: 'nx-buildkit:lint', options: { dockerfile: 'apps/tools/Dockerfile.missing' } } },
    });
    const result = await ws.nx(['run', 'tools:check-image']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Dockerfile "apps/tools/Dockerfile.missing" not found. Set "dockerfile" in the "check-image" options of project "tools" to an existing file');
    expect(result.output).not.toMatch(/\n\s+at .*\.js:\d+/);
  });
});
