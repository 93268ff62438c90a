import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityKey, openDigestCache, settledBeforeRead } from './digest-cache';
import { digestEntries } from './walk';

const D1 = 'd1'.repeat(32);
const identity = (mtimeMs: number, size = 3n) => ({ ino: 7n, size, mtimeNs: BigInt(mtimeMs) * 1_000_000n, ctimeNs: BigInt(mtimeMs) * 1_000_000n });

describe('openDigestCache', () => {
  it('answers for a file whose stat is unchanged, and not once it changed', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nxb-digests-')), 'cache.json');
    const first = openDigestCache(file);
    first.remember('/ws/a.txt', identity(1_000), D1, 10_000);
    first.save();
    const second = openDigestCache(file);
    expect(second.lookup('/ws/a.txt', identity(1_000))).toBe(D1);
    expect(second.lookup('/ws/a.txt', identity(1_001))).toBeUndefined();
    expect(second.lookup('/ws/a.txt', identity(1_000, 4n))).toBeUndefined();
    expect(second.lookup('/ws/b.txt', identity(1_000))).toBeUndefined();
  });

  it('does not remember a file changed just before it was read (a same-tick write would leave its stat as it is)', () => {
    expect(settledBeforeRead(BigInt(9_000) * 1_000_000n, 10_000)).toBe(false);
    expect(settledBeforeRead(BigInt(7_000) * 1_000_000n, 10_000)).toBe(true);
    const cache = openDigestCache(join(mkdtempSync(join(tmpdir(), 'nxb-digests-')), 'cache.json'));
    cache.remember('/ws/a.txt', identity(9_500), 'd1', 10_000);
    expect(cache.lookup('/ws/a.txt', identity(9_500))).toBeUndefined();
  });

  it('starts empty from a cache file of another format or none, and writes nothing it did not learn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nxb-digests-'));
    writeFileSync(join(dir, 'cache.json'), JSON.stringify({ format: 0, files: { '/ws/a.txt': [identityKey(identity(1_000)), 'old'] } }));
    const cache = openDigestCache(join(dir, 'cache.json'));
    expect(cache.lookup('/ws/a.txt', identity(1_000))).toBeUndefined();
    cache.save();
    expect(JSON.parse(readFileSync(join(dir, 'cache.json'), 'utf8')).format).toBe(0);
  });
});

describe('digestEntries with a digest cache', () => {
  it('hashes content: a file rewritten with other bytes of the same size gets a new digest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nxb-digests-ctx-'));
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'one');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const entry = [{ path: 'a.txt', type: 'file' as const, mode: 0o644, size: 3 }];
    const cache = openDigestCache(join(dir, 'cache.json'));
    const [first] = await digestEntries(dir, entry, 4, cache);
    expect((await digestEntries(dir, entry, 4, cache))[0]).toBe(first);
    writeFileSync(path, 'two');
    utimesSync(path, old, old); // the same mtime: ctime still moves, so the stat differs
    const [second] = await digestEntries(dir, entry, 4, cache);
    expect(second).not.toBe(first);
    expect(second).toBe((await digestEntries(dir, entry, 4))[0]);
  });
});
