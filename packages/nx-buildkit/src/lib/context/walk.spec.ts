import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compilePatterns, parseIgnoreFile } from './dockerignore';
import { encodeName } from './name-bytes';
import { compareBytes, ContextError, digestEntries, listContextFiles, readSmallFile, walkContext } from './walk';

// The module object context.ts calls into (a namespace import would be a copy that spies cannot patch).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs: typeof import('node:fs') = require('node:fs');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nxb-context-'));
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes files (and their folders) under the temp dir. */
function files(tree: Record<string, string>): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const walk = (ignore: string) => walkContext(dir, compilePatterns(parseIgnoreFile(ignore)));

describe('listContextFiles', () => {
  it('lists files as POSIX paths in byte order, without directories', async () => {
    files({ 'a.txt': '', 'B.txt': '', '_x.txt': '', 'a/b': '', 'a-b/x': '', 'src/z/deep.ts': '', Dockerfile: '' });
    mkdirSync(join(dir, 'empty'));
    // byte order: "B" < "D" < "_" < "a", and "a-b/x" < "a/b" because "-" < "/"
    expect(await listContextFiles({ context: dir })).toEqual(['B.txt', 'Dockerfile', '_x.txt', 'a-b/x', 'a.txt', 'a/b', 'src/z/deep.ts']);
  });

  it('resolves a relative context against root', async () => {
    files({ 'ctx/one.txt': '' });
    expect(await listContextFiles({ context: 'ctx', root: dir })).toEqual(['one.txt']);
  });

  it('lists symlinks without following them', async () => {
    files({ 'src/index.ts': 'x' });
    symlinkSync('src', join(dir, 'to-dir'));
    symlinkSync('src/index.ts', join(dir, 'to-file'));
    symlinkSync('does-not-exist', join(dir, 'dangling'));
    expect(await listContextFiles({ context: dir })).toEqual(['dangling', 'src/index.ts', 'to-dir', 'to-file']);
  });

  it('applies the context .dockerignore', async () => {
    files({ '.dockerignore': 'node_modules\n*.log\n', 'app.log': '', 'node_modules/pkg/index.js': '', 'src/a.log': '', 'src/a.ts': '' });
    expect(await listContextFiles({ context: dir })).toEqual(['.dockerignore', 'src/a.log', 'src/a.ts']);
  });

  it('uses <Dockerfile>.dockerignore beside the Dockerfile instead of the context .dockerignore', async () => {
    files({
      '.dockerignore': 'node_modules\n',
      'docker/api.Dockerfile': 'FROM scratch',
      'docker/api.Dockerfile.dockerignore': '*.txt\ndocker\n',
      'node_modules/pkg.js': '',
      'notes.txt': '',
    });
    expect(await listContextFiles({ context: dir, dockerfile: join(dir, 'docker/api.Dockerfile') })).toEqual(['.dockerignore', 'node_modules/pkg.js']);
    // another Dockerfile of the same context still gets the context's .dockerignore
    expect(await listContextFiles({ context: dir, dockerfile: 'docker/web.Dockerfile', root: dir })).toEqual([
      '.dockerignore',
      'docker/api.Dockerfile',
      'docker/api.Dockerfile.dockerignore',
      'notes.txt',
    ]);
  });

  it('throws ContextError when the context is missing or is a file', async () => {
    await expect(listContextFiles({ context: 'missing', root: dir })).rejects.toThrow(ContextError);
    files({ 'file.txt': '' });
    await expect(listContextFiles({ context: join(dir, 'file.txt') })).rejects.toThrow(/is not a directory/);
  });

  it('throws ContextError naming the ignore file when a pattern is invalid', async () => {
    files({ '.dockerignore': 'ok\n[unclosed\n' });
    const error = await listContextFiles({ context: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextError);
    expect((error as Error).message).toContain(join(dir, '.dockerignore'));
    expect((error as Error).message).toContain('[unclosed');
  });
});

describe('walkContext', () => {
  it('returns files, directories and symlinks with type, permission bits and size', () => {
    files({ 'bin/run.sh': 'echo hi\n' });
    chmodSync(join(dir, 'bin/run.sh'), 0o755);
    symlinkSync('bin/run.sh', join(dir, 'run'));
    const entries = walk('');
    expect(entries.map(({ path, type }) => ({ path, type }))).toEqual([
      { path: 'bin', type: 'dir' },
      { path: 'bin/run.sh', type: 'file' },
      { path: 'run', type: 'symlink' },
    ]);
    expect(entries[1]).toMatchObject({ mode: 0o755, size: 8 });
  });

  it('keeps an un-excluded directory under a "foo/**" pattern but not its content', () => {
    files({ 'foo/a.txt': '', 'foo/sub/b.txt': '', 'keep.txt': '' });
    expect(walk('foo/**').map((e) => e.path)).toEqual(['foo', 'keep.txt']);
  });

  it('does not descend an excluded directory when no exception can match inside it', () => {
    files({ 'build/out.js': '', 'build/deep/x.js': '', 'docs/README.md': '', 'docs/other.md': '' });
    const read = jest.spyOn(nodeFs, 'readdirSync');
    expect(walk('build\ndocs\n!docs/README.md').map((e) => e.path)).toEqual(['docs/README.md']);
    const readDirs = read.mock.calls.map(([p]) => String(p));
    expect(readDirs).toContain(join(dir, 'docs'));
    expect(readDirs).not.toContain(join(dir, 'build'));
  });

  it('descends every excluded directory when an exception has glob characters', () => {
    files({ 'build/out.js': '', 'build/README.md': '', 'vendor/lib/README.md': '', 'vendor/lib/x.js': '' });
    expect(walk('build\nvendor\n!**/README.md').map((e) => e.path)).toEqual(['build/README.md', 'vendor/lib/README.md']);
  });

  /** readdirSync failing with EACCES for one folder (the tests run as root, which chmod cannot lock out). */
  function unreadable(path: string): void {
    const real = nodeFs.readdirSync;
    jest.spyOn(nodeFs, 'readdirSync').mockImplementation(((target: string, ...rest: unknown[]) => {
      if (String(target) === join(dir, path)) throw Object.assign(new Error(`EACCES: permission denied, scandir '${target}'`), { code: 'EACCES' });
      return (real as (...args: unknown[]) => unknown)(target, ...rest);
    }) as typeof nodeFs.readdirSync);
  }

  // fsutil TestWalkerPermissionDenied: an excluded folder that cannot be read is skipped; docker build works there.
  it('skips an excluded folder it cannot read while looking for re-included files', () => {
    files({ 'foo/bar/baz': '', 'foo/other': '', 'keep.txt': '' });
    unreadable('foo/bar');
    expect(walk('**/bar\n!foo/bar/baz').map((e) => e.path)).toEqual(['foo', 'foo/other', 'keep.txt']);
  });

  it('still fails on a folder it cannot read that the context sends', () => {
    files({ 'foo/bar/baz': '', 'keep.txt': '' });
    unreadable('foo/bar');
    expect(() => walk('')).toThrow(/EACCES/);
  });

  it('re-includes a literal exception two levels below the excluded directory', () => {
    files({ 'a/b/c': '', 'a/b/d': '', 'a/e': '' });
    expect(walk('a\n!a/b/c').map((e) => e.path)).toEqual(['a/b/c']);
  });
});

describe('compareBytes', () => {
  it('orders by UTF-8 bytes, not by locale', () => {
    expect(['b', 'a', 'B', 'é', 'z'].sort(compareBytes)).toEqual(['B', 'a', 'b', 'z', 'é']);
  });

  it('agrees with the order of the encoded bytes for every kind of name: ASCII, BMP, beyond U+FFFF, bytes that were not UTF-8', () => {
    const names = ['a', 'a/b', 'a-b', 'Z', '\u00e9', '\uffff', '\ue000x', '\u{1f600}', '\u{1f600}a', 'x\udcff', 'x\udc80', 'x', '', '\u07ff', '\u0800'];
    const byBytes = [...names].sort((a, b) => Buffer.compare(encodeName(a), encodeName(b)));
    expect([...names].sort(compareBytes)).toEqual(byBytes);
    expect([...names].reverse().sort(compareBytes)).toEqual(byBytes);
  });
});

describe('digestEntries', () => {
  it('gives sha256 of file bytes and of symlink targets, and "" for directories', async () => {
    files({ 'dir/file.txt': 'hello' });
    symlinkSync('dir/file.txt', join(dir, 'link'));
    const entries = walk('');
    expect(entries.map((e) => e.path)).toEqual(['dir', 'dir/file.txt', 'link']);
    expect(await digestEntries(dir, entries)).toEqual(['', sha256('hello'), sha256('dir/file.txt')]);
  });

  it('hashes a large file (streamed) the same as reading it whole', async () => {
    const big = Buffer.alloc((1 << 20) + 12345, 'abc');
    writeFileSync(join(dir, 'big.bin'), big);
    expect(await digestEntries(dir, walk(''))).toEqual([sha256(big)]);
  });

  it('depends on content, not on mtime', async () => {
    files({ 'a.txt': 'one', 'b.txt': 'two' });
    const before = await digestEntries(dir, walk(''));
    utimesSync(join(dir, 'a.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(await digestEntries(dir, walk(''))).toEqual(before);
    writeFileSync(join(dir, 'a.txt'), 'changed');
    const after = await digestEntries(dir, walk(''));
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  it('hashes what a file holds when it is read, even if it changed size after the walk', async () => {
    files({ 'grew.txt': 'ab', 'shrank.txt': 'abcdefgh', 'empty.txt': '' });
    const entries = walk('');
    writeFileSync(join(dir, 'grew.txt'), 'x'.repeat(5000));
    writeFileSync(join(dir, 'shrank.txt'), 'a');
    expect(await digestEntries(dir, entries)).toEqual([sha256(''), sha256('x'.repeat(5000)), sha256('a')]);
  });

  it("takes each regular file's identity from the walk, so a digest cache is asked with what lstat saw", async () => {
    files({ 'a.txt': 'one' });
    symlinkSync('a.txt', join(dir, 'link'));
    const entries = walk('');
    expect(entries.map((e) => [e.path, e.identity === undefined])).toEqual([['a.txt', false], ['link', true]]);
    const asked: unknown[] = [];
    const cache = { lookup: (_path: string, identity: unknown) => (asked.push(identity), undefined), remember: () => undefined, save: () => undefined };
    await digestEntries(dir, entries, 1, cache);
    expect(asked).toEqual([entries[0].identity]);
  });

  it('keeps the order of entries with low concurrency', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 20; i++) tree[`f${String(i).padStart(2, '0')}`] = `content ${i}`;
    files(tree);
    const entries = walk('');
    expect(await digestEntries(dir, entries, 3)).toEqual(entries.map((e) => sha256(tree[e.path])));
  });

  it('gives the same digests, and remembers them, when the files are many enough to be read in workers', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 250; i++) tree[`many/f${String(i).padStart(3, '0')}.txt`] = `content ${i}`.repeat(i % 7);
    files(tree);
    const entries = walk('').filter((e) => e.path.startsWith('many/') && e.type === 'file');
    const remembered: string[] = [];
    const cache = { lookup: () => undefined, remember: (path: string) => void remembered.push(path), save: () => undefined };
    expect(await digestEntries(dir, entries, 32, cache)).toEqual(entries.map((e) => sha256(tree[e.path])));
    expect(remembered).toHaveLength(250);
  });
});

describe('readSmallFile', () => {
  it('reads a file whole whether the expected size is right, too small or too large', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nxb-read-')), 'f');
    writeFileSync(path, 'hello world');
    for (const expected of [11, 0, 3, 100]) expect((await readSmallFile(path, expected)).toString()).toBe('hello world');
    rmSync(dirname(path), { recursive: true });
  });

  it('reads into a given buffer when the file fits, and past it when the file grew beyond it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'nxb-read-')), 'f');
    const into = Buffer.alloc(8);
    writeFileSync(path, 'abc');
    const small = await readSmallFile(path, 3, into);
    expect([small.toString(), small.buffer === into.buffer]).toEqual(['abc', true]);
    writeFileSync(path, 'a longer content than the buffer holds');
    expect((await readSmallFile(path, 3, into)).toString()).toBe('a longer content than the buffer holds');
    rmSync(dirname(path), { recursive: true });
  });

  it('rejects with the open error of a missing file', async () => {
    await expect(readSmallFile(join(tmpdir(), 'nxb-no-such-file-here'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
