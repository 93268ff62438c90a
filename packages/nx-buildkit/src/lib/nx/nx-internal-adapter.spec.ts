import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNxInference, loadNxInternals, openPersistentCache } from './nx-internal-adapter';

const load = (id: string) => require(id) as Record<string, unknown>;

describe('loadNxInternals', () => {
  it('takes everything from @nx/devkit/internal where Nx provides it there (Nx 23 and 24)', () => {
    const internals = loadNxInternals(load);
    expect(internals.source).toBe('@nx/devkit/internal');
    expect(internals.PluginCache).toBeDefined();
    expect(internals.getLockFileName('pnpm')).toBe('pnpm-lock.yaml');
  });

  // Nx 24 still ships the modules Nx 21 and 22 export these from, so the module names of that path are checked here
  // too; the e2e core flow runs it on real Nx 21 and 22 workspaces.
  it("finds the same functions in nx's own modules, the path Nx 21 and 22 need", () => {
    const internals = loadNxInternals(load, 'nx/src');
    expect(internals.source).toBe('nx/src');
    expect(internals.getLockFileName('npm')).toBe('package-lock.json');
    expect(typeof internals.createLockFile).toBe('function');
    expect(typeof internals.createPackageJson).toBe('function');
    expect(typeof internals.addPlugin).toBe('function');
    expect(typeof internals.findMatchingProjects).toBe('function');
    expect(typeof internals.workspaceDataDirectory).toBe('string');
  });

  it('chooses the nx/src path when @nx/devkit/internal lacks them, as on Nx 21 (no PluginCache there)', () => {
    const nx21 = (id: string) => (id === '@nx/devkit/internal' ? { signalToCode: () => 0 } : load(id));
    const internals = loadNxInternals(nx21);
    expect(internals.source).toBe('nx/src');
    expect(internals.PluginCache).toBeUndefined();
  });

  it('names what is missing when an Nx moved a function again', () => {
    const moved = (id: string) => (id === '@nx/devkit/internal' ? {} : id.endsWith('git-utils') ? {} : load(id));
    expect(() => loadNxInternals(moved)).toThrow('nx-buildkit could not find getLatestCommitSha in this Nx (looked in nx/src): report this with your nx and @nx/devkit versions.');
  });
});

describe('loadNxInference', () => {
  const noDevkitInternals = () => {
    throw new Error('@nx/devkit/internal was loaded');
  };

  it("takes what inference needs from Nx's own modules, which Nx's plugin worker has loaded, never from @nx/devkit", () => {
    const loaded: string[] = [];
    const inference = loadNxInference((id) => (loaded.push(id), load(id)), noDevkitInternals);
    expect(loaded.filter((id) => id.startsWith('@nx/devkit'))).toEqual([]);
    expect(inference.logger).toBe(require('@nx/devkit').logger);
    expect(inference.createNodesFromFiles).toBe(require('@nx/devkit').createNodesFromFiles);
    expect(inference.parseJson('{ "a": 1, // Nx allows comments\n }')).toEqual({ a: 1 });
    expect(inference.workspaceDataDirectory).toBe(loadNxInternals(load).workspaceDataDirectory);
    expect(inference.PluginCache).toBe(loadNxInternals(load).PluginCache);
  });

  it('falls back to @nx/devkit, and to @nx/devkit/internal for the cache, where an Nx keeps them elsewhere', () => {
    const elsewhere = (id: string) => (id.startsWith('nx/src/') ? {} : load(id));
    class DevkitPluginCache {}
    const inference = loadNxInference(elsewhere, () => ({ workspaceDataDirectory: '/ws/.nx/workspace-data', PluginCache: DevkitPluginCache as never }));
    expect(inference.logger).toBe(require('@nx/devkit').logger);
    expect(inference.createNodesFromFiles).toBe(require('@nx/devkit').createNodesFromFiles);
    expect(inference.workspaceDataDirectory).toBe('/ws/.nx/workspace-data');
    expect(inference.PluginCache).toBe(DevkitPluginCache);
  });
});

describe('openPersistentCache without PluginCache (Nx 21)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nxb-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps entries across opens in one JSON file, and treats an unreadable file as empty', () => {
    jest.isolateModules(() => {
      jest.doMock('@nx/devkit/internal', () => ({ signalToCode: () => 0 }));
      jest.doMock('nx/src/utils/plugin-cache-utils', () => ({}));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const adapter = require('./nx-internal-adapter') as typeof import('./nx-internal-adapter');
      const file = join(dir, 'targets.json');
      const first = adapter.openPersistentCache<{ n: number }>(file);
      first.set('a', { n: 1 });
      first.save();
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: { n: 1 } });
      expect(adapter.openPersistentCache<{ n: number }>(file).get('a')).toEqual({ n: 1 });
      require('node:fs').writeFileSync(file, '{not json');
      expect(adapter.openPersistentCache<{ n: number }>(file).get('a')).toBeUndefined();
      jest.dontMock('@nx/devkit/internal');
      jest.dontMock('nx/src/utils/plugin-cache-utils');
    });
  });

  it("gives Nx 22's PluginCache.writeToDisk the path it needs (23 and later take none)", () => {
    const written: unknown[] = [];
    jest.isolateModules(() => {
      class Nx22PluginCache {
        get() {
          return undefined;
        }
        set() {
          return undefined;
        }
        writeToDisk(cachePath?: string) {
          if (typeof cachePath !== 'string') throw new TypeError('The "path" argument must be of type string. Received undefined');
          written.push(cachePath);
        }
      }
      jest.doMock('@nx/devkit/internal', () => ({ signalToCode: () => 0, PluginCache: Nx22PluginCache }));
      jest.doMock('nx/src/utils/plugin-cache-utils', () => ({}));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const adapter = require('./nx-internal-adapter') as typeof import('./nx-internal-adapter');
      adapter.openPersistentCache<number>(join(dir, 'nx22.json')).save();
      jest.dontMock('@nx/devkit/internal');
      jest.dontMock('nx/src/utils/plugin-cache-utils');
    });
    expect(written).toEqual([join(dir, 'nx22.json')]);
  });

  it('uses Nx’s PluginCache where there is one', () => {
    const cache = openPersistentCache<number>(join(dir, 'c.json'));
    cache.set('x', 2);
    cache.save();
    expect(openPersistentCache<number>(join(dir, 'c.json')).get('x')).toBe(2);
  });
});
