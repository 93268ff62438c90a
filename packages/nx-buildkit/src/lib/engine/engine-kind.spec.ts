import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseEngine, isOnPath, onPathOnce } from './engine-kind';

describe('chooseEngine', () => {
  it('takes the engine the options name, whatever is installed', () => {
    expect(chooseEngine('podman', () => true)).toBe('podman');
    expect(chooseEngine('docker', (program) => program === 'podman')).toBe('docker');
  });

  it('prefers docker when both are installed, and picks podman when only podman is', () => {
    expect(chooseEngine(undefined, () => true)).toBe('docker');
    expect(chooseEngine(undefined, (program) => program === 'podman')).toBe('podman');
  });

  it('falls back to docker when neither is installed (its missing CLI is reported before a build)', () => {
    expect(chooseEngine(undefined, () => false)).toBe('docker');
  });
});

describe('isOnPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nxb-path-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an executable file in a PATH folder, not a plain file or a folder of that name', () => {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'podman'), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', 'podman'), 0o755);
    writeFileSync(join(dir, 'bin', 'docker'), 'not executable');
    mkdirSync(join(dir, 'bin', 'buildah'));
    const env = { PATH: `/nonexistent:${join(dir, 'bin')}` };
    expect(isOnPath('podman', env)).toBe(true);
    expect(isOnPath('docker', env)).toBe(false);
    expect(isOnPath('buildah', env)).toBe(false);
    expect(isOnPath('podman', {})).toBe(false);
  });
});

describe('onPathOnce', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nxb-path-once-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers as isOnPath, and the same again without looking (one answer per run); a new lookup looks again', () => {
    const env = { PATH: join(dir, 'bin') };
    const lookup = onPathOnce(env);
    expect(lookup('podman')).toBe(false);
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'podman'), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', 'podman'), 0o755);
    expect(lookup('podman')).toBe(false);
    expect(onPathOnce(env)('podman')).toBe(true);
  });
});
