import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, runOk } from './support/processes';
import { copyFixture, createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: string;
  hash: string;
  steps?: { total: number; cached: number };
}

const LOCKFILES = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock' } as const;
type Manager = keyof typeof LOCKFILES;

const MANAGERS = (process.env.NXB_E2E_PRUNE_MANAGERS ?? 'npm,pnpm,yarn').split(',') as Manager[];

/**
 * Issue #18, for each package manager: apps a and b and a shared lib in a workspaces monorepo (fixtures/prune/<pm>,
 * committed lockfiles; "b-dep" and "lib-dep" are the same workspace with a dependency added to b, or to the lib).
 * Each image installs, frozen, from its own pruned manifest and lockfile, so a dependency change of b leaves a's hash
 * and image alone, a change of the lib's dependencies rebuilds both, and a source change of the lib rebuilds both
 * with the install layer cached.
 */
describe.each(MANAGERS)('pruned dependencies per image (%s workspaces)', (pm) => {
  let ws: TestWorkspace;
  const record = (app: string) => ws.readJson<BuildRecord>(`dist/docker/${app}/docker-build.json`);
  const image = (app: string) => `${ws.imagePrefix}-${app}`;
  const runInImage = async (app: string, script: string) => (await runOk('docker', ['run', '--rm', `${image(app)}:latest`, 'node', '-p', script])).stdout.trim();
  const buildAll = async () => {
    const result = await ws.nx(['run-many', '-t', 'docker-build', '--projects=a,b']);
    expectSuccess(result, 'nx run-many');
    return result;
  };
  const git = (args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });
  /** Commits the working tree and returns the images `nx show projects --affected -t docker-build` selects for it. */
  const affectedByCommit = async (message: string) => {
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', message]);
    const result = await ws.nx(['show', 'projects', '--affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']);
    expectSuccess(result, 'nx show projects --affected');
    return result.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  };

  beforeAll(async () => {
    ws = createTestWorkspace(`prune-${pm}`);
    // The root manifest and lockfile the images prune from; the nx CLI that runs the test is in node_modules already.
    copyFixture(ws, `prune/${pm}/base`, '.');
    // The harness installs the nx CLI with npm; Nx refuses a pnpm lockfile beside a node_modules that pnpm did not
    // write, which it tells by this file alone (a pnpm install always writes it).
    if (pm === 'pnpm') ws.write('node_modules/.modules.yaml', 'layoutVersion: 5\n');
    for (const app of ['a', 'b']) {
      ws.write(`apps/${app}/src/index.js`, `const http = require('node:http');\nconst { describe } = require('@demo/shared');\nhttp.createServer((_req, res) => res.end('${app} ' + describe(3))).listen(3000);\n`);
    }
    ws.write('libs/shared/index.js', "const isOdd = require('is-odd');\nexports.describe = (n) => (isOdd(n) ? 'odd' : 'even');\n");
    const nxJson = ws.readJson<Record<string, unknown>>('nx.json');
    writeJson(join(ws.root, 'nx.json'), {
      ...nxJson,
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}` } }],
      // A lockfile change affects the tasks whose inputs name a package that moved (Nx's default: every project).
      pluginsConfig: { '@nx/js': { projectsAffectedByDependencyUpdates: 'auto' } },
    });
    for (const app of ['a', 'b']) expectSuccess(await ws.nx(['g', 'nx-buildkit:backend', app, '--runtime=node', '--no-interactive']), `nx g backend ${app}`);
    await git(['init', '-q', '-b', 'main']);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'base']);
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('generates Dockerfiles that install from the deps context, never from the root lockfile', () => {
    const dockerfile = ws.read('apps/a/Dockerfile.prod');
    expect(dockerfile).toContain('COPY --from=deps / ./');
    expect(dockerfile).not.toContain(LOCKFILES[pm]);
    expect(dockerfile).not.toContain('apps/b');
    expect(dockerfile).toContain('COPY --chown=node:node libs/shared/ ./workspace_modules/@demo/shared/');
  });

  it("infers inputs from the app's and the lib's manifests and their npm packages, not the root lockfile", async () => {
    const shown = await ws.nx(['show', 'project', 'a', '--json']);
    expectSuccess(shown, 'nx show project');
    const inputs = (JSON.parse(shown.stdout) as { targets: Record<string, { inputs: unknown[] }> }).targets['docker-build'].inputs;
    expect(inputs).toContainEqual({ externalDependencies: ['is-number', 'is-odd'] });
    expect(inputs).toContain('{projectRoot}/package.json');
    expect(inputs).not.toContain(`{workspaceRoot}/${LOCKFILES[pm]}`);
  });

  it('builds both images from pruned lockfiles that install frozen and run', async () => {
    await buildAll();
    expect(record('a').status).toBe('built');
    expect(record('b').status).toBe('built');
    const prunedA = ws.read(`dist/docker/a/docker-build.deps/${LOCKFILES[pm]}`);
    expect(prunedA).toContain('is-number');
    expect(prunedA).not.toMatch(/node_modules\/ms"|\bms@/);
    expect(existsSync(join(ws.root, 'dist/docker/a/docker-build.deps/workspace_modules/@demo/shared/package.json'))).toBe(true);
    expect(await runInImage('a', "require('@demo/shared').describe(3) + ' ' + require('is-number')(5)")).toBe('odd true');
    expect(await runInImage('b', "require('@demo/shared').describe(4) + ' ' + require('ms')(1000)")).toBe('even 1s');
  });

  it("skips a (same hash) and rebuilds b when b's dependencies change", async () => {
    const hashA = record('a').hash;
    copyFixture(ws, `prune/${pm}/b-dep`, '.');
    expect(await affectedByCommit("b's dependency added")).toEqual(['b']);
    await buildAll();
    expect(record('a').status).toBe('skipped');
    expect(record('a').hash).toBe(hashA);
    expect(record('b').status).toBe('built');
    expect(await runInImage('b', "JSON.stringify(require('left-pad')('1', 3))")).toBe('"  1"');
  });

  it("rebuilds both when the lib's dependencies change", async () => {
    copyFixture(ws, `prune/${pm}/lib-dep`, '.');
    expect(await affectedByCommit("the lib's dependency added")).toEqual(['a', 'b']);
    await buildAll();
    expect(record('a').status).toBe('built');
    expect(record('b').status).toBe('built');
    expect(await runInImage('a', "typeof require('isarray')")).toBe('function');
  });

  it("rebuilds both with the install layer cached when the lib's source changes", async () => {
    ws.write('libs/shared/index.js', "const isOdd = require('is-odd');\nexports.describe = (n) => (isOdd(n) ? 'ODD' : 'EVEN');\n");
    const result = await buildAll();
    for (const app of ['a', 'b']) {
      const built = record(app);
      expect(built.status).toBe('built');
      // The dependencies stage (manager, COPY --from=deps, install) and the runtime's copy of it come from the cache.
      expect(built.steps?.cached).toBeGreaterThanOrEqual(3);
    }
    for (const app of ['a', 'b']) expect(result.stdout).toMatch(new RegExp(`^${app}\\s+\\[dependencies \\d+/\\d+\\] RUN --mount=type=cache.* CACHED$`, 'm'));
    expect(await runInImage('a', "require('@demo/shared').describe(3)")).toBe('ODD');
  });
});

/**
 * `nx g nx-buildkit:frontend` for a Vite app of the same workspaces (fixtures/prune/<pm>/web adds apps/web with vite
 * as a devDependency): the build stage installs from the pruned deps context, the shared lib is bundled from where
 * the install linked it, and nginx serves the result.
 */
describe.each(MANAGERS)('pruned dependencies for a Vite frontend (%s workspaces)', (pm) => {
  let ws: TestWorkspace;

  beforeAll(async () => {
    ws = createTestWorkspace(`prune-web-${pm}`);
    copyFixture(ws, `prune/${pm}/base`, '.');
    copyFixture(ws, `prune/${pm}/web`, '.');
    if (pm === 'pnpm') ws.write('node_modules/.modules.yaml', 'layoutVersion: 5\n');
    ws.write('libs/shared/index.js', "const isOdd = require('is-odd');\nexports.describe = (n) => (isOdd(n) ? 'odd' : 'even');\n");
    ws.write('apps/web/vite.config.js', 'export default {};\n');
    ws.write('apps/web/index.html', '<!doctype html>\n<div id="app"></div>\n<script type="module" src="/src/main.js"></script>\n');
    ws.write('apps/web/src/main.js', "import { describe } from '@demo/shared';\ndocument.getElementById('app').textContent = 'three is ' + describe(3);\n");
    const nxJson = ws.readJson<Record<string, unknown>>('nx.json');
    writeJson(join(ws.root, 'nx.json'), { ...nxJson, plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}` } }] });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('generates a Dockerfile.frontend that installs from the deps context, builds with the lib and packages the output', async () => {
    expectSuccess(await ws.nx(['g', 'nx-buildkit:frontend', 'web', '--no-interactive']), 'nx g frontend');
    const dockerfile = ws.read('apps/web/Dockerfile.frontend');
    expect(dockerfile).toContain('COPY --from=deps / ./apps/web/');
    expect(dockerfile).toContain('COPY libs/shared/ ./apps/web/workspace_modules/@demo/shared/');
    expect(dockerfile).not.toContain(LOCKFILES[pm]);

    expectSuccess(await ws.nx(['run', 'web:docker-build']), 'nx run web:docker-build');
    expect(ws.readJson<BuildRecord>('dist/docker/web/docker-build.json').status).toBe('built');
    const html = (await runOk('docker', ['run', '--rm', `${ws.imagePrefix}-web:latest`, 'sh', '-c', 'cat /usr/share/nginx/html/assets/*.js'])).stdout;
    expect(html).toContain('three is ');
    // The shared lib's code, bundled from its linked copy.
    expect(html).toMatch(/["'`]even["'`]/);
  });
});
