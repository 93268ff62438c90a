import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSync } from './support/processes';
import { findHermeticityProblems, FixtureTree, resolvingInstall } from './support/hermetic-fixtures';
import { REPO_ROOT } from './support/workspace';

/** An in-memory repository: path → content. */
function treeOf(files: Record<string, string>): FixtureTree {
  return { files: Object.keys(files), read: (path) => files[path] };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('hermetic fixtures: nothing the suite installs is resolved at test time', () => {
  it('every committed fixture with dependencies has a lockfile that matches it, and no test resolves versions', () => {
    const files = runSync('git', ['ls-files'], REPO_ROOT).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const problems = findHermeticityProblems({ files, read: (path) => readFileSync(join(REPO_ROOT, path), 'utf8') });
    expect(problems.map((p) => `${p.file} ${p.problem}`)).toEqual([]);
  });

  it('fails on a planted fixture without a lockfile, naming the file', () => {
    const problems = findHermeticityProblems(
      treeOf({
        'e2e/nx-buildkit-e2e/fixtures/npm/planted/package.json': json({ name: 'planted', dependencies: { vite: '^8.0.0' } }),
        'e2e/nx-buildkit-e2e/fixtures/npm/no-deps/package.json': json({ name: 'no-deps' }),
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].file).toBe('e2e/nx-buildkit-e2e/fixtures/npm/planted/package.json');
    expect(problems[0].problem).toContain('no committed lockfile');
  });

  it('accepts a workspace member locked at its workspace root, and finds a member the lockfile does not match', () => {
    const root = 'bench/fixtures/mono';
    const lock = {
      lockfileVersion: 3,
      packages: { '': { name: 'mono', workspaces: ['apps/*'] }, 'apps/a': { name: 'a', dependencies: { ms: '2.1.3' } }, 'apps/b': { name: 'b', dependencies: { ms: '2.1.2' } } },
    };
    const problems = findHermeticityProblems(
      treeOf({
        [`${root}/package.json`]: json({ name: 'mono', workspaces: ['apps/*'] }),
        [`${root}/package-lock.json`]: json(lock),
        [`${root}/apps/a/package.json`]: json({ name: 'a', dependencies: { ms: '2.1.3' } }),
        [`${root}/apps/b/package.json`]: json({ name: 'b', dependencies: { ms: '2.1.3' } }),
      }),
    );
    expect(problems).toEqual([{ file: `${root}/apps/b/package.json`, problem: expect.stringContaining('dependencies.ms is 2.1.3 but') }]);
  });

  it('exempts a corpus case that is linted and never built, but not one that is built', () => {
    const corpus = 'packages/nx-buildkit/test/dockerfile-corpus';
    const problems = findHermeticityProblems(
      treeOf({
        [`${corpus}/no-lock/package.json`]: json({ dependencies: { ms: '2.1.3' } }),
        [`${corpus}/no-lock/expected.json`]: json({ equivalence: { build: false, reason: 'about a missing lockfile' } }),
        [`${corpus}/built/package.json`]: json({ dependencies: { ms: '2.1.3' } }),
        [`${corpus}/built/expected.json`]: json({ equivalence: { build: true } }),
      }),
    );
    expect(problems.map((p) => p.file)).toEqual([`${corpus}/built/package.json`]);
  });

  it('flags test code that resolves versions, and lets frozen installs through', () => {
    const problems = findHermeticityProblems(
      treeOf({
        'e2e/nx-buildkit-e2e/src/planted.spec.ts': "await runOk('npm', ['install', '--package-lock-only'], { cwd });\nawait runOk('npm', ['ci']);\n",
      }),
    );
    expect(problems).toEqual([{ file: 'e2e/nx-buildkit-e2e/src/planted.spec.ts:1', problem: expect.stringContaining('npm install --package-lock-only') }]);
    expect(resolvingInstall("run('pnpm', ['install', '--frozen-lockfile'])")).toBeUndefined();
    expect(resolvingInstall("run('yarn', ['install', '--immutable'])")).toBeUndefined();
    expect(resolvingInstall("run('npm', ['install', '--no-audit'])")).toBe('npm install');
    expect(resolvingInstall("sh('yarn', ['add', 'left-pad'])")).toBe('yarn add');
  });
});
