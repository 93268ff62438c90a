import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuildContext, diskContextFiles, isSent, sendsFile } from './build-context';
import { memoryContextFiles } from '../../../test/memory-context-files';

describe('createBuildContext', () => {
  it('sends everything without an ignore file', () => {
    const context = createBuildContext(memoryContextFiles({ 'src/a.js': '' }), { text: '' });
    expect(context.ignoreFilePath).toBeUndefined();
    expect(isSent(context, 'src/a.js')).toBe(true);
  });

  it('applies Docker ignore semantics, re-inclusion included', () => {
    const context = createBuildContext(memoryContextFiles({ 'docs/a.md': '', 'docs/keep.md': '', 'src/a.js': '' }), { path: '.dockerignore', text: 'docs\n!docs/keep.md\n' });
    expect(isSent(context, 'docs/a.md')).toBe(false);
    expect(isSent(context, 'docs/keep.md')).toBe(true);
    // The folder itself is excluded, yet BuildKit walks into it for the re-included file.
    expect(isSent(context, 'docs')).toBe(true);
    expect(sendsFile(context, 'src/a.js')).toBe(true);
    expect(sendsFile(context, 'src')).toBe(false);
    expect(sendsFile(context, 'missing.js')).toBe(false);
  });

  it('keeps the error of a pattern Docker rejects instead of throwing', () => {
    const context = createBuildContext(memoryContextFiles({}), { path: '.dockerignore', text: 'src/[abc\n' });
    expect(context.ignoreError).toContain('unclosed "["');
    expect(context.ignorePatterns).toEqual([]);
  });
});

describe('memoryContextFiles', () => {
  it('implies folders from paths and lists a folder', () => {
    const files = memoryContextFiles({ 'a/b/c.txt': 'x', 'a/d.txt': 'y', 'empty/': '' });
    expect(files.isDirectory('a/b')).toBe(true);
    expect(files.isDirectory('a/d.txt')).toBe(false);
    expect(files.readText('./a/d.txt')).toBe('y');
    expect(files.readText('a')).toBeUndefined();
    expect(files.list('a')).toEqual(['b', 'd.txt']);
    expect(files.list('.')).toEqual(['a', 'empty']);
    expect(files.exists('empty')).toBe(true);
    expect(files.list('nope')).toBeUndefined();
  });
});

describe('diskContextFiles', () => {
  it('reads a folder on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'nxb-ctx-'));
    try {
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'src/a.js'), 'code');
      const files = diskContextFiles(root);
      expect(files.exists('src/a.js')).toBe(true);
      expect(files.isDirectory('src')).toBe(true);
      expect(files.isDirectory('src/a.js')).toBe(false);
      expect(files.readText('src/a.js')).toBe('code');
      expect(files.readText('src')).toBeUndefined();
      expect(files.list('.')).toEqual(['src']);
      expect(files.list('src/a.js')).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
