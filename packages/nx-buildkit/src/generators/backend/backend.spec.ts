import { addProjectConfiguration, logger, readNxJson, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { compilePatterns, isExcluded, parseIgnoreFile } from '../../lib/context/dockerignore';
import { backendGenerator } from './backend';

const copyLines = (dockerfile: string) => dockerfile.split('\n').filter((line) => line.startsWith('COPY'));
const stage = (dockerfile: string, name: string) => dockerfile.split(/\n(?=FROM )/).find((part) => part.includes(` AS ${name}`)) ?? '';

function addPythonApi(tree: Tree, files: Record<string, string>): void {
  addProjectConfiguration(tree, 'api', { root: 'apps/api' });
  for (const [path, content] of Object.entries(files)) tree.write(`apps/api/${path}`, content);
}

const SEED_LAYOUT = {
  'config/settings.toml': 'x=1\n',
  'main.py': 'print("hi")\n',
  'pyproject.toml': '[project]\nname = "api"\n',
  'requirements.prod.txt': 'fastapi\n',
  'requirements-dev.txt': 'pytest\n',
  'src/api/__init__.py': '',
  'src/api/server.py': 'x = 1\n',
  'tests/test_server.py': 'def test(): pass\n',
};

describe('backend generator — Python', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('copies config first, entry and metadata next, source last, each owned by the non-root user', async () => {
    addPythonApi(tree, SEED_LAYOUT);
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    const runtime = stage(tree.read('apps/api/Dockerfile.prod', 'utf-8') ?? '', 'runtime');
    expect(copyLines(runtime)).toEqual([
      'COPY --from=builder /opt/venv /opt/venv',
      'COPY --chown=appuser:appuser config/ /app/config/',
      'COPY --chown=appuser:appuser main.py /app/',
      'COPY --chown=appuser:appuser pyproject.toml /app/',
      'COPY --chown=appuser:appuser src/ /app/src/',
    ]);
    expect(runtime).toMatch(/\nUSER appuser\n/);
    expect(runtime).toContain('CMD ["python","main.py"]');
    expect(runtime).toContain('HEALTHCHECK');
    expect(runtime).toContain('EXPOSE 8000');
  });

  it('installs the production requirements in the builder with a pip cache mount, before any source', async () => {
    addPythonApi(tree, SEED_LAYOUT);
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    const dockerfile = tree.read('apps/api/Dockerfile.prod', 'utf-8') ?? '';
    const builder = stage(dockerfile, 'builder');
    expect(copyLines(builder)).toEqual(['COPY requirements.prod.txt ./']);
    expect(builder).toContain('RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.prod.txt');
    // No pip in the venv (ensurepip cost seconds per cold build): the base image's pip installs into it.
    expect(builder).toContain('RUN python -m venv --without-pip /opt/venv\nENV PATH="/opt/venv/bin:$PATH" \\\n    PIP_PYTHON=/opt/venv/bin/python\n');
    expect(dockerfile).not.toMatch(/^# syntax=/m);
    expect(dockerfile).not.toMatch(/COPY \. /);
    expect(dockerfile).not.toMatch(/^ARG /m);
    expect(dockerfile.match(/^# /gm)?.length).toBeGreaterThanOrEqual(2);
  });

  it('installs system packages with apt in one RUN with cache mounts for the cache and the lists', async () => {
    addPythonApi(tree, SEED_LAYOUT);
    await backendGenerator(tree, { project: 'api', systemPackages: 'curl, libpq5', skipFormat: true });
    const base = stage(tree.read('apps/api/Dockerfile.prod', 'utf-8') ?? '', 'base');
    const run = base.slice(base.indexOf('RUN '));
    expect(run).toContain('--mount=type=cache,target=/var/cache/apt');
    expect(run).toContain('--mount=type=cache,target=/var/lib/apt/lists');
    expect(run).toMatch(/apt-get update \\\n && apt-get install -y --no-install-recommends curl libpq5/);
    expect(base.match(/^RUN /gm)).toHaveLength(1);
  });

  it('copies only what exists, and detects uv and poetry lockfiles', async () => {
    addPythonApi(tree, { 'app.py': 'x\n', 'pyproject.toml': '[project]\n', 'uv.lock': '' });
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    const dockerfile = tree.read('apps/api/Dockerfile.prod', 'utf-8') ?? '';
    expect(dockerfile).toContain('COPY pyproject.toml uv.lock ./');
    expect(dockerfile).toContain('--mount=type=cache,target=/root/.cache/uv');
    expect(dockerfile).not.toContain('config/');
    expect(dockerfile).not.toContain('src/');
    expect(dockerfile).toContain('CMD ["python","app.py"]');

    const poetry = createTreeWithEmptyWorkspace();
    addPythonApi(poetry, { 'main.py': 'x\n', 'pyproject.toml': '[tool.poetry]\n', 'poetry.lock': '' });
    await backendGenerator(poetry, { project: 'api', skipFormat: true });
    expect(poetry.read('apps/api/Dockerfile.prod', 'utf-8')).toContain('COPY pyproject.toml poetry.lock ./');
    // uv and poetry are installed by the venv's own pip and run from the venv, as before.
    for (const text of [dockerfile, poetry.read('apps/api/Dockerfile.prod', 'utf-8') ?? '']) {
      expect(text).toContain('RUN python -m venv /opt/venv\n');
      expect(text).not.toContain('PIP_PYTHON');
    }
  });

  it('writes an ignore file beside the Dockerfile that never excludes what it copies but keeps secrets out', async () => {
    addPythonApi(tree, SEED_LAYOUT);
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    const patterns = compilePatterns(parseIgnoreFile(tree.read('apps/api/Dockerfile.prod.dockerignore', 'utf-8') ?? ''));
    for (const copied of ['config/settings.toml', 'main.py', 'pyproject.toml', 'requirements.prod.txt', 'src/api/server.py']) {
      expect(isExcluded(patterns, copied)).toBe(false);
    }
    for (const secret of ['.env', 'config/.env.local', 'certs/server.key', '.git/config', 'src/api/__pycache__/x.pyc', 'tests/test_server.py']) {
      expect(isExcluded(patterns, secret)).toBe(true);
    }
  });

  it('refuses to clobber an edited Dockerfile, leaves an identical one alone, replaces with --overwrite', async () => {
    addPythonApi(tree, SEED_LAYOUT);
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    const generated = tree.read('apps/api/Dockerfile.prod', 'utf-8');
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    expect(tree.read('apps/api/Dockerfile.prod', 'utf-8')).toBe(generated);

    tree.write('apps/api/Dockerfile.prod', `${generated}# my edit\n`);
    await expect(backendGenerator(tree, { project: 'api', skipFormat: true })).rejects.toThrow(/apps\/api\/Dockerfile.prod" already exists .*--overwrite/);
    expect(tree.read('apps/api/Dockerfile.prod', 'utf-8')).toContain('# my edit');
    await backendGenerator(tree, { project: 'api', overwrite: true, skipFormat: true });
    expect(tree.read('apps/api/Dockerfile.prod', 'utf-8')).toBe(generated);
  });

  it('runs init when the workspace does not register the plugin', async () => {
    addPythonApi(tree, SEED_LAYOUT);
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    expect(readNxJson(tree)?.plugins).toContain('nx-buildkit');
    expect(tree.exists('.dockerignore')).toBe(true);
  });

  it('explains what to pass when the runtime, the entry or a package name cannot be used', async () => {
    addProjectConfiguration(tree, 'empty', { root: 'apps/empty' });
    tree.write('apps/empty/README.md', '# nothing\n');
    await expect(backendGenerator(tree, { project: 'empty', skipFormat: true })).rejects.toThrow(/--runtime=python or --runtime=node/);
    addPythonApi(tree, { 'pyproject.toml': '[project]\n', 'src/api/x.py': '' });
    await expect(backendGenerator(tree, { project: 'api', skipFormat: true })).rejects.toThrow(/--cmd/);
    await expect(backendGenerator(tree, { project: 'api', cmd: 'python -m api', systemPackages: 'curl;rm', skipFormat: true })).rejects.toThrow(/Invalid Debian package name "curl;rm"/);
  });
});

describe('backend generator — Node', () => {
  it('packages the Nx build output: production install from the emitted manifest and lockfile first, output last, as node', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package-lock.json', '{}');
    addProjectConfiguration(tree, 'server', {
      root: 'apps/server',
      targets: { build: { executor: '@nx/esbuild:esbuild', options: { outputPath: 'dist/apps/server', generatePackageJson: true } } },
    });
    tree.write('apps/server/src/main.ts', 'console.log(1)\n');
    await backendGenerator(tree, { project: 'server', skipFormat: true });
    const dockerfile = tree.read('apps/server/Dockerfile.prod', 'utf-8') ?? '';
    expect(copyLines(dockerfile)).toEqual([
      'COPY dist/apps/server/package.json dist/apps/server/package-lock.json ./',
      'COPY --from=dependencies --chown=node:node /app/node_modules ./node_modules',
      'COPY --chown=node:node dist/apps/server/ ./',
    ]);
    expect(dockerfile).toContain('RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev');
    expect(dockerfile).toMatch(/\nUSER node\n/);
    // Nx's Node apps listen on process.env.HOST ?? 'localhost': unreachable through a published port without it.
    expect(stage(dockerfile, 'runtime')).toMatch(/\nENV HOST=0\.0\.0\.0 PORT=3000\n/);
    const ignore = compilePatterns(parseIgnoreFile(tree.read('apps/server/Dockerfile.prod.dockerignore', 'utf-8') ?? ''));
    expect(isExcluded(ignore, 'dist/apps/server/main.js')).toBe(false);
    expect(isExcluded(ignore, 'apps/server/src/main.ts')).toBe(true);
    expect(isExcluded(ignore, 'dist/apps/server/node_modules/x/index.js')).toBe(true);
  });

  it('uses the workspace package manager for the install (pnpm)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('pnpm-lock.yaml', '');
    addProjectConfiguration(tree, 'server', { root: 'apps/server', targets: { build: { executor: 'x', options: { generatePackageJson: true } } } });
    tree.write('apps/server/main.ts', '');
    await backendGenerator(tree, { project: 'server', skipFormat: true, port: 8080 });
    const dockerfile = tree.read('apps/server/Dockerfile.prod', 'utf-8') ?? '';
    expect(dockerfile).toContain('COPY dist/apps/server/package.json dist/apps/server/pnpm-lock.yaml ./');
    expect(dockerfile).toContain('--mount=type=cache,target=/root/.local/share/pnpm/store corepack enable pnpm && pnpm install --frozen-lockfile --prod');
    expect(dockerfile).toContain('ENV HOST=0.0.0.0 PORT=8080');
  });

  it('installs from the pruned deps context when the build writes no package.json, from the output the build target declares', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: '@acme/source', dependencies: { express: '5.3.0' } }));
    tree.write('package-lock.json', '{}');
    addProjectConfiguration(tree, 'api', { root: 'apps/api', targets: { build: { executor: '@nx/js:tsc', outputs: ['{workspaceRoot}/out/api'], options: {} } } });
    tree.write('apps/api/src/main.ts', "import express from 'express';\n");
    await backendGenerator(tree, { project: 'api', skipFormat: true });
    const dockerfile = tree.read('apps/api/Dockerfile.prod', 'utf-8') ?? '';
    expect(copyLines(stage(dockerfile, 'dependencies'))).toEqual(['COPY --from=deps / ./']);
    expect(copyLines(stage(dockerfile, 'runtime'))).toEqual(['COPY --from=dependencies --chown=node:node /app/node_modules ./node_modules', 'COPY --chown=node:node out/api/ ./']);
  });

  it('names a file: dependency the image would install, with the fix', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: '@acme/source', dependencies: { express: '5.3.0', 'vendored-lib': 'file:vendor/vendored-lib-1.0.0.tgz', 'other-app-only': 'link:../elsewhere' } }));
    tree.write('package-lock.json', '{}');
    addProjectConfiguration(tree, 'api', { root: 'apps/api', targets: { build: { executor: '@nx/esbuild:esbuild', options: { outputPath: 'dist/apps/api', generatePackageJson: true } } } });
    tree.write('apps/api/src/main.ts', "import express from 'express';\nimport { x } from 'vendored-lib';\n");
    const warnings: string[] = [];
    const warn = jest.spyOn(logger, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)));
    try {
      await backendGenerator(tree, { project: 'api', skipFormat: true });
    } finally {
      warn.mockRestore();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"vendored-lib": "file:vendor/vendored-lib-1.0.0.tgz" (package.json)');
    expect(warnings[0]).toContain('Publish it to a registry');
    // Another app's local dependency is not this image's.
    expect(warnings[0]).not.toContain('other-app-only');
  });

  it('in a workspaces monorepo, installs from the pruned deps context, then copies the libs it uses and the app source', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }));
    tree.write('package-lock.json', '{}');
    addProjectConfiguration(tree, 'a', { root: 'apps/a' });
    tree.write('apps/a/package.json', JSON.stringify({ name: '@demo/a', main: 'src/index.js', dependencies: { '@demo/shared': '*', 'is-number': '7.0.0' } }));
    tree.write('apps/a/src/index.js', '');
    tree.write('apps/b/package.json', JSON.stringify({ name: '@demo/b', dependencies: { ms: '2.1.3' } }));
    tree.write('libs/shared/package.json', JSON.stringify({ name: '@demo/shared', dependencies: { 'is-odd': '3.0.1' } }));
    tree.write('libs/shared/index.js', '');

    await backendGenerator(tree, { project: 'a', runtime: 'node', skipFormat: true });
    const dockerfile = tree.read('apps/a/Dockerfile.prod', 'utf-8') ?? '';
    expect(copyLines(stage(dockerfile, 'dependencies'))).toEqual(['COPY --from=deps / ./']);
    expect(stage(dockerfile, 'dependencies')).toContain('RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules');
    expect(copyLines(stage(dockerfile, 'runtime'))).toEqual([
      'COPY --from=dependencies --chown=node:node /app ./',
      'COPY --chown=node:node libs/shared/ ./workspace_modules/@demo/shared/',
      'COPY --chown=node:node apps/a/src/ ./src/',
    ]);
    expect(dockerfile).toContain('CMD ["node","src/index.js"]');
    const ignore = compilePatterns(parseIgnoreFile(tree.read('apps/a/Dockerfile.prod.dockerignore', 'utf-8') ?? ''));
    expect(isExcluded(ignore, 'libs/shared/index.js')).toBe(false);
    expect(isExcluded(ignore, 'apps/b/package.json')).toBe(true);
    expect(isExcluded(ignore, 'package-lock.json')).toBe(true);
  });
});
