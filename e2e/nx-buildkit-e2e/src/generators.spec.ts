import { randomBytes } from 'node:crypto';
import { expectSuccess, run, runOk } from './support/processes';
import { addProject, copyFixture, createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';
import { join } from 'node:path';

interface BuildRecord {
  status: string;
  steps?: { total: number; cached: number };
}

/** Runs a container with a published port on 127.0.0.1 and returns the base URL; cleanup removes it. */
async function startContainer(image: string, containerPort: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const name = `nxb-e2e-${randomBytes(4).toString('hex')}`;
  await runOk('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1::${containerPort}`, image]);
  const port = (await runOk('docker', ['port', name, `${containerPort}/tcp`])).stdout.trim().split(':').pop();
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  return { url, stop: async () => void (await run('docker', ['rm', '--force', name])) };
}

/**
 * Each npm app is a committed manifest and lockfile (fixtures/npm/*) that the image installs with `npm ci`: nothing
 * is resolved at test time, so the registry's newest releases cannot turn these tests red.
 */
function copyNpmFixture(ws: TestWorkspace, fixture: string, to: string, description: string): void {
  copyFixture(ws, `npm/${fixture}`, to);
  // A description unique to this run: BuildKit's cache outlives test runs, and the same manifest would be cached.
  // npm ci does not compare it with the lockfile.
  const manifest = ws.readJson<Record<string, unknown>>(`${to}/package.json`);
  writeJson(join(ws.root, to, 'package.json'), { ...manifest, description });
}

function writeViteApp(ws: TestWorkspace, root: string, message: string, importLine = ''): void {
  ws.write(`${root}/vite.config.js`, "import { defineConfig } from 'vite';\nimport react from '@vitejs/plugin-react';\nexport default defineConfig({ plugins: [react()] });\n");
  ws.write(`${root}/index.html`, '<!doctype html>\n<html><head><title>e2e</title></head><body><div id="root"></div><script type="module" src="/src/main.jsx"></script></body></html>\n');
  ws.write(`${root}/src/main.jsx`, `${importLine}import { createRoot } from 'react-dom/client';\ncreateRoot(document.getElementById('root')).render(<h1>${message}</h1>);\n`);
}

describe('generators: a Python backend generated, built and served', () => {
  let ws: TestWorkspace;
  let image: string;

  beforeAll(() => {
    ws = createTestWorkspace('gen-py');
    image = `${ws.imagePrefix}-orders`;
    ws.write('services/orders/config/app.ini', '[server]\ngreeting = orders online\n');
    ws.write('services/orders/main.py', 'from orders.http import serve\n\nif __name__ == "__main__":\n    serve()\n');
    ws.write('services/orders/pyproject.toml', '[project]\nname = "orders"\nversion = "1.0.0"\n');
    ws.write('services/orders/requirements.txt', '# no third-party packages: this machine reaches no package index\n');
    ws.write('services/orders/src/orders/__init__.py', '');
    ws.write(
      'services/orders/src/orders/http.py',
      [
        'import configparser, json, os',
        'from http.server import BaseHTTPRequestHandler, HTTPServer',
        '',
        'CONFIG = configparser.ConfigParser()',
        'CONFIG.read(os.path.join(os.path.dirname(__file__), "..", "..", "config", "app.ini"))',
        'VERSION = "v1"',
        '',
        'class Handler(BaseHTTPRequestHandler):',
        '    def do_GET(self):',
        '        body = json.dumps({"greeting": CONFIG["server"]["greeting"], "version": VERSION, "user": os.getuid()}).encode()',
        '        self.send_response(200)',
        '        self.end_headers()',
        '        self.wfile.write(body)',
        '',
        'def serve():',
        '    HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()',
        '',
      ].join('\n'),
    );
    ws.write('services/orders/tests/test_http.py', 'def test_nothing():\n    pass\n');
    ws.write('services/orders/.env', 'DATABASE_PASSWORD=do-not-ship\n');
    addProject(ws, 'orders', 'services/orders', { image });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('writes Dockerfile.prod with apt packages, builds it, and the container answers HTTP as a non-root user', async () => {
    const generated = await ws.nx(['g', 'nx-buildkit:backend', 'orders', '--systemPackages=curl', '--no-interactive']);
    expectSuccess(generated, 'nx');
    const dockerfile = ws.read('services/orders/Dockerfile.prod');
    expect(dockerfile).toContain('apt-get install -y --no-install-recommends curl');
    expect(ws.readJson<{ plugins?: unknown[] }>('nx.json').plugins).toContain('nx-buildkit');

    const built = await ws.nx(['run', 'orders:docker-build']);
    expectSuccess(built, 'nx');
    expect(ws.readJson<BuildRecord>('dist/docker/orders/docker-build.json').status).toBe('built');

    const container = await startContainer(`${image}:latest`, 8000);
    try {
      const body = (await (await fetch(container.url)).json()) as { greeting: string; version: string; user: number };
      expect(body.greeting).toBe('orders online');
      expect(body.user).not.toBe(0);
    } finally {
      await container.stop();
    }
    const files = await run('docker', ['run', '--rm', `${image}:latest`, 'sh', '-c', 'ls -A /app; command -v curl']);
    expect(files.stdout).toContain('main.py');
    expect(files.stdout).toContain('/usr/bin/curl');
    expect(files.stdout).not.toContain('.env');
    expect(files.stdout).not.toContain('tests');
  });

  it('after a one-line source change, rebuilds with every step before the source COPY cached', async () => {
    ws.write('services/orders/src/orders/http.py', ws.read('services/orders/src/orders/http.py').replace('VERSION = "v1"', `VERSION = "v2-${randomBytes(4).toString('hex')}"`));
    const result = await ws.nx(['run', 'orders:docker-build']);
    expectSuccess(result, 'nx');
    const record = ws.readJson<BuildRecord>('dist/docker/orders/docker-build.json');
    expect(record.status).toBe('built');
    expect(record.steps?.total).toBeGreaterThan(5);
    expect(record.steps?.cached).toBe((record.steps?.total ?? 0) - 1);
    expect(result.stdout).toMatch(/COPY --chown=appuser:appuser src\/ \/app\/src\/ {2}DONE/);
  });
});

describe('generators: a Vite + React frontend with real npm dependencies, served by nginx', () => {
  let ws: TestWorkspace;
  let image: string;

  beforeAll(async () => {
    ws = createTestWorkspace('gen-vite');
    image = `${ws.imagePrefix}-shop`;
    copyNpmFixture(ws, 'vite-react', 'apps/shop', 'the shop');
    writeViteApp(ws, 'apps/shop', 'Shop is open');
    addProject(ws, 'shop', 'apps/shop', { image });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('builds inside Docker and serves index.html, with a deep link falling back to it', async () => {
    const generated = await ws.nx(['g', 'nx-buildkit:frontend', 'shop', '--no-interactive']);
    expectSuccess(generated, 'nx');
    const built = await ws.nx(['run', 'shop:docker-build']);
    expectSuccess(built, 'nx');
    // Only the port nginx listens on is declared: `docker run -P` publishes nothing that does not answer.
    const exposed = await runOk('docker', ['image', 'inspect', '--format', '{{json .Config.ExposedPorts}}', `${image}:latest`]);
    expect(JSON.parse(exposed.stdout)).toEqual({ '8080/tcp': {} });

    const container = await startContainer(`${image}:latest`, 8080);
    try {
      const index = await fetch(`${container.url}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const html = await index.text();
      expect(html).toContain('<div id="root"></div>');
      const deep = await fetch(`${container.url}/orders/42/details`);
      expect(deep.status).toBe(200);
      expect(await deep.text()).toBe(html);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toBeDefined();
      const js = await fetch(`${container.url}${asset}`);
      expect(js.headers.get('cache-control')).toContain('immutable');
      expect(await js.text()).toContain('Shop is open');
    } finally {
      await container.stop();
    }
  });

  it('a source change reuses the install layer; a dependency change runs the install again', async () => {
    ws.write('apps/shop/src/main.jsx', ws.read('apps/shop/src/main.jsx').replace('Shop is open', `Shop is closed ${randomBytes(4).toString('hex')}`));
    const codeOnly = await ws.nx(['run', 'shop:docker-build']);
    expectSuccess(codeOnly, 'nx');
    expect(codeOnly.stdout).toMatch(/RUN --mount=type=cache,target=\/root\/.npm npm ci --no-audit --no-fund {2}CACHED/);

    // The committed variant with one more dependency: another manifest and lockfile, as a dependency change commits.
    copyNpmFixture(ws, 'vite-react-more-deps', 'apps/shop', `the shop ${randomBytes(4).toString('hex')}`);
    expect(ws.readJson<{ dependencies: Record<string, string> }>('apps/shop/package.json').dependencies['is-number']).toBe('7.0.0');
    const deps = await ws.nx(['run', 'shop:docker-build']);
    expectSuccess(deps, 'nx');
    expect(deps.stdout).toMatch(/npm ci --no-audit --no-fund {2}DONE/);
    expect(ws.readJson<BuildRecord>('dist/docker/shop/docker-build.json').status).toBe('built');
  });
});

describe('generators: an npm-workspaces monorepo frontend with a shared lib (workspace-root context)', () => {
  let ws: TestWorkspace;
  let image: string;

  beforeAll(async () => {
    ws = createTestWorkspace('gen-mono');
    image = `${ws.imagePrefix}-portal`;
    // The root manifest and lockfile a monorepo's Docker build installs from (apps/portal, libs/brand, libs/unused).
    // The nx CLI that runs the test is already in node_modules; the template's devDependencies (a local plugin
    // tarball) are not something a Docker build could install.
    copyFixture(ws, 'npm/monorepo', '.');
    writeViteApp(ws, 'apps/portal', '{slogan}', "import { slogan } from '@acme/brand';\n");
    ws.write('libs/brand/src/index.js', "export const slogan = 'Acme builds fast';\n");
    ws.write('libs/unused/src/index.js', 'export const x = 1;\n');
    addProject(ws, 'portal', 'apps/portal', { image, context: '.', dockerfile: 'apps/portal/Dockerfile.frontend' });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('copies only what the app needs from the workspace, builds it with the lib, and serves it', async () => {
    const generated = await ws.nx(['g', 'nx-buildkit:frontend', 'portal', '--no-interactive']);
    expectSuccess(generated, 'nx');
    const dockerfile = ws.read('apps/portal/Dockerfile.frontend');
    // Installed from the app's pruned manifest and lockfile (the deps build context), the lib linked into it.
    expect(dockerfile).toContain('COPY --from=deps / ./apps/portal/');
    expect(dockerfile).not.toContain('package-lock.json');
    expect(dockerfile).toContain('COPY libs/brand/ ./apps/portal/workspace_modules/@acme/brand/');
    expect(dockerfile).not.toContain('COPY libs/unused/ ');

    const built = await ws.nx(['run', 'portal:docker-build']);
    expectSuccess(built, 'nx');
    const container = await startContainer(`${image}:latest`, 8080);
    try {
      const html = await (await fetch(`${container.url}/`)).text();
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(await (await fetch(`${container.url}${asset}`)).text()).toContain('Acme builds fast');
      expect((await fetch(`${container.url}/some/deep/route`)).status).toBe(200);
    } finally {
      await container.stop();
    }
  });

  it('skips when a file outside what the app needs changes', async () => {
    ws.write('libs/unused/src/index.js', `export const x = '${randomBytes(4).toString('hex')}';\n`);
    ws.write('README.md', '# edited\n');
    const result = await ws.nx(['run', 'portal:docker-build']);
    expectSuccess(result, 'nx');
    expect(ws.readJson<BuildRecord>('dist/docker/portal/docker-build.json').status).toBe('skipped');
  });
});
