import { addProjectConfiguration, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { compilePatterns, isExcluded, parseIgnoreFile } from '../../lib/dockerignore';
import { frontendGenerator } from './frontend';

const lines = (text: string, prefix: string) => text.split('\n').filter((line) => line.startsWith(prefix));
const indexOfLine = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));
const ignoreOf = (tree: Tree, path: string) => compilePatterns(parseIgnoreFile(tree.read(path, 'utf-8') ?? ''));

function addStandaloneVite(tree: Tree, lockfile = 'package-lock.json'): void {
  addProjectConfiguration(tree, 'web', { root: 'apps/web' });
  tree.write('apps/web/package.json', JSON.stringify({ name: 'web', scripts: { build: 'vite build' }, devDependencies: { vite: '^8.0.0' } }));
  tree.write(`apps/web/${lockfile}`, '');
  tree.write('apps/web/vite.config.ts', 'export default {};\n');
  tree.write('apps/web/tsconfig.json', '{}');
  tree.write('apps/web/tsconfig.node.json', '{}');
  tree.write('apps/web/index.html', '<div id="root"></div>\n');
  tree.write('apps/web/src/main.tsx', 'export {};\n');
  tree.write('apps/web/public/favicon.svg', '<svg/>\n');
}

describe('frontend generator — Vite app with its own lockfile (built inside Docker)', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('copies manifests and installs first, then build config, then public/, index.html and src/ last', async () => {
    addStandaloneVite(tree);
    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    const buildStage = dockerfile.slice(0, dockerfile.indexOf('FROM nginx'));
    expect(lines(buildStage, 'COPY')).toEqual([
      'COPY package.json package-lock.json ./',
      'COPY tsconfig.json ./',
      'COPY tsconfig.node.json ./',
      'COPY vite.config.ts ./',
      'COPY public/ ./public/',
      'COPY index.html ./',
      'COPY src/ ./src/',
    ]);
    expect(indexOfLine(buildStage, 'npm ci')).toBeGreaterThan(indexOfLine(buildStage, 'COPY package.json'));
    expect(indexOfLine(buildStage, 'npm ci')).toBeLessThan(indexOfLine(buildStage, 'COPY tsconfig.json'));
    expect(buildStage).toContain('RUN --mount=type=cache,target=/root/.npm npm ci');
    expect(buildStage).toContain('RUN npm run build');
    expect(dockerfile).not.toMatch(/^# syntax=/m);
  });

  it('serves the build output with nginx as a non-root user and its own nginx.conf', async () => {
    addStandaloneVite(tree);
    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    const runtime = dockerfile.slice(dockerfile.indexOf('FROM nginx'));
    expect(lines(runtime, 'COPY')).toEqual(['COPY nginx.conf /etc/nginx/nginx.conf', 'COPY --from=build /app/dist/ /usr/share/nginx/html/']);
    expect(runtime).toMatch(/\nUSER nginx\n/);
    const conf = tree.read('apps/web/nginx.conf', 'utf-8') ?? '';
    expect(conf).toContain('try_files $uri $uri/ /index.html;');
    expect(conf).toMatch(/location = \/index.html \{\s+add_header Cache-Control "no-cache";/);
    expect(conf).toContain('max-age=31536000, immutable');
    expect(conf).toContain('pid /tmp/nginx.pid;');
  });

  it('detects the package manager from the lockfile and mounts its cache', async () => {
    addStandaloneVite(tree, 'pnpm-lock.yaml');
    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    expect(dockerfile).toContain('COPY package.json pnpm-lock.yaml ./');
    expect(dockerfile).toContain('--mount=type=cache,target=/root/.local/share/pnpm/store corepack enable pnpm && pnpm install --frozen-lockfile');
    expect(dockerfile).toContain('RUN pnpm run build');

    const yarn = createTreeWithEmptyWorkspace();
    addStandaloneVite(yarn, 'yarn.lock');
    await frontendGenerator(yarn, { project: 'web', skipFormat: true });
    expect(yarn.read('apps/web/Dockerfile.frontend', 'utf-8')).toContain('yarn install --frozen-lockfile');
  });

  it('never excludes what the Dockerfile copies, even when dist is the copied output', async () => {
    addStandaloneVite(tree);
    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const ignore = ignoreOf(tree, 'apps/web/Dockerfile.frontend.dockerignore');
    for (const copied of ['package.json', 'package-lock.json', 'vite.config.ts', 'index.html', 'src/main.tsx', 'public/favicon.svg', 'nginx.conf']) {
      expect(isExcluded(ignore, copied)).toBe(false);
    }
    for (const kept of ['node_modules/react/index.js', '.env', '.env.production', 'dist/index.html', '.git/HEAD']) {
      expect(isExcluded(ignore, kept)).toBe(true);
    }
  });

  it('detects Angular and copies its output folder', async () => {
    addProjectConfiguration(tree, 'shop', { root: 'apps/shop' });
    tree.write('apps/shop/package.json', JSON.stringify({ name: 'shop', scripts: { build: 'ng build' }, dependencies: { '@angular/core': '^19.0.0' } }));
    tree.write('apps/shop/package-lock.json', '');
    tree.write('apps/shop/angular.json', JSON.stringify({ projects: { shop: { architect: { build: { options: { outputPath: 'dist/shop' } } } } } }));
    tree.write('apps/shop/src/main.ts', '');
    await frontendGenerator(tree, { project: 'shop', skipFormat: true });
    const dockerfile = tree.read('apps/shop/Dockerfile.frontend', 'utf-8') ?? '';
    expect(dockerfile).toContain('COPY angular.json ./');
    expect(dockerfile).toContain('COPY --from=build /app/dist/shop/browser/ /usr/share/nginx/html/');
  });
});

describe('frontend generator — npm-workspaces monorepo (workspace-root context)', () => {
  it('copies root and member manifests, installs, then config, the shared lib, and the app source last', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }));
    tree.write('package-lock.json', '{}');
    tree.write('tsconfig.base.json', '{}');
    addProjectConfiguration(tree, 'web', { root: 'apps/web' });
    tree.write('apps/web/package.json', JSON.stringify({ name: '@mono/web', scripts: { build: 'vite build' }, dependencies: { '@mono/ui': '*' }, devDependencies: { vite: '^8.0.0' } }));
    tree.write('apps/web/vite.config.ts', '');
    tree.write('apps/web/index.html', '');
    tree.write('apps/web/src/main.tsx', '');
    tree.write('libs/ui/package.json', JSON.stringify({ name: '@mono/ui', dependencies: { '@mono/tokens': '*' } }));
    tree.write('libs/ui/src/index.ts', '');
    tree.write('libs/tokens/package.json', JSON.stringify({ name: '@mono/tokens' }));
    tree.write('libs/tokens/index.js', '');
    tree.write('libs/unrelated/package.json', JSON.stringify({ name: '@mono/unrelated' }));
    tree.write('libs/unrelated/src/index.ts', '');

    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    const copies = lines(dockerfile, 'COPY');
    expect(copies.slice(0, 2)).toEqual(['COPY package.json package-lock.json ./', 'COPY apps/web/package.json ./apps/web/']);
    expect(indexOfLine(dockerfile, 'npm ci')).toBeGreaterThan(indexOfLine(dockerfile, 'COPY libs/unrelated/package.json'));
    expect(indexOfLine(dockerfile, 'npm ci')).toBeLessThan(indexOfLine(dockerfile, 'COPY tsconfig.base.json'));
    expect(indexOfLine(dockerfile, 'COPY libs/ui/ ./libs/ui/')).toBeLessThan(indexOfLine(dockerfile, 'COPY apps/web/src/'));
    expect(dockerfile).toContain('COPY libs/tokens/ ./libs/tokens/');
    expect(dockerfile).not.toContain('COPY libs/unrelated/ ');
    expect(dockerfile).toContain('RUN npm run build --workspace apps/web');
    expect(dockerfile).toContain('COPY --from=build /app/apps/web/dist/ /usr/share/nginx/html/');
    expect(dockerfile).toContain('COPY apps/web/nginx.conf /etc/nginx/nginx.conf');
    // Paths are written clean: one slash after a folder, never `src//`.
    expect(dockerfile).toContain('COPY apps/web/src/ ./apps/web/src/\n');
    expect(dockerfile).not.toMatch(/[^:]\/\//);

    const ignore = ignoreOf(tree, 'apps/web/Dockerfile.frontend.dockerignore');
    expect(isExcluded(ignore, 'libs/ui/src/index.ts')).toBe(false);
    expect(isExcluded(ignore, 'apps/web/src/main.tsx')).toBe(false);
    expect(isExcluded(ignore, 'libs/unrelated/src/index.ts')).toBe(true);
    expect(isExcluded(ignore, 'apps/web/node_modules/x.js')).toBe(true);
    expect(isExcluded(ignore, 'README.md')).toBe(true);
  });

  it('--buildOutside packages the Nx build output with nginx only', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'web', { root: 'apps/web', targets: { build: { executor: '@nx/vite:build', options: { outputPath: 'dist/apps/web' } } } });
    tree.write('apps/web/vite.config.ts', '');
    await frontendGenerator(tree, { project: 'web', buildOutside: true, skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    expect(lines(dockerfile, 'FROM')).toEqual(['FROM nginxinc/nginx-unprivileged:1.27-bookworm AS runtime']);
    expect(lines(dockerfile, 'COPY')).toEqual(['COPY apps/web/nginx.conf /etc/nginx/nginx.conf', 'COPY dist/apps/web/ /usr/share/nginx/html/']);
    const ignore = ignoreOf(tree, 'apps/web/Dockerfile.frontend.dockerignore');
    expect(isExcluded(ignore, 'dist/apps/web/index.html')).toBe(false);
    expect(isExcluded(ignore, 'apps/web/src/main.tsx')).toBe(true);
  });

  it('says what to pass when the framework cannot be detected or there is nothing to install from', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'site', { root: 'apps/site' });
    tree.write('apps/site/index.html', '');
    await expect(frontendGenerator(tree, { project: 'site', skipFormat: true })).rejects.toThrow(/--framework=vite or --framework=angular/);
    await expect(frontendGenerator(tree, { project: 'site', framework: 'vite', skipFormat: true })).rejects.toThrow(/lockfile|--buildOutside/);
  });
});
