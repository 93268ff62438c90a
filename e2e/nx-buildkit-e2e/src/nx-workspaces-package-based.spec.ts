import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectSuccess, run, runOk } from './support/processes';
import { get, withServing } from './support/serve';
import { createTestWorkspace, prepareNxGeneratedTemplate, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  reason?: string;
  image: string;
}

const APPS = ['@acme/api', '@acme/orders', '@acme/nest-api', '@acme/web', '@acme/site'];

/**
 * A package-based workspace made only by Nx's own tools (fixtures/nx-generated/package-based: create-nx-workspace@23.2.1
 * --preset=ts, npm workspaces with TypeScript project references; @nx/node express and fastify apps built by esbuild,
 * an @nx/nest app, an @nx/react Vite app, an @nx/next app with standalone output, @nx/js libraries as workspace packages
 * that the apps but the Next.js one depend on by name), installed with `npm ci` from its committed lockfile: the generators write the
 * images, the images build and serve, each installs only its own dependencies, and a library change rebuilds exactly
 * the apps that import it.
 */
describe('a workspace made by Nx generators (package-based: npm workspaces, TypeScript project references)', () => {
  let ws: TestWorkspace;
  let namespace: string;
  const git = (args: string[]) => runOk('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', ...args], { cwd: ws.root });
  // The executor's folder of a project: its name with the scope's slash spelled "__".
  const outDir = (project: string) => `dist/docker/${project.replace('/', '__')}`;
  const record = (project: string) => ws.readJson<BuildRecord>(`${outDir(project)}/docker-build.json`);
  const image = (project: string) => `${namespace}/${project.replace(/^@/, '').replace('/', '-')}:latest`;
  const affected = async () => {
    const result = await ws.nx(['show', 'projects', '--affected', '--withTarget=docker-build', '--base=HEAD', '--json']);
    expectSuccess(result, 'nx show projects --affected');
    return (JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as string[]).sort();
  };

  beforeAll(async () => {
    ws = createTestWorkspace('nxgen-pb', await prepareNxGeneratedTemplate('package-based'));
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

  it('writes the images: each app copies the library packages it depends on (and only those)', async () => {
    for (const [generator, project] of [['backend', '@acme/api'], ['backend', '@acme/orders'], ['backend', '@acme/nest-api'], ['frontend', '@acme/web'], ['frontend', '@acme/site']]) {
      expectSuccess(await ws.nx(['g', `nx-buildkit:${generator}`, project, '--no-interactive']), `nx g nx-buildkit:${generator} ${project}`);
    }
    const web = ws.read('apps/web/Dockerfile.frontend');
    expect(web).toContain('COPY --from=deps / ./apps/web/');
    expect(web).toContain('COPY packages/shared/ ./apps/web/workspace_modules/@acme/shared/');
    // The library's tsconfig extends ../../tsconfig.base.json: its linked copy finds the base there too.
    expect(web).toContain('COPY tsconfig.base.json ./apps/web/workspace_modules/tsconfig.base.json');
    expect(web).not.toContain('packages/server-util');
    // The root tsconfig.json is the solution file (its references list every project) and no config the app builds
    // extends it: not copied, so adding a project does not rebuild the web image.
    expect(web).toContain('COPY tsconfig.base.json ./');
    expect(web).not.toMatch(/^COPY tsconfig\.json /m);
    expect(web).not.toMatch(/COPY package(-lock)?\.json/);
    // The servers package what Nx's build wrote into the project (esbuild with bundle: false compiles the libraries
    // it imports into the same folder), listening on every interface.
    const api = ws.read('apps/api/Dockerfile.prod');
    expect(api).toContain('ENV HOST=0.0.0.0 PORT=3000');
    expect(api).toContain('COPY --chown=node:node apps/api/dist/ ./');
    expect(ws.read('apps/nest-api/Dockerfile.prod')).toContain("fetch('http://127.0.0.1:3000/api')");
    expect(ws.read('apps/site/Dockerfile.frontend')).toMatch(/\nUSER node\n/);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'generated']);
  });

  it('builds every image under the workspace namespace, each installing only its own app\'s dependencies', async () => {
    const result = await ws.nx(['run-many', '-t', 'docker-build', `--projects=${APPS.join(',')}`, '--output-style=static'], { CI: 'true' });
    expectSuccess(result, 'nx run-many -t docker-build');
    for (const project of APPS) expect(record(project)).toMatchObject({ status: 'built', image: image(project).replace(/:latest$/, '') });

    // The pruned install of each image links exactly the library packages its app depends on.
    const linked = (project: string) => readdirSync(join(ws.root, outDir(project), 'docker-build.deps/workspace_modules/@acme')).sort();
    expect(linked('@acme/api')).toEqual(['server-util', 'shared']);
    expect(linked('@acme/orders')).toEqual(['shared']);
    expect(linked('@acme/web')).toEqual(['shared']);

    const pruned = ws.readJson<{ packages: Record<string, unknown> }>(`${outDir('@acme/web')}/docker-build.deps/package-lock.json`);
    const root = ws.readJson<{ packages: Record<string, unknown> }>('package-lock.json');
    expect(Object.keys(pruned.packages)).toContain('node_modules/react');
    // Another app's dependencies are not in the web image's install.
    for (const other of ['express', 'fastify', '@nestjs/core', 'next']) expect(Object.keys(pruned.packages)).not.toContain(`node_modules/${other}`);
    expect(Object.keys(pruned.packages).length).toBeLessThan(Object.keys(root.packages).length / 4);
  });

  it('serves: each container turns healthy and answers over HTTP (API routes; the SPA and Next.js at / and at a deep link)', async () => {
    await withServing(image('@acme/api'), 3000, async (url) => {
      expect(await get(`${url}/api/greeting`)).toEqual({ status: 200, body: JSON.stringify({ greeting: 'hello from @acme/shared' }) });
      expect(JSON.parse((await get(`${url}/health`)).body)).toEqual({ status: 'ok', service: 'api' });
    });
    await withServing(image('@acme/orders'), 3000, async (url) => {
      expect(JSON.parse((await get(`${url}/api/orders`)).body)).toEqual({ orders: [], greeting: 'hello from @acme/shared' });
    });
    await withServing(image('@acme/nest-api'), 3000, async (url) => {
      expect(JSON.parse((await get(`${url}/api`)).body)).toEqual({ message: 'Hello API', greeting: 'hello from @acme/shared' });
    });
    await withServing(image('@acme/site'), 3000, async (url) => {
      const home = await get(`${url}/`);
      expect(home.status).toBe(200);
      expect(home.body).toMatch(/Welcome (<!-- -->)?@acme\/site/);
      const deep = await get(`${url}/items/42`);
      expect(deep.status).toBe(200);
      expect(deep.body).toMatch(/Item (<!-- -->)?42/);
      // The hashed static assets the page names are served (copied from .next/static beside the server).
      const asset = /(\/_next\/static\/[^"]+\.js)"/.exec(home.body)?.[1];
      expect(asset).toBeDefined();
      expect((await get(`${url}${asset}`)).status).toBe(200);
    });
    await withServing(image('@acme/web'), 8080, async (url) => {
      for (const path of ['/', '/page-2']) {
        const page = await get(`${url}${path}`);
        expect(page.status).toBe(200);
        expect(page.body).toContain('<div id="root"></div>');
      }
      const script = /src="(\/assets\/[^"]+\.js)"/.exec((await get(`${url}/`)).body)?.[1];
      expect((await get(`${url}${script}`)).body).toContain('hello from @acme/shared');
    });
  });

  it('a library change rebuilds exactly the apps that import it, and nx affected selects exactly those', async () => {
    // The builds rewrite tracked files (next build: apps/site/next-env.d.ts): committed as a CI job's checkout is after
    // its build, so that only the library change below differs from HEAD.
    await git(['add', '-A']);
    await git(['commit', '-q', '--allow-empty', '-m', 'after the first build']);
    ws.write('packages/server-util/src/lib/server-util.ts', `${ws.read('packages/server-util/src/lib/server-util.ts')}\nexport const SERVER_UTIL_VERSION = 2;\n`);
    expect(await affected()).toEqual(['@acme/api']);
    const serverOnly = await ws.nx(['affected', '-t', 'docker-build', '--base=HEAD', '--output-style=static']);
    expectSuccess(serverOnly, 'nx affected -t docker-build');
    expect(serverOnly.stdout).toContain('nx run @acme/api:docker-build');
    expect(serverOnly.stdout).not.toContain('nx run @acme/web:docker-build');
    expect(record('@acme/api').status).toBe('built');
    await git(['commit', '-q', '-am', 'server-util']);

    ws.write('packages/shared/src/lib/shared.ts', ws.read('packages/shared/src/lib/shared.ts').replace("'hello from @acme/shared'", "'hello again from @acme/shared'"));
    // Every app but the Next.js one, which imports no library (see scripts/make-nx-fixtures-package-based.sh).
    expect(await affected()).toEqual(['@acme/api', '@acme/nest-api', '@acme/orders', '@acme/web']);
    const both = await ws.nx(['run-many', '-t', 'docker-build', '--projects=@acme/api,@acme/orders,@acme/web', '--output-style=static'], { CI: 'true' });
    expectSuccess(both, 'nx run-many -t docker-build');
    expect({ api: record('@acme/api').status, orders: record('@acme/orders').status, web: record('@acme/web').status }).toEqual({ api: 'built', orders: 'built', web: 'built' });
    expect(record('@acme/web').reason).toBe('packages/shared/src/lib/shared.ts changed');
    // The install layer of the frontend stays cached: only the library and what follows it are rebuilt.
    expect(both.stdout).toMatch(/RUN --mount=type=cache,target=\/root\/.npm cd apps\/web && npm ci --no-audit --no-fund {2}CACHED/);
    await withServing(image('@acme/api'), 3000, async (url) => {
      expect(JSON.parse((await get(`${url}/api/greeting`)).body)).toEqual({ greeting: 'hello again from @acme/shared' });
    });
  });

  it('a project added to the root tsconfig.json references rebuilds no web image', async () => {
    await git(['commit', '-q', '-am', 'shared']);
    // What `nx g @nx/js:lib` does to the root of a TS-solution workspace, without the install it would run.
    const solution = ws.readJson<{ references?: { path: string }[] }>('tsconfig.json');
    expect(solution.references?.length).toBeGreaterThan(0);
    writeJson(join(ws.root, 'tsconfig.json'), { ...solution, references: [...(solution.references ?? []), { path: './packages/added-later' }] });
    const again = await ws.nx(['run', '@acme/web:docker-build', '--output-style=static']);
    expectSuccess(again, 'nx run @acme/web:docker-build');
    expect(record('@acme/web').status).toBe('skipped');
  });
});
