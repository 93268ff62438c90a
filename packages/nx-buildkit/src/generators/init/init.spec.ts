import { readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './init';

describe('init generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin in nx.json once, however often it runs', async () => {
    await initGenerator(tree, { skipFormat: true });
    await initGenerator(tree, { skipFormat: true });
    const plugins = readNxJson(tree)?.plugins ?? [];
    expect(plugins.filter((p) => (typeof p === 'string' ? p : p.plugin) === 'nx-buildkit')).toHaveLength(1);
  });

  it('keeps a registration with options as it is', async () => {
    const nxJson = readNxJson(tree) ?? {};
    nxJson.plugins = [{ plugin: 'nx-buildkit', options: { targetName: 'image' } }];
    updateNxJson(tree, nxJson);
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'nx-buildkit', options: { targetName: 'image' } }]);
  });

  it('writes a root .dockerignore that keeps secrets, VCS data and dependencies out', async () => {
    await initGenerator(tree, { skipFormat: true });
    const lines = (tree.read('.dockerignore', 'utf-8') ?? '').split('\n');
    for (const pattern of ['**/node_modules', '.git', 'dist', 'tmp', 'coverage', '.nx', '**/.env', '**/.env.*', '**/*.log', '**/__pycache__', '**/.venv', '**/*.pem', '**/*.key']) {
      expect(lines).toContain(pattern);
    }
  });

  it('never replaces an existing .dockerignore', async () => {
    tree.write('.dockerignore', 'mine\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.dockerignore', 'utf-8')).toBe('mine\n');
  });

  it('adds the record folder to .gitignore unless dist is already ignored', async () => {
    tree.write('.gitignore', 'node_modules');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\n\n# nx-buildkit build records\n/dist/docker\n');
    await initGenerator(tree, { skipFormat: true });
    expect((tree.read('.gitignore', 'utf-8') ?? '').match(/dist\/docker/g)).toHaveLength(1);

    const other = createTreeWithEmptyWorkspace();
    other.write('.gitignore', '/dist\n');
    await initGenerator(other, { skipFormat: true });
    expect(other.read('.gitignore', 'utf-8')).toBe('/dist\n');
  });
});
