import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, run, runOk } from './support/processes';
import { get, startHealthy } from './support/serve';
import { createTestWorkspace, prepareNxGeneratedTemplate, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  reason?: string;
  image: string;
}

/**
 * A workspace made only by Nx's own tools (fixtures/nx-generated/integrated: create-nx-workspace@23.2.1
 * --preset=apps, @nx/node express and fastify apps built by esbuild, an @nx/nest app built by webpack, an @nx/react
 * Vite app, an @nx/angular app (esbuild application builder), an @nx/next app with standalone output, @nx/js path-alias libraries, a Python folder), installed with
 * `npm ci` from its committed lockfile: the generators write the images, the images build and serve, and a library
 * change rebuilds exactly the apps that import it.
 */
describe('a workspace made by Nx generators (integrated, path aliases)', () => {
  let ws: TestWorkspace;
  let namespace: string;
  const git = (args: string[]) => runOk('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args], { cwd: ws.root });
  const record = (project: string) => ws.readJson<BuildRecord>(`dist/docker/${project}/docker-build.json`);
  const affected = async () => {
    const result = await ws.nx(['show', 'projects', '--affected', '--withTarget=docker-build', '--base=HEAD', '--json']);
    expectSuccess(result, 'nx show projects --affected');
    return (JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as string[]).sort();
  };

  beforeAll(async () => {
    ws = createTestWorkspace('nxgen', await prepareNxGeneratedTemplate('integrated'));
    // The namespace of the default image names (the root package's npm scope), unique to this run so that the
    // images are this run's own and cleanup removes exactly them.
    namespace = ws.imagePrefix;
    const manifest = ws.readJson<Record<string, unknown>>('package.json');
    writeJson(join(ws.root, 'package.json'), { ...manifest, name: `@${namespace}/source` });
    await git(['init', '-q', '-b', 'main']);
  }, 15 * 60 * 1000);

  afterAll(async () => {
    if (!ws) return;
    const listed = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    const refs = listed.stdout.split('\n').filter((ref) => ref.startsWith(`${namespace}/`));
    if (refs.length) await run('docker', ['image', 'rm', '--force', ...refs]);
    await ws.cleanup();
  });

  it('writes the images with the libraries each app imports (from the project graph) and a pruned install', async () => {
    for (const [generator, project] of [['backend', 'api'], ['backend', 'orders'], ['backend', 'nest-api'], ['backend', 'py-api'], ['frontend', 'web'], ['frontend', 'site'], ['frontend', 'ng']]) {
      expectSuccess(await ws.nx(['g', `nx-buildkit:${generator}`, project, '--no-interactive']), `nx g nx-buildkit:${generator} ${project}`);
    }
    const web = ws.read('apps/web/Dockerfile.frontend');
    expect(web).toContain('COPY --from=deps / ./');
    expect(web).toContain('COPY libs/shared/ ./libs/shared/');
    expect(web).not.toContain('libs/server-util');
    expect(web).not.toMatch(/COPY package(-lock)?\.json/);
    const api = ws.read('apps/api/Dockerfile.prod');
    expect(api).toContain('ENV HOST=0.0.0.0 PORT=3000');
    expect(api).toContain('COPY --chown=node:node dist/apps/api/ ./');
    // NestJS through the Node backend path: the webpack output that @nx/webpack/plugin's inferred build writes, the
    // health check on the app's global prefix.
    const nest = ws.read('apps/nest-api/Dockerfile.prod');
    expect(nest).toContain('COPY --chown=node:node dist/apps/nest-api/ ./');
    // Its webpack.config.js sets generatePackageJson: the production manifest and lockfile Nx writes beside the bundle.
    expect(nest).toContain('COPY dist/apps/nest-api/package.json dist/apps/nest-api/package-lock.json ./');
    expect(nest).toContain("fetch('http://127.0.0.1:3000/api')");
    const site = ws.read('apps/site/Dockerfile.frontend');
    expect(site).toContain('COPY --chown=node:node apps/site/.next/standalone/node_modules/ ./node_modules/');
    expect(site).toContain('COPY --chown=node:node apps/site/.next/static/ ./apps/site/.next/static/');
    expect(site).toMatch(/\nUSER node\n/);
    // Angular through Nx's executor (@angular/build:application in project.json, no angular.json): the image packages
    // what `nx build ng` writes.
    const ng = ws.read('apps/ng/Dockerfile.frontend');
    expect(ng).toContain('COPY dist/apps/ng/browser/ /usr/share/nginx/html/');
    expect(ng).not.toContain('ng build');
    // Both builds are inferred by Nx plugins (@nx/webpack/plugin, @nx/next/plugin), named in no file the plugin
    // reads: the image targets wait for them all the same.
    for (const project of ['nest-api', 'site', 'ng']) {
      const shown = await ws.nx(['show', 'project', project, '--json']);
      expectSuccess(shown, `nx show project ${project}`);
      const targets = (JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{'))) as { targets: Record<string, { dependsOn?: unknown[]; executor?: string; command?: string }> }).targets;
      expect(targets['build']).toBeDefined();
      expect(targets['docker-build'].dependsOn).toEqual(['build']);
    }
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'generated']);
  });

  it('builds every image under the workspace namespace, each step line once, the frontend from its pruned lockfile', async () => {
    const result = await ws.nx(['run-many', '-t', 'docker-build', '--projects=api,orders,nest-api,py-api,web,site,ng', '--output-style=static'], { CI: 'true' });
    expectSuccess(result, 'nx run-many -t docker-build');
    for (const project of ['api', 'orders', 'nest-api', 'py-api', 'web', 'site', 'ng']) expect(record(project)).toMatchObject({ status: 'built', image: `${namespace}/${project}` });
    // The inferred builds ran first, as their image targets depend on them.
    expect(result.stdout).toContain('nx run nest-api:build');
    expect(result.stdout).toContain('nx run site:build');
    expect(result.stdout).toContain('nx run ng:build');

    const stepLines = result.stdout.split('\n').filter((line) => / {2}(DONE|CACHED)( [\d.]+s)?$/.test(line));
    expect(stepLines.length).toBeGreaterThan(10);
    const counted = new Map<string, number>();
    // Each line names its image: the same step of two images is two lines.
    for (const line of stepLines) counted.set(line.trim(), (counted.get(line.trim()) ?? 0) + 1);
    expect([...counted].filter(([, count]) => count > 1)).toEqual([]);

    const pruned = JSON.parse(readFileSync(join(ws.root, 'dist/docker/web/docker-build.deps/package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const root = ws.readJson<{ packages: Record<string, unknown> }>('package-lock.json');
    expect(Object.keys(pruned.packages)).toContain('node_modules/react');
    expect(Object.keys(pruned.packages)).not.toContain('node_modules/express');
    expect(Object.keys(pruned.packages)).not.toContain('node_modules/fastify');
    expect(Object.keys(pruned.packages).length).toBeLessThan(Object.keys(root.packages).length);
  });

  it('serves: each container turns healthy and answers over HTTP (API routes; the SPA at / and at a deep link)', async () => {
    const api = await startHealthy(`${namespace}/api:latest`, 3000);
    try {
      expect(await get(`${api.url}/api/greeting`)).toEqual({ status: 200, body: JSON.stringify({ greeting: 'hello from @acme/shared' }) });
    } finally {
      await api.stop();
    }
    const orders = await startHealthy(`${namespace}/orders:latest`, 3000);
    try {
      expect(JSON.parse((await get(`${orders.url}/api/orders`)).body)).toEqual({ orders: [], greeting: 'hello from @acme/shared' });
    } finally {
      await orders.stop();
    }
    const nest = await startHealthy(`${namespace}/nest-api:latest`, 3000);
    try {
      expect(JSON.parse((await get(`${nest.url}/api`)).body)).toEqual({ message: 'Hello API', greeting: 'hello from @acme/shared' });
    } finally {
      await nest.stop();
    }
    const site = await startHealthy(`${namespace}/site:latest`, 3000);
    try {
      const home = await get(`${site.url}/`);
      expect(home.status).toBe(200);
      expect(home.body).toContain('hello from @acme/shared');
      const deep = await get(`${site.url}/items/42`);
      expect(deep.status).toBe(200);
      expect(deep.body).toMatch(/Item (<!-- -->)?42/);
      // The hashed static assets the page names are served (copied from .next/static beside the server).
      const asset = /(\/_next\/static\/[^"]+\.js)"/.exec(home.body)?.[1];
      expect(asset).toBeDefined();
      expect((await get(`${site.url}${asset}`)).status).toBe(200);
    } finally {
      await site.stop();
    }
    const python = await startHealthy(`${namespace}/py-api:latest`, 8000);
    try {
      expect(JSON.parse((await get(`${python.url}/items`)).body)).toEqual({ service: 'py-api', path: '/items' });
    } finally {
      await python.stop();
    }
    const web = await startHealthy(`${namespace}/web:latest`, 8080);
    try {
      for (const path of ['/', '/page-2']) {
        const page = await get(`${web.url}${path}`);
        expect(page.status).toBe(200);
        expect(page.body).toContain('<div id="root"></div>');
      }
      const script = /src="(\/assets\/[^"]+\.js)"/.exec((await get(`${web.url}/`)).body)?.[1];
      expect((await get(`${web.url}${script}`)).body).toContain('hello from @acme/shared');
    } finally {
      await web.stop();
    }
  });

  it('serves the Angular app: / and a deep link answer with the app shell, its bundle holds the shared library', async () => {
    const ng = await startHealthy(`${namespace}/ng:latest`, 8080);
    try {
      for (const path of ['/', '/items/42']) {
        const page = await get(`${ng.url}${path}`);
        expect(page.status).toBe(200);
        expect(page.body).toContain('<app-root></app-root>');
      }
      const script = /src="(main-[^"]+\.js)"/.exec((await get(`${ng.url}/`)).body)?.[1];
      expect(script).toBeDefined();
      expect((await get(`${ng.url}/${script}`)).body).toContain('hello from @acme/shared');
    } finally {
      await ng.stop();
    }
  });

  it('a library change rebuilds exactly the apps that import it, and nx affected selects exactly those', async () => {
    // `next build` rewrites the tracked apps/site/next-env.d.ts: the builds above leave the checkout as a CI job's is
    // after its build, committed here so that only the library change below differs from HEAD.
    await git(['add', '-A']);
    await git(['commit', '-q', '--allow-empty', '-m', 'after the first build']);
    ws.write('libs/server-util/src/lib/server-util.ts', `${ws.read('libs/server-util/src/lib/server-util.ts')}\nexport const SERVER_UTIL_VERSION = 2;\n`);
    expect(await affected()).toEqual(['api']);
    const serverOnly = await ws.nx(['affected', '-t', 'docker-build', '--base=HEAD', '--output-style=static']);
    expectSuccess(serverOnly, 'nx affected -t docker-build');
    expect(serverOnly.stdout).toContain('nx run api:docker-build');
    expect(serverOnly.stdout).not.toContain('nx run web:docker-build');
    expect(record('api').status).toBe('built');
    await git(['commit', '-q', '-am', 'server-util']);

    ws.write('libs/shared/src/lib/shared.ts', ws.read('libs/shared/src/lib/shared.ts').replace("'hello from @acme/shared'", "'hello again from @acme/shared'"));
    expect(await affected()).toEqual(['api', 'nest-api', 'ng', 'orders', 'site', 'web']);
    // One process per image this time: each line once in that mode too.
    const both = await ws.nx(['run-many', '-t', 'docker-build', '--projects=api,orders,py-api,web', '--batch=false', '--output-style=static'], { CI: 'true' });
    expectSuccess(both, 'nx run-many -t docker-build --batch=false');
    expect({ api: record('api').status, orders: record('orders').status, web: record('web').status, 'py-api': record('py-api').status }).toEqual({
      api: 'built',
      orders: 'built',
      web: 'built',
      'py-api': 'skipped',
    });
    expect(record('web').reason).toBe('libs/shared/src/lib/shared.ts changed');
    // DONE, or CACHED when BuildKit's cache (which outlives test runs) has this content already: once either way.
    const copyShared = both.stdout.split('\n').filter((line) => /^web\s.*COPY libs\/shared\/ \.\/libs\/shared\/ {2}(DONE|CACHED)/.test(line));
    expect(copyShared).toHaveLength(1);
    // The install layer of the frontend stays cached: only the library and what follows it are rebuilt.
    expect(both.stdout).toMatch(/RUN --mount=type=cache,target=\/root\/.npm npm ci --no-audit --no-fund {2}CACHED/);
    await git(['commit', '-q', '-am', 'shared']);
  });

  it('an image removed from the engine between runs is reported missing and built, never "inputs unchanged"', async () => {
    const hashTag = (ws.readJson<{ hashTag: string }>('dist/docker/web/docker-build.json')).hashTag;
    await runOk('docker', ['image', 'rm', `${namespace}/web:latest`, `${namespace}/web:${hashTag}`]);
    const result = await ws.nx(['run', 'web:docker-build']);
    expectSuccess(result, 'nx run web:docker-build');
    expect(record('web')).toMatchObject({ status: 'built', reason: 'not found in the engine: building' });
    expect(result.stdout).not.toContain('inputs unchanged');
  });
});
