import { addProjectConfiguration, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { compilePatterns, isExcluded, parseIgnoreFile } from '../../lib/context/dockerignore';
import { graphFromTree } from '../../lib/nx/workspace-graph';
import { frontendGenerator, normalizeFrontendOptions } from './frontend';

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
  function addWorkspacesMonorepo(tree: Tree): void {
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
  }

  it('in a workspaces monorepo, installs from the pruned deps context first, then config, the libs it uses, the app source last', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }));
    tree.write('package-lock.json', '{}');
    addWorkspacesMonorepo(tree);

    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    const buildStage = dockerfile.slice(0, dockerfile.indexOf('FROM nginx'));
    // No root lockfile and no other member's manifest before the install: a dependency change of another app
    // leaves this install cached.
    expect(lines(buildStage, 'COPY')).toEqual([
      'COPY --from=deps / ./apps/web/',
      'COPY tsconfig.base.json ./',
      'COPY apps/web/vite.config.ts ./apps/web/',
      'COPY libs/tokens/ ./apps/web/workspace_modules/@mono/tokens/',
      'COPY libs/ui/ ./apps/web/workspace_modules/@mono/ui/',
      'COPY apps/web/index.html ./apps/web/',
      'COPY apps/web/src/ ./apps/web/src/',
    ]);
    expect(lines(buildStage, 'RUN')).toEqual(['RUN --mount=type=cache,target=/root/.npm cd apps/web && npm ci --no-audit --no-fund', 'RUN cd apps/web && npm run build']);
    expect(dockerfile).toContain('COPY --from=build /app/apps/web/dist/ /usr/share/nginx/html/');
    expect(dockerfile).not.toMatch(/[^:]\/\//);

    const ignore = ignoreOf(tree, 'apps/web/Dockerfile.frontend.dockerignore');
    expect(isExcluded(ignore, 'libs/ui/src/index.ts')).toBe(false);
    expect(isExcluded(ignore, 'apps/web/src/main.tsx')).toBe(false);
    expect(isExcluded(ignore, 'libs/unrelated/src/index.ts')).toBe(true);
    expect(isExcluded(ignore, 'package-lock.json')).toBe(true);
    expect(isExcluded(ignore, 'apps/web/node_modules/x.js')).toBe(true);
  });

  it("in an Nx TypeScript-solution workspace, copies the base the library's tsconfig extends to where its linked copy finds it", async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }));
    tree.write('package-lock.json', '{}');
    addWorkspacesMonorepo(tree);
    tree.write('libs/ui/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', files: [], references: [{ path: './tsconfig.lib.json' }] }));
    tree.write('libs/ui/tsconfig.lib.json', JSON.stringify({ extends: '../../tsconfig.base.json' }));

    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    const copies = lines(dockerfile.slice(0, dockerfile.indexOf('FROM nginx')), 'COPY');
    // Before the libraries: it changes less often than they do.
    expect(copies.slice(3, 6)).toEqual([
      'COPY tsconfig.base.json ./apps/web/workspace_modules/tsconfig.base.json',
      'COPY libs/tokens/ ./apps/web/workspace_modules/@mono/tokens/',
      'COPY libs/ui/ ./apps/web/workspace_modules/@mono/ui/',
    ]);
    expect(isExcluded(ignoreOf(tree, 'apps/web/Dockerfile.frontend.dockerignore'), 'tsconfig.base.json')).toBe(false);
  });

  it('in an Nx TypeScript-solution workspace, leaves out the root tsconfig.json whose references list every project (no config it builds extends it)', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }));
    tree.write('package-lock.json', '{}');
    addWorkspacesMonorepo(tree);
    tree.write('tsconfig.json', JSON.stringify({ extends: './tsconfig.base.json', files: [], references: [{ path: './apps/web' }, { path: './libs/ui' }, { path: './libs/unrelated' }] }));
    tree.write('apps/web/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', files: [], references: [{ path: './tsconfig.app.json' }] }));

    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    expect(dockerfile).toContain('COPY tsconfig.base.json ./');
    expect(dockerfile).not.toMatch(/^COPY tsconfig\.json /m);
    const ignore = ignoreOf(tree, 'apps/web/Dockerfile.frontend.dockerignore');
    expect(isExcluded(ignore, 'tsconfig.json')).toBe(true);
    expect(isExcluded(ignore, 'tsconfig.base.json')).toBe(false);
  });

  it('in a pnpm workspace (pnpm-workspace.yaml), installs the pinned pnpm with npm, then installs frozen from the deps context', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'mono', private: true, packageManager: 'pnpm@10.34.9' }));
    tree.write('pnpm-workspace.yaml', "packages:\n  - 'apps/*'\n  - libs/*   # shared\n  - '!libs/unrelated'\n");
    tree.write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
    addWorkspacesMonorepo(tree);

    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    expect(lines(dockerfile, 'RUN')).toEqual([
      'RUN npm install --global --no-audit --no-fund pnpm@10.34.9',
      'RUN --mount=type=cache,target=/root/.local/share/pnpm/store cd apps/web && pnpm install --frozen-lockfile',
      'RUN cd apps/web && pnpm run build',
    ]);
    expect(dockerfile).toContain('COPY libs/ui/ ./apps/web/workspace_modules/@mono/ui/');
  });

  it('in a yarn 4 workspace, installs with --immutable and the pinned yarn', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'], packageManager: 'yarn@4.18.1' }));
    tree.write('yarn.lock', '__metadata:\n  version: 10\n');
    addWorkspacesMonorepo(tree);

    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    expect(lines(tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '', 'RUN')).toEqual([
      'RUN npm install --global --no-audit --no-fund @yarnpkg/cli-dist@4.18.1',
      'RUN --mount=type=cache,target=/root/.yarn/berry/cache cd apps/web && yarn install --immutable',
      'RUN cd apps/web && yarn run build',
    ]);
  });

  it('in an integrated repo (one root manifest, path-alias libraries), installs at the root from the pruned deps context and copies the libraries the app imports', async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: '@acme/source', private: true, dependencies: { react: '19.3.1', express: '5.3.0' }, devDependencies: { vite: '8.3.8' } }));
    tree.write('package-lock.json', '{}');
    tree.write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: { '@acme/shared': ['libs/shared/src/index.ts'], '@acme/ui': ['./libs/ui/src/index.ts'], '@acme/server-util': ['libs/server-util/src/index.ts'] } } }));
    addProjectConfiguration(tree, 'web', { root: 'apps/web', projectType: 'application' });
    tree.write('apps/web/vite.config.mts', "import { defineConfig } from 'vite';\nexport default defineConfig({ build: { outDir: '../../dist/apps/web' } });\n");
    tree.write('apps/web/tsconfig.json', '{}');
    tree.write('apps/web/index.html', '');
    tree.write('apps/web/src/main.tsx', "import { createRoot } from 'react';\nimport { ui } from '@acme/ui';\n");
    for (const lib of ['shared', 'ui', 'server-util']) addProjectConfiguration(tree, lib, { root: `libs/${lib}`, projectType: 'library' });
    tree.write('libs/ui/src/index.ts', "export * from '@acme/shared';\n");
    tree.write('libs/shared/src/index.ts', 'export const shared = 1;\n');
    tree.write('libs/server-util/src/index.ts', "import express from 'express';\n");

    await frontendGenerator(tree, { project: 'web', skipFormat: true });
    const dockerfile = tree.read('apps/web/Dockerfile.frontend', 'utf-8') ?? '';
    const buildStage = dockerfile.slice(0, dockerfile.indexOf('FROM nginx'));
    expect(lines(buildStage, 'COPY')).toEqual([
      'COPY --from=deps / ./',
      'COPY tsconfig.base.json ./',
      'COPY apps/web/tsconfig.json ./apps/web/',
      'COPY apps/web/vite.config.mts ./apps/web/',
      'COPY libs/shared/ ./libs/shared/',
      'COPY libs/ui/ ./libs/ui/',
      'COPY apps/web/index.html ./apps/web/',
      'COPY apps/web/src/ ./apps/web/src/',
    ]);
    expect(lines(buildStage, 'RUN')).toEqual(['RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund', 'RUN npx --no-install vite build apps/web']);
    expect(dockerfile).toContain('COPY --from=build /app/dist/apps/web/ /usr/share/nginx/html/');
    const ignore = ignoreOf(tree, 'apps/web/Dockerfile.frontend.dockerignore');
    expect(isExcluded(ignore, 'libs/shared/src/index.ts')).toBe(false);
    expect(isExcluded(ignore, 'libs/server-util/src/index.ts')).toBe(true);
    expect(isExcluded(ignore, 'package-lock.json')).toBe(true);
  });

  it('--buildOutside reads the build target Nx infers (the graph), not only project.json', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'web', { root: 'apps/web' });
    tree.write('apps/web/vite.config.ts', '');
    const graph = graphFromTree(tree);
    graph.nodes['web'].data.targets = { build: { executor: '@nx/vite:build', outputs: ['{workspaceRoot}/dist/apps/web'], options: {} } };
    const options = normalizeFrontendOptions(tree, { project: 'web', buildOutside: true }, graph);
    expect(options.config.targets?.['build']?.executor).toBe('@nx/vite:build');
    expect(options.framework).toBe('vite');
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

  it("an Angular app that only Nx's executor builds (the @nx/angular layout) packages its Nx build output; --buildOutside=false says why not", async () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: '@acme/source', private: true, dependencies: { '@angular/core': '22.1.0' } }));
    tree.write('package-lock.json', '{}');
    const build = { executor: '@angular/build:application', outputs: ['{options.outputPath}'], options: { outputPath: 'dist/apps/ng', browser: 'apps/ng/src/main.ts' } };
    addProjectConfiguration(tree, 'ng', { root: 'apps/ng', projectType: 'application', targets: { build } });
    tree.write('apps/ng/tsconfig.json', '{}');
    tree.write('apps/ng/src/main.ts', '');
    await expect(frontendGenerator(tree, { project: 'ng', buildOutside: false, skipFormat: true })).rejects.toThrow(/"@angular\/build:application" executor.*Leave out --buildOutside=false/);
    expect(tree.exists('apps/ng/Dockerfile.frontend')).toBe(false);

    await frontendGenerator(tree, { project: 'ng', skipFormat: true });
    const dockerfile = tree.read('apps/ng/Dockerfile.frontend', 'utf-8') ?? '';
    expect(lines(dockerfile, 'FROM')).toEqual(['FROM nginxinc/nginx-unprivileged:1.27-bookworm AS runtime']);
    expect(lines(dockerfile, 'COPY')).toEqual(['COPY apps/ng/nginx.conf /etc/nginx/nginx.conf', 'COPY dist/apps/ng/browser/ /usr/share/nginx/html/']);
    // With an angular.json beside it (an Angular CLI project), the build runs inside Docker as before.
    const cli = createTreeWithEmptyWorkspace();
    addProjectConfiguration(cli, 'shop', { root: 'apps/shop', targets: { build: { executor: 'nx:run-script', options: { script: 'build' } } } });
    cli.write('apps/shop/package.json', JSON.stringify({ name: 'shop', dependencies: { '@angular/core': '22.1.0' } }));
    cli.write('apps/shop/package-lock.json', '');
    cli.write('apps/shop/angular.json', '{}');
    await frontendGenerator(cli, { project: 'shop', skipFormat: true });
    expect(cli.read('apps/shop/Dockerfile.frontend', 'utf-8')).toContain('RUN npx --no-install ng build');
  });

  it('says what to pass when the framework cannot be detected or there is nothing to install from', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'site', { root: 'apps/site' });
    tree.write('apps/site/index.html', '');
    await expect(frontendGenerator(tree, { project: 'site', skipFormat: true })).rejects.toThrow(/--framework=vite, --framework=next or --framework=angular/);
    await expect(frontendGenerator(tree, { project: 'site', framework: 'vite', skipFormat: true })).rejects.toThrow(/lockfile|--buildOutside/);
  });
});

describe('frontend generator — Next.js (standalone output of the Nx build)', () => {
  function addNext(tree: Tree, config = "const nextConfig = {\n  output: 'standalone',\n  nx: {},\n};\nmodule.exports = nextConfig;\n"): void {
    addProjectConfiguration(tree, 'site', { root: 'apps/site', targets: { build: { executor: '@nx/next:build', outputs: ['{projectRoot}/.next'] } } });
    tree.write('apps/site/next.config.js', config);
    tree.write('apps/site/public/favicon.ico', '');
    tree.write('apps/site/src/app/page.tsx', 'export default function Page() { return null; }\n');
  }

  it('copies the traced dependencies first, then public, the server, and the static assets last, as a non-root user', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addNext(tree);
    await frontendGenerator(tree, { project: 'site', skipFormat: true });
    const dockerfile = tree.read('apps/site/Dockerfile.frontend', 'utf-8') ?? '';
    expect(lines(dockerfile, 'FROM')).toEqual(['FROM node:20-bookworm-slim AS runtime']);
    expect(lines(dockerfile, 'COPY')).toEqual([
      'COPY --chown=node:node apps/site/.next/standalone/node_modules/ ./node_modules/',
      'COPY --chown=node:node apps/site/public/ ./apps/site/public/',
      'COPY --chown=node:node apps/site/.next/standalone/apps/site/ ./apps/site/',
      'COPY --chown=node:node apps/site/.next/static/ ./apps/site/.next/static/',
    ]);
    expect(lines(dockerfile, 'RUN')).toEqual([]);
    expect(dockerfile).toContain('ENV HOSTNAME=0.0.0.0 PORT=3000');
    expect(dockerfile).toMatch(/\nUSER node\n/);
    expect(dockerfile).toContain('CMD ["node","apps/site/server.js"]');
    expect(dockerfile).toContain("fetch('http://127.0.0.1:3000/')");
    expect(tree.exists('apps/site/nginx.conf')).toBe(false);
    const ignore = ignoreOf(tree, 'apps/site/Dockerfile.frontend.dockerignore');
    expect(isExcluded(ignore, 'apps/site/.next/standalone/node_modules/next/package.json')).toBe(false);
    expect(isExcluded(ignore, 'apps/site/.next/standalone/apps/site/server.js')).toBe(false);
    expect(isExcluded(ignore, 'apps/site/.next/static/chunks/main.js')).toBe(false);
    expect(isExcluded(ignore, 'apps/site/.next/cache/webpack/x')).toBe(true);
    expect(isExcluded(ignore, 'apps/site/src/app/page.tsx')).toBe(true);
    expect(isExcluded(ignore, 'node_modules/next/package.json')).toBe(true);
  });

  it('names the config line to add when the app has no standalone output', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addNext(tree, 'module.exports = { nx: {} };\n');
    await expect(frontendGenerator(tree, { project: 'site', skipFormat: true })).rejects.toThrow(
      `Project "site" is a Next.js app without standalone output: add output: 'standalone' to the config in apps/site/next.config.js`,
    );
    expect(tree.exists('apps/site/Dockerfile.frontend')).toBe(false);
  });

  it('an app at the workspace root keeps server.js at the top of the image, its parts copied once', async () => {
    const tree = createTreeWithEmptyWorkspace();
    addProjectConfiguration(tree, 'site', { root: '.', targets: { build: { executor: '@nx/next:build' } } });
    tree.write('next.config.mjs', "export default { output: 'standalone', distDir: 'build' };\n");
    await frontendGenerator(tree, { project: 'site', skipFormat: true });
    const dockerfile = tree.read('Dockerfile.frontend', 'utf-8') ?? '';
    expect(lines(dockerfile, 'COPY')).toEqual([
      'COPY --chown=node:node build/standalone/node_modules/ ./node_modules/',
      'COPY --chown=node:node build/standalone/server.js build/standalone/package.json ./',
      'COPY --chown=node:node build/standalone/build/ ./build/',
      'COPY --chown=node:node build/static/ ./build/static/',
    ]);
    expect(dockerfile).toContain('CMD ["node","server.js"]');
  });
});
