import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readVersionFile, versionFilePathOf, writeVersionFile } from './version-file';

describe('the release version file', () => {
  it('sits beside the build records, under the recordDir the build targets set', () => {
    expect(versionFilePathOf('@acme/api', { 'docker-build': { options: {} } })).toBe('dist/docker/@acme__api/release-version.json');
    expect(versionFilePathOf('api', { 'docker-build': { options: { recordDir: 'out/images' } } })).toBe('out/images/api/release-version.json');
  });

  it('is written through the Tree (so a dry run writes nothing) and read back from disk', () => {
    const tree = createTreeWithEmptyWorkspace();
    writeVersionFile(tree, 'dist/docker/api/release-version.json', { project: 'api', version: '2612.01.3a95d8c' });
    const root = mkdtempSync(join(tmpdir(), 'nxb-version-'));
    try {
      const path = 'dist/docker/api/release-version.json';
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), tree.read(path, 'utf-8') as string);
      expect(readVersionFile(root, path, 'api')).toBe('2612.01.3a95d8c');
      expect(() => readVersionFile(root, path, 'web')).toThrow('"dist/docker/api/release-version.json" holds no release version for project "web". Run "nx release version" again.');
      expect(() => readVersionFile(root, 'dist/docker/web/release-version.json', 'web')).toThrow(
        'No release version for project "web": "dist/docker/web/release-version.json" is missing. Run "nx release version" first, or "nx release" to version and publish in one go.',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
