import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseIdentityResolver } from './base-identity';
import { computeBuildInputs } from './build-inputs';
import { describeExcludedSources, describeMissingSources } from '../plan';

describe('computeBuildInputs: sources that match nothing', () => {
  let dir: string;
  const write = (path: string, content: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const inputs = (buildArgs: Record<string, string> = {}) =>
    computeBuildInputs({ dockerfile: join(dir, 'Dockerfile'), context: dir, buildArgs, platforms: [], pull: false, baseIdentities: {} as BaseIdentityResolver });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nxb-missing-'));
    write('Dockerfile', 'FROM scratch\nARG BIN=server\nCOPY src/ /app/src/\nCOPY artifacts/$BIN /app/bin\nCOPY link /app/link\nCOPY optional* /app/\n');
    write('src/a.js', 'a\n');
    symlinkSync('nowhere', join(dir, 'link'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists a literal source missing from the disk with the build args applied; a dangling link and a wildcard are not missing', async () => {
    expect((await inputs()).missingSources.map((read) => [read.path, read.line])).toEqual([['artifacts/server', 3]]);
    expect((await inputs({ BIN: 'worker' })).missingSources.map((read) => read.path)).toEqual(['artifacts/worker']);
    write('artifacts/server', 'bin');
    expect((await inputs()).missingSources).toEqual([]);
  });

  it('is said in one line naming the context, each source and its line', async () => {
    const { missingSources } = await inputs();
    expect(describeMissingSources({ projectName: 'api', workspaceRoot: join(dir, '..'), context: dir }, [...missingSources, { ...missingSources[0], raw: './meta', path: 'meta', line: 6 }])).toBe(
      `api: not in the context ${dir.split('/').pop()}: COPY artifacts/$BIN (line 4), COPY ./meta (line 7); a build that reaches them fails with "not found" (make them before the build, or correct the path).`,
    );
  });

  it('lists a source on disk that the ignore file keeps out (a root .dockerignore excluding dist), and says which file and the fix', async () => {
    write('Dockerfile', 'FROM scratch\nCOPY dist/apps/api .\nCOPY src/ /app/src/\n');
    write('dist/apps/api/main.js', 'main\n');
    expect((await inputs()).excludedSources).toEqual({ reads: [], ignoreFile: undefined });
    write('.dockerignore', 'node_modules\ndist\n');
    const { excludedSources, missingSources } = await inputs();
    expect(missingSources).toEqual([]);
    expect(excludedSources.ignoreFile).toBe('.dockerignore');
    expect(excludedSources.reads.map((read) => [read.path, read.line])).toEqual([['dist/apps/api', 1]]);
    expect(describeExcludedSources({ projectName: 'api', workspaceRoot: dir, dockerfile: join(dir, 'apps/api/Dockerfile') }, excludedSources.reads, '.dockerignore')).toBe(
      'api: COPY dist/apps/api (line 2) is on disk but kept out of the context by .dockerignore, where BuildKit cannot see it: a build that reaches it fails (remove the pattern that excludes it, or give apps/api/Dockerfile an ignore file of its own, Dockerfile.dockerignore beside it).',
    );
    // A re-include sends it again.
    write('.dockerignore', 'dist\n!dist/apps/api\n');
    expect((await inputs()).excludedSources.reads).toEqual([]);
  });
});
