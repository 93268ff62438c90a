import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCachePath, loadWithCodeCache, writePendingCodeCaches } from './code-cache';

describe('loadWithCodeCache', () => {
  let dir: string;
  let bundle: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nxb-code-cache-'));
    bundle = join(dir, 'entry.bundle.js');
    writeFileSync(join(dir, 'helper.js'), 'module.exports = { twice: (n) => n * 2 };\n');
    // A CommonJS bundle as esbuild writes one: exports.default, a relative require, its own module object.
    writeFileSync(bundle, `"use strict";\nconst helper = require("./helper");\nexports.default = (n) => helper.twice(n);\nexports.loadedAs = typeof module.exports;\n`);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  // In this process the cache is written by write(); a process of its own (below) writes it at exit.
  const load = (path: string) => loadWithCodeCache(path, false);

  it('runs the bundle as require would (its exports, requires from its own folder); after a miss, the cache it writes is used', () => {
    const first = load(bundle);
    expect(first.cache).toBe('missed');
    expect((first.exports as { default: (n: number) => number }).default(21)).toBe(42);
    expect((first.exports as { loadedAs: string }).loadedAs).toBe('object');
    expect(existsSync(codeCachePath(bundle))).toBe(false);
    expect(first.write()).toBe(true);

    const second = load(bundle);
    expect(second.cache).toBe('used');
    expect((second.exports as { default: (n: number) => number }).default(5)).toBe(10);
    // Only the bundle, its helper and the one cache file: no temp file left behind.
    expect(readdirSync(dir).sort()).toEqual([codeCachePath(bundle).slice(dir.length + 1), 'entry.bundle.js', 'helper.js'].sort());
  });

  it('compiles anew and replaces a cache it cannot use: a changed bundle, or bytes that are no cache at all', () => {
    load(bundle).write();
    const before = readFileSync(codeCachePath(bundle));
    writeFileSync(bundle, `"use strict";\nexports.default = () => "changed";\n`);
    const changed = load(bundle);
    expect(changed.cache).toBe('missed');
    expect((changed.exports as { default: () => string }).default()).toBe('changed');
    expect(changed.write()).toBe(true);
    expect(readFileSync(codeCachePath(bundle)).equals(before)).toBe(false);

    writeFileSync(codeCachePath(bundle), 'not a code cache');
    const corrupt = load(bundle);
    expect(corrupt.cache).toBe('missed');
    expect((corrupt.exports as { default: () => string }).default()).toBe('changed');
    corrupt.write();
    expect(load(bundle).cache).toBe('used');
  });

  it('loads without a cache where none can be written, and leaves nothing behind', () => {
    // A folder where the cache file would go: it can be neither read nor replaced (as a read-only install, also as root).
    mkdirSync(codeCachePath(bundle));
    const blocked = load(bundle);
    expect(blocked.cache).toBe('missed');
    expect((blocked.exports as { default: (n: number) => number }).default(1)).toBe(2);
    expect(blocked.write()).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes the cache when the process exits, and never runs the code it was made from for another source of the same length (V8 compares lengths only)', () => {
    // Each load in a process of its own: the cache is written at its exit, and V8 keeps nothing compiled in memory.
    const sameLength = (text: string) => `"use strict";\nexports.default = () => "${text}";\n`;
    writeFileSync(bundle, sameLength('old'));
    const loader = join(dir, 'code-cache.js');
    buildSync({ entryPoints: [require.resolve('./code-cache')], outfile: loader, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
    const loadInChild = () =>
      execFileSync(process.execPath, ['-e', `const l = require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(bundle)}); console.log(l.cache, l.exports.default())`], {
        encoding: 'utf8',
      }).trim();
    expect(loadInChild()).toBe('missed old');
    expect(existsSync(codeCachePath(bundle))).toBe(true);
    expect(loadInChild()).toBe('used old');
    writeFileSync(bundle, sameLength('new'));
    expect(loadInChild()).toBe('missed new');
    expect(loadInChild()).toBe('used new');
  });

  it('writes the caches of the bundles that missed theirs when the executor ends (writePendingCodeCaches), once', () => {
    const missed = loadWithCodeCache(bundle);
    expect(missed.cache).toBe('missed');
    expect(existsSync(codeCachePath(bundle))).toBe(false);
    writePendingCodeCaches();
    expect(existsSync(codeCachePath(bundle))).toBe(true);
    rmSync(codeCachePath(bundle));
    writePendingCodeCaches();
    expect(existsSync(codeCachePath(bundle))).toBe(false);
    expect(loadWithCodeCache(bundle).cache).toBe('missed');
    writePendingCodeCaches();
    expect(loadWithCodeCache(bundle).cache).toBe('used');
  });

  it('names the cache by V8 version and architecture, beside the bundle and hidden', () => {
    expect(codeCachePath('/ws/node_modules/nx-buildkit/src/executors/build/batch.bundle.js', '11.3.244.8-node.38', 'x64')).toBe(
      '/ws/node_modules/nx-buildkit/src/executors/build/.batch.bundle.js.v8-11.3.244.8-node.38-x64.cache',
    );
  });

  it('passes on what the bundle itself throws, as require would', () => {
    writeFileSync(bundle, 'throw new Error("broken bundle");\n');
    expect(() => load(bundle)).toThrow('broken bundle');
  });
});
