import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, run, runOk } from './support/processes';
import { registryDigest, startRegistry, TestRegistry } from './support/registry';
import { copyFixture, createTestWorkspace, NX_MAJORS, NxMajor, pluginWorkspaceFixture, preparePluginTemplate, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: string;
  hash: string;
  hashTag: string;
}


/** NXB_E2E_NX_MAJORS=21,24 runs the flow on some majors only (a local run); CI runs all. */
const MAJORS = (process.env.NXB_E2E_NX_MAJORS?.split(',').map(Number) ?? [...NX_MAJORS]).filter((major): major is NxMajor => (NX_MAJORS as readonly number[]).includes(major));

/**
 * Issue #25, the core flow on every supported Nx major, each in a workspace whose nx and @nx/devkit are that major
 * (fixtures/plugin-workspace-nx<major>, committed lockfiles): init registers the plugin through Nx's own addPlugin,
 * the backend generator writes pruned-install Dockerfiles (Nx's createPackageJson/createLockFile), the images build,
 * serve over HTTP, are skipped when unchanged, rebuilt when changed; `nx affected` selects the images whose inputs
 * changed — also for a library outside the app's folder, which Nx 21–23 see only through glob inputs — and
 * `nx release` tags the digests that were pushed, building nothing. The apps are fixtures/prune/npm/base: apps a and
 * b using a shared lib, in npm workspaces.
 */
describe.each(MAJORS)('the core flow on Nx %i', (major) => {
  let registry: TestRegistry;
  let ws: TestWorkspace;
  const apps = ['a', 'b'] as const;
  const repository = (app: string) => `${ws.imagePrefix}-${app}`;
  const record = (app: string) => ws.readJson<BuildRecord>(`dist/docker/${app}/docker-build.json`);
  const git = (args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });
  const commit = async (message: string) => {
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', message]);
  };
  /** The images `nx show projects --affected -t docker-build` selects for the last commit. */
  const affected = async () => {
    const result = await ws.nx(['show', 'projects', '--affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']);
    expectSuccess(result, 'nx show projects --affected');
    return result.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  };
  const digestOf = (app: string, tag: string) => registryDigest(registry.host, repository(app), tag);

  beforeAll(async () => {
    const template = await preparePluginTemplate(pluginWorkspaceFixture(major));
    registry = await startRegistry();
    ws = createTestWorkspace(`nx${major}`, template);
    copyFixture(ws, 'prune/npm/base', '.');
    for (const app of apps) {
      ws.write(
        `apps/${app}/src/index.js`,
        `const http = require('node:http');\nconst { describe } = require('@demo/shared');\nhttp.createServer((_req, res) => res.end('${app} says ' + describe(3))).listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0');\n`,
      );
    }
    ws.write('libs/shared/index.js', "const isOdd = require('is-odd');\nexports.describe = (n) => (isOdd(n) ? 'odd' : 'even');\n");
    await git(['init', '-q', '-b', 'main']);
    await commit('workspace');
  }, 600_000);

  afterAll(async () => {
    await ws?.cleanup();
    await registry?.stop();
  });

  it('runs on the Nx of that major', async () => {
    const version = await ws.nx(['--version']);
    expectSuccess(version, 'nx --version');
    expect(version.stdout).toMatch(new RegExp(`Local: v${major}\\.`));
  });

  it("init negotiates target names through Nx's addPlugin, and the generator writes pruned-install Dockerfiles", async () => {
    // A project whose own docker-build would replace the inferred one: init asks Nx's addPlugin for free names.
    writeJson(join(ws.root, 'tools/legacy/project.json'), { name: 'legacy', targets: { 'docker-build': { command: 'echo legacy' } } });
    ws.write('tools/legacy/Dockerfile', 'FROM debian:bookworm-slim\n');
    const negotiated = await ws.nx(['g', 'nx-buildkit:init', '--dry-run', '--no-interactive']);
    expectSuccess(negotiated, 'nx g nx-buildkit:init --dry-run');
    expect(negotiated.output).toContain('so the inferred targets are named "docker:build"');
    ws.remove('tools');

    const init = await ws.nx(['g', 'nx-buildkit:init', '--no-interactive']);
    expectSuccess(init, 'nx g nx-buildkit:init');
    // Nx 21 has no preferBatch: init says how to ask for batch mode there, and only there.
    if (major === 21) expect(init.output).toContain('pass --batch');
    else expect(init.output).not.toContain('batch mode');
    const nxJson = ws.readJson<{ plugins?: unknown[] }>('nx.json');
    expect(nxJson.plugins).toEqual(['nx-buildkit']);
    // The images go to this test's registry under this test's names; the release versions them by a scheme, set where
    // the README says for the major: release.docker, or on Nx 21 (where release.docker means @nx/docker)
    // release.version.versionActionsOptions.
    const schemes = { registryUrl: registry.host, versionSchemes: { production: 'v{shortCommitSha}' } };
    const releaseOptions = major === 21 ? { version: { versionActionsOptions: schemes } } : { docker: { ...schemes, preVersionCommand: '' } };
    writeJson(join(ws.root, 'nx.json'), {
      ...nxJson,
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}`, registry: registry.host, push: true } }],
      pluginsConfig: { '@nx/js': { projectsAffectedByDependencyUpdates: 'auto' } },
      release: { projects: [...apps], projectsRelationship: 'independent', ...releaseOptions },
    });
    for (const app of apps) expectSuccess(await ws.nx(['g', 'nx-buildkit:backend', app, '--runtime=node', '--port=3000', '--no-interactive']), `nx g backend ${app}`);
    expect(ws.read('apps/a/Dockerfile.prod')).toContain('COPY --from=deps / ./');
    await commit('images');
  });

  it('builds and pushes both images from lockfiles Nx pruned, and an image serves over HTTP', async () => {
    expectSuccess(await ws.nx(['run-many', '-t', 'docker-build']), 'nx run-many -t docker-build');
    for (const app of apps) {
      expect(record(app).status).toBe('built');
      expect(await digestOf(app, record(app).hashTag)).toMatch(/^sha256:/);
    }
    expect(ws.read('dist/docker/a/docker-build.deps/package-lock.json')).toContain('node_modules/is-number');

    const started = await runOk('docker', ['run', '-d', '--rm', '-p', '127.0.0.1::3000', `${registry.host}/${repository('a')}:latest`]);
    const container = started.stdout.trim();
    try {
      const port = (await runOk('docker', ['port', container, '3000/tcp'])).stdout.trim().split('\n')[0].split(':').pop();
      let body = '';
      for (let attempt = 0; attempt < 50 && !body; attempt++) {
        body = await fetch(`http://127.0.0.1:${port}/`).then((response) => response.text(), () => '');
        if (!body) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(body).toBe('a says odd');
    } finally {
      await run('docker', ['rm', '-f', container]);
    }
  });

  it('skips both when nothing changed', async () => {
    const hashes = apps.map((app) => record(app).hash);
    // Batch mode: the default from Nx 22 (preferBatch), asked for with --batch on Nx 21, as init told the user.
    const result = await ws.nx(['run-many', '-t', 'docker-build', ...(major === 21 ? ['--batch'] : [])]);
    expectSuccess(result, 'nx run-many (no change)');
    expect(result.output).toContain('2 images: 0 built, 2 skipped, 0 failed');
    expect(apps.map((app) => record(app).status)).toEqual(['skipped', 'skipped']);
    expect(apps.map((app) => record(app).hash)).toEqual(hashes);
    // The batch executor wrote its bundle's code cache as it ended, whatever way this Nx ends a batch process.
    const executorFolder = join(ws.root, 'node_modules/nx-buildkit/src/executors/build');
    expect(readdirSync(executorFolder)).toContain(`.batch.bundle.js.v8-${process.versions.v8}-${process.arch}.cache`);
  });

  it("selects exactly the images whose inputs changed: an app's own source, and the shared lib outside both folders", async () => {
    ws.write('apps/a/src/index.js', ws.read('apps/a/src/index.js').replace('says', 'replies'));
    await commit('a changed');
    expect(await affected()).toEqual(['a']);
    const hashB = record('b').hash;
    expectSuccess(await ws.nx(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']), 'nx affected -t docker-build');
    expect(record('a').status).toBe('built');
    expect(record('b').hash).toBe(hashB);

    ws.write('libs/shared/index.js', "const isOdd = require('is-odd');\nexports.describe = (n) => (isOdd(n) ? 'ODD' : 'EVEN');\n");
    await commit('shared lib changed');
    expect(await affected()).toEqual(['a', 'b']);
    expectSuccess(await ws.nx(['affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']), 'nx affected -t docker-build');
    expect(apps.map((app) => record(app).status)).toEqual(['built', 'built']);
  });

  it('nx release tags the digests that were pushed, building nothing', async () => {
    const pushed = await Promise.all(apps.map(async (app) => digestOf(app, record(app).hashTag)));
    const hashes = apps.map((app) => record(app).hash);
    const released = await ws.nx(['release', 'production', '--yes']);
    expectSuccess(released, 'nx release production --yes');
    const sha = (await git(['rev-parse', '--short=7', 'HEAD'])).stdout.trim();
    const output = `${released.stdout}\n${released.stderr}`;
    for (const [i, app] of apps.entries()) expect(await digestOf(app, `v${sha}`)).toBe(pushed[i]);
    expect(output).not.toMatch(/\bbuilding\b/i);
    expect(apps.map((app) => record(app).hash)).toEqual(hashes);
  });
});
