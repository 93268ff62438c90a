import type { ProjectGraph } from '@nx/devkit';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prunedDepsUpToDate, pruneInputsKey } from './derive-once';

/** --explain asks whether the pruned folder is current without writing anything (image-build.ts derives a temp one if not). */
describe('prunedDepsUpToDate', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nxb-prune-current-'));
    writeFileSync(join(root, 'package.json'), '{"workspaces":["apps/*"]}');
    mkdirSync(join(root, 'apps/a'), { recursive: true });
    writeFileSync(join(root, 'apps/a/package.json'), '{"name":"a"}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const graph = { nodes: { a: { name: 'a', type: 'app', data: { root: 'apps/a' } } }, dependencies: { a: [] } } as unknown as ProjectGraph;
  const outDir = () => join(root, 'dist/docker/a/docker-build.deps');
  const request = () => ({ workspaceRoot: root, projectName: 'a', graph, outDir: outDir() });
  const currentKey = () => pruneInputsKey(root, ['apps/a'], 'a', { a: [] }, (path) => {
    try {
      return readFileSync(path);
    } catch {
      return undefined;
    }
  });

  it('is current only with the folder and the key of what pruning reads now; reads, never writes', () => {
    expect(prunedDepsUpToDate(request())).toBe(false);
    mkdirSync(outDir(), { recursive: true });
    expect(prunedDepsUpToDate(request())).toBe(false);
    writeFileSync(`${outDir()}.key`, currentKey());
    expect(prunedDepsUpToDate(request())).toBe(true);
    writeFileSync(join(root, 'apps/a/package.json'), '{"name":"a","dependencies":{"x":"1"}}');
    expect(prunedDepsUpToDate(request())).toBe(false);
    expect(readdirSync(join(root, 'dist/docker/a')).sort()).toEqual(['docker-build.deps', 'docker-build.deps.key']);
    expect(readdirSync(outDir())).toEqual([]);
  });

  it('a corrupt key is reported in one line and counts as stale', () => {
    mkdirSync(outDir(), { recursive: true });
    writeFileSync(`${outDir()}.key`, '{"not":"a key"}');
    const lines: string[] = [];
    expect(prunedDepsUpToDate(request(), (line) => lines.push(line))).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/docker-build\.deps\.key \(not a sha256 key\); the pruned dependencies are derived again\.$/)]);
  });
});
