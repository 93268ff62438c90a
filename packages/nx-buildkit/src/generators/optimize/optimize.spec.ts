import { addProjectConfiguration, logger, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { normalizeOptimizeOptions, optimizeGenerator } from './optimize';

const DOCKERFILE = 'FROM node:20-bookworm-slim\n# the app\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n';

function addNodeApp(tree: Tree, root = 'apps/web', files: Record<string, string> = {}): void {
  addProjectConfiguration(tree, 'web', { root });
  const all = { Dockerfile: DOCKERFILE, 'package.json': '{"name":"web"}', 'package-lock.json': '{}', 'index.js': '', '.dockerignore': 'node_modules\n', ...files };
  for (const [path, content] of Object.entries(all)) tree.write(`${root}/${path}`, content);
}

describe('optimize generator', () => {
  let tree: Tree;
  let logged: string[];

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    logged = [];
    jest.spyOn(logger, 'info').mockImplementation((message) => void logged.push(String(message)));
  });

  afterEach(() => jest.restoreAllMocks());

  it('rewrites the project Dockerfile in the tree and logs the changes and a unified diff', async () => {
    addNodeApp(tree);
    await optimizeGenerator(tree, { project: 'web' });
    const written = tree.read('apps/web/Dockerfile', 'utf-8') ?? '';
    // Manifests before the install, the rest after it, the comment where it was.
    expect(written.split('\n').filter((line) => /^(COPY|RUN|#)/.test(line))).toEqual([
      '# the app',
      '# nx-buildkit: dependency manifests first, so a source change does not rerun the install below',
      'COPY package.json package-lock.json ./',
      'RUN --mount=type=cache,target=/root/.npm npm ci',
      'COPY . .',
    ]);
    expect(logged[0]).toBe('nx-buildkit: apps/web/Dockerfile (context: apps/web) — 2 changes:');
    expect(logged.join('\n')).toContain('--- a/apps/web/Dockerfile\n+++ b/apps/web/Dockerfile\n@@ ');
  });

  it('changes nothing on a second run, and says so', async () => {
    addNodeApp(tree);
    await optimizeGenerator(tree, { project: 'web' });
    const once = tree.read('apps/web/Dockerfile', 'utf-8');
    logged = [];
    await optimizeGenerator(tree, { project: 'web' });
    expect(tree.read('apps/web/Dockerfile', 'utf-8')).toBe(once);
    expect(logged).toEqual(['nx-buildkit: nothing to change in apps/web/Dockerfile (context: apps/web).']);
  });

  it('prints what it declines and why', async () => {
    addNodeApp(tree, 'apps/web', { 'package.json': '{"name":"web","workspaces":["packages/*"]}' });
    await optimizeGenerator(tree, { project: 'web' });
    expect(logged).toContain('Left as is (not provably the same image):');
    expect(logged.join('\n')).toMatch(/ {2}- apps\/web\/Dockerfile:4 split-copy: line 5: package\.json declares workspaces/);
  });

  it('says nothing about a COPY the install needs before it (a postinstall script reads the sources: the order is right)', async () => {
    addNodeApp(tree, 'apps/web', { 'package.json': '{"name":"web","scripts":{"postinstall":"node setup.js"}}' });
    await optimizeGenerator(tree, { project: 'web' });
    expect(logged).not.toContain('Left as is (not provably the same image):');
  });

  it('reads the ignore file that applies: the context sends node_modules without one, so the split is declined', async () => {
    addNodeApp(tree);
    tree.delete('apps/web/.dockerignore');
    tree.write('apps/web/node_modules/ms/index.js', '');
    await optimizeGenerator(tree, { project: 'web' });
    expect(tree.read('apps/web/Dockerfile', 'utf-8')).toContain('COPY . .\nRUN --mount=type=cache,target=/root/.npm npm ci');
    expect(logged.join('\n')).toContain('the context sends node_modules');
  });

  describe('options', () => {
    it('finds the Dockerfile and the context of an nx-buildkit:build target', () => {
      addProjectConfiguration(tree, 'api', {
        root: 'apps/api',
        targets: { image: { executor: 'nx-buildkit:build', options: { dockerfile: 'apps/api/Dockerfile.prod', context: '.' } } },
      });
      tree.write('apps/api/Dockerfile.prod', 'FROM x\n');
      tree.write('apps/api/Dockerfile.prod.dockerignore', '*\n');
      expect(normalizeOptimizeOptions(tree, { project: 'api' })).toEqual({ project: 'api', dockerfile: 'apps/api/Dockerfile.prod', context: '.', ignoreFile: 'apps/api/Dockerfile.prod.dockerignore' });
    });

    it('uses the workspace root when the Dockerfile copies what only exists there', () => {
      addProjectConfiguration(tree, 'api', { root: 'apps/api' });
      tree.write('apps/api/Dockerfile', 'FROM x\nCOPY package-lock.json ./\n');
      tree.write('package-lock.json', '{}');
      expect(normalizeOptimizeOptions(tree, { project: 'api' }).context).toBe('.');
    });

    it.each([
      [{ dockerfile: 'apps/api/Nope' }, 'Dockerfile "apps/api/Nope" not found. Pass --dockerfile with a path relative to the workspace root'],
      [{}, 'Project "api" has no Dockerfile in apps/api (looked for Dockerfile, Dockerfile.prod, Dockerfile.frontend). Pass --dockerfile=<path>.'],
      [{ dockerfile: 'apps/api/Dockerfile.x', context: 'apps/nope' }, 'Build context "apps/nope" is not a folder.'],
    ])('rejects %j naming the option and the fix', (options, message) => {
      addProjectConfiguration(tree, 'api', { root: 'apps/api' });
      tree.write('apps/api/Dockerfile.x', 'FROM x\n');
      expect(() => normalizeOptimizeOptions(tree, { project: 'api', ...options })).toThrow(message);
    });

    it('asks which Dockerfile when there are several', () => {
      addProjectConfiguration(tree, 'api', { root: 'apps/api' });
      tree.write('apps/api/Dockerfile', 'FROM x\n');
      tree.write('apps/api/Dockerfile.prod', 'FROM x\n');
      expect(() => normalizeOptimizeOptions(tree, { project: 'api' })).toThrow('has several Dockerfiles (apps/api/Dockerfile, apps/api/Dockerfile.prod). Pass --dockerfile');
    });
  });
});
