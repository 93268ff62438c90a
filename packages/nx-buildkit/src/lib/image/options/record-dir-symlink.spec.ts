import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realPathOfNearestAncestor } from '../../real-path';
import { normalizeOptions } from './normalize-options';

describe('recordDir through symlinks', () => {
  let base: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'nxb-recorddir-'));
    root = join(base, 'ws');
    outside = join(base, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));
  const normalize = (recordDir: string, workspaceRoot = root) =>
    normalizeOptions({ context: '.', dockerfile: 'Dockerfile', recordDir }, { workspaceRoot, projectRoot: '.', projectName: 'api', targetName: 'docker-build' }, {});

  it('refuses a recordDir that is a symlink out of the workspace, or lies under one', () => {
    symlinkSync(outside, join(root, 'out'));
    expect(() => normalize('out')).toThrow(`"recordDir" "out" in the "docker-build" options of project "api" leads outside the workspace through a symlink (to ${outside}).`);
    expect(() => normalize('out/not/made/yet')).toThrow(`(to ${join(outside, 'not/made/yet')})`);
  });

  it('takes a symlink that stays inside, and a workspace reached through a symlink', () => {
    mkdirSync(join(root, 'real-records'));
    symlinkSync(join(root, 'real-records'), join(root, 'records'));
    expect(normalize('records').recordDir).toBe(join(root, 'records'));
    symlinkSync(root, join(base, 'ws-link'));
    expect(normalize('dist/docker', join(base, 'ws-link')).recordDir).toBe(join(base, 'ws-link/dist/docker'));
  });

  it('still refuses a plain path outside', () => {
    expect(() => normalize('../outside')).toThrow('is outside the workspace');
  });
});

describe('realPathOfNearestAncestor', () => {
  it('resolves the part that exists and appends the rest', () => {
    const links: Record<string, string> = { '/a/link': '/elsewhere' };
    const realpath = (path: string) => {
      if (links[path]) return links[path];
      if (path === '/' || path === '/a') return path;
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(realPathOfNearestAncestor('/a/link', realpath)).toBe('/elsewhere');
    expect(realPathOfNearestAncestor('/a/link/x/y', (p) => (p === '/a/link' ? '/elsewhere' : realpath(p)))).toBe('/elsewhere/x/y');
    expect(realPathOfNearestAncestor('/a/new/dir', realpath)).toBe('/a/new/dir');
  });
});
