import { createBuildContext } from '../build-context';
import { memoryContextFiles } from '../../../../test/memory-context-files';
import { parseDockerfile } from '../../dockerfile';
import { sendsHeavyFolder } from './sends-heavy-folder';

const check = (text: string, files: Record<string, string>, ignore?: string) =>
  sendsHeavyFolder.check({ dockerfile: parseDockerfile(text), context: createBuildContext(memoryContextFiles(files), ignore === undefined ? { text: '' } : { path: '.dockerignore', text: ignore }) });

describe('context/sends-heavy-folder', () => {
  it('reports COPY . . with node_modules and .git and no ignore file', () => {
    const [hit] = check('FROM node\nCOPY . .\n', { 'node_modules/ms/index.js': '', '.git/HEAD': '', 'index.js': '' });
    expect(hit.line).toBe(1);
    expect(hit.message).toBe('COPY . . sends node_modules and .git (the context has no ignore file): every build transfers them, and host-built modules or git history land in the image.');
    expect(hit.fix).toContain('Add a .dockerignore');
  });

  it('reports an ignore file that misses node_modules one folder down, and a COPY of that folder', () => {
    const hits = check('FROM node\nCOPY web /web\n', { 'web/node_modules/x/index.js': '', 'web/index.js': '' }, '*.log\n');
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toContain('sends web/node_modules (.dockerignore does not exclude them)');
    // A bare `node_modules` in an ignore file matches only at the root.
    expect(hits[0].fix).toBe('Add "**/node_modules" to .dockerignore.');
  });

  it('finds node_modules deeper down: the packages of a pnpm workspace built from its root', () => {
    // erxes-erxes-gateway, lines 18-19 (no root .dockerignore; backend/gateway/.dockerignore does not apply):
    //   COPY ./backend/gateway /app/backend/gateway
    //   COPY ./backend/erxes-api-shared /app/backend/erxes-api-shared
    const text = 'FROM node:22-bookworm AS build\nCOPY ./package.json ./pnpm-lock.yaml ./pnpm-workspace.yaml /app/\nCOPY ./backend/gateway /app/backend/gateway\nCOPY ./backend/erxes-api-shared /app/backend/erxes-api-shared\n';
    const files = {
      'package.json': '',
      'pnpm-lock.yaml': '',
      'pnpm-workspace.yaml': '',
      'node_modules/.pnpm/lock.yaml': '',
      'backend/gateway/.dockerignore': 'node_modules\n',
      'backend/gateway/src/index.ts': '',
      'backend/gateway/node_modules/express/index.js': '',
      'backend/erxes-api-shared/src/index.ts': '',
      'backend/erxes-api-shared/node_modules/zod/index.js': '',
    };
    const hits = check(text, files);
    expect(hits.map((hit) => hit.line)).toEqual([2, 3]);
    expect(hits[0].message).toContain('sends backend/gateway/node_modules (the context has no ignore file)');
    expect(hits[1].message).toContain('sends backend/erxes-api-shared/node_modules');
    expect(hits[0].fix).toContain('with "**/node_modules" and other build output');
  });

  it('names a few folders and counts the rest', () => {
    const files = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [`packages/${name}/node_modules/x/i.js`, '']));
    const [hit] = check('FROM node\nCOPY . .\n', files, '*.log\n');
    expect(hit.message).toContain('sends packages/a/node_modules, packages/b/node_modules, packages/c/node_modules and 2 more (');
    expect(hit.fix).toBe('Add "**/node_modules" to .dockerignore.');
  });

  it('reports a folder an allow-list only re-includes from above, or by a wide glob', () => {
    expect(check('FROM node\nCOPY . .\n', { 'web/node_modules/x/i.js': '', 'web/i.js': '' }, '*\n!web\n').map((hit) => hit.message)).toEqual([expect.stringContaining('sends web/node_modules')]);
    expect(check('FROM node\nCOPY . .\n', { 'node_modules/x/i.js': '', 'i.js': '' }, '*\n!**/*.js\n')).toHaveLength(1);
  });

  it('does not look inside node_modules, .git or a folder the ignore file excludes', () => {
    const listed: string[] = [];
    const files = memoryContextFiles({ 'node_modules/a/node_modules/b/i.js': '', '.git/modules/x/HEAD': '', 'dist/node_modules/c/i.js': '', 'src/i.js': '' });
    const spy = { ...files, list: (path: string) => (listed.push(path), files.list(path)) };
    const hits = sendsHeavyFolder.check({ dockerfile: parseDockerfile('FROM node\nCOPY . .\n'), context: createBuildContext(spy, { path: '.dockerignore', text: 'dist\n' }) });
    expect(hits[0].message).toContain('sends node_modules and .git (');
    expect(listed).toEqual(['.', 'src']);
  });

  it('does not look in folders no COPY reads', () => {
    const listed: string[] = [];
    const files = memoryContextFiles({ 'apps/web/node_modules/x/i.js': '', 'apps/web/i.js': '', 'libs/ui/node_modules/y/i.js': '' });
    const spy = { ...files, list: (path: string) => (listed.push(path), files.list(path)) };
    const hits = sendsHeavyFolder.check({ dockerfile: parseDockerfile('FROM node\nCOPY apps/web /web\n'), context: createBuildContext(spy, { text: '' }) });
    expect(hits.map((hit) => hit.message)).toEqual([expect.stringContaining('sends apps/web/node_modules (')]);
    expect(listed).toEqual(['.', 'apps', 'apps/web']);
  });

  it.each([
    ['excluded by the ignore file', 'FROM node\nCOPY . .\n', { 'node_modules/x/i.js': '' }, 'node_modules\n'],
    ['not copied (BuildKit sends only what COPY reads)', 'FROM node\nCOPY package.json .\n', { 'node_modules/x/i.js': '', 'package.json': '' }, undefined],
    ['no heavy folder in the context', 'FROM node\nCOPY . .\n', { 'index.js': '' }, undefined],
    // dani-garcia-vaultwarden, line 112 (`COPY . .`): the allow-list re-includes .git on purpose, build.rs reads it.
    ['a folder the allow-list re-includes by name', 'FROM rust\nCOPY . .\n', { '.git/HEAD': '', 'src/main.rs': '', 'build.rs': '' }, '// Ignore everything\n*\n\n// Allow what is needed\n!.git\n!src\n!build.rs\n'],
    ['a folder the ignore file re-includes a file of', 'FROM node\nCOPY . .\n', { '.git/HEAD': '', '.git/objects/x': '' }, '.git\n!.git/HEAD\n'],
    ['a nested folder the ignore file excludes', 'FROM node\nCOPY . .\n', { 'apps/web/node_modules/x/i.js': '' }, '**/node_modules\n'],
    ['a file named .git (a worktree link)', 'FROM node\nCOPY . .\n', { '.git': 'gitdir: ../main/.git', 'index.js': '' }, undefined],
  ])('does not report %s', (_name, text, files, ignore) => {
    expect(check(text, files, ignore)).toEqual([]);
  });

  it('needs the context', () => {
    expect(sendsHeavyFolder.check({ dockerfile: parseDockerfile('FROM node\nCOPY . .\n') })).toEqual([]);
  });
});
