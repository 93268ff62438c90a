import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withoutNewEmptyFolders } from './no-new-folders';

describe('withoutNewEmptyFolders', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'nxb-folders-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('removes the empty folders the work created on the way to the folder, and returns its result', async () => {
    const folder = join(root, 'dist/docker/api');
    expect(await withoutNewEmptyFolders(folder, async () => (mkdirSync(folder, { recursive: true }), 42))).toBe(42);
    expect(existsSync(join(root, 'dist'))).toBe(false);
    expect(existsSync(root)).toBe(true);
  });

  it('keeps folders that existed before, and new ones that now hold files', async () => {
    mkdirSync(join(root, 'dist'));
    const folder = join(root, 'dist/docker/api');
    await withoutNewEmptyFolders(folder, async () => {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(root, 'dist/docker/report.html'), '');
    });
    expect(existsSync(folder)).toBe(false);
    expect(existsSync(join(root, 'dist/docker/report.html'))).toBe(true);
  });

  it('cleans up when the work fails', async () => {
    const folder = join(root, 'dist/docker/api');
    await expect(withoutNewEmptyFolders(folder, async () => (mkdirSync(folder, { recursive: true }), Promise.reject(new Error('engine down'))))).rejects.toThrow('engine down');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });
});
