import type { ContextRead } from '../dockerfile';
import { describeRead, findExcludedSources, findMissingSources, producedInContext } from './missing-sources';

const read = (path: string | undefined, line = 4, raw = path ?? '$X', instruction: ContextRead['instruction'] = 'COPY'): ContextRead => ({ path, raw, instruction, line, stage: 0 });

describe('findMissingSources', () => {
  const onDisk = new Set(['package.json', 'src', 'src/main.ts']);
  const exists = (path: string) => onDisk.has(path);

  it('lists a literal source that matches nothing, once, at its first read', () => {
    const check = findMissingSources([read('package.json'), read('meta', 5), read('src'), read('meta', 9), read('deps/x.txt', 7, './deps/x.txt', 'ADD')], exists);
    expect(check.missing.map((r) => [r.path, r.line])).toEqual([
      ['meta', 5],
      ['deps/x.txt', 7],
    ]);
    expect(check.produced).toEqual([]);
  });

  it('checks bind-mount sources too', () => {
    expect(findMissingSources([read('scripts', 3, 'scripts', 'RUN --mount')], exists).missing.map((r) => r.raw)).toEqual(['scripts']);
  });

  it('leaves out what cannot be told before the build: wildcards, variables, the context root, paths above it', () => {
    const check = findMissingSources([read('yarn.lock*'), read('conf/[ab].json'), read(undefined, 2, '$APP'), read('.'), read('../shared'), read('..')], exists);
    expect(check).toEqual({ missing: [], produced: [] });
  });

  it('names the target that writes a path not there yet instead of calling it missing (inside or holding the output)', () => {
    const produced = [{ path: 'dist/apps/api', producer: 'api:build' }];
    const check = findMissingSources([read('dist/apps/api/main.js'), read('dist'), read('pkg', 8)], exists, produced);
    expect(check.produced.map(({ read: r, producer }) => [r.path, producer])).toEqual([
      ['dist/apps/api/main.js', 'api:build'],
      ['dist', 'api:build'],
    ]);
    expect(check.missing.map((r) => r.path)).toEqual(['pkg']);
  });

  it('describes a read as the user wrote it, with its 1-based line', () => {
    expect(describeRead(read('meta', 4, './meta/'))).toBe('COPY ./meta/ (line 5)');
  });
});

describe('findExcludedSources', () => {
  const onDisk = new Set(['dist', 'dist/apps/api', 'dist/apps/api/main.js', 'src', 'src/main.ts', 'package.json']);
  // The ignore file keeps dist out: nothing under it is sent.
  const sent = new Set(['src', 'src/main.ts', 'package.json']);
  const isSent = (path: string) => [...sent].some((entry) => entry === path || entry.startsWith(`${path}/`));

  it('lists a source that exists on disk but that the ignore file keeps out of the context, once', () => {
    const excluded = findExcludedSources([read('package.json'), read('dist/apps/api', 9), read('src'), read('dist/apps/api', 12)], (path) => onDisk.has(path), isSent);
    expect(excluded.map((r) => [r.path, r.line])).toEqual([['dist/apps/api', 9]]);
  });

  it('leaves out sources that are not on disk (missing, not excluded) and what cannot be told before the build', () => {
    expect(findExcludedSources([read('meta'), read('dist/*'), read(undefined), read('.'), read('../x')], (path) => onDisk.has(path), isSent)).toEqual([]);
  });
});

describe('producedInContext', () => {
  const outputs = [
    { path: 'dist/apps/api', producer: 'api:build' },
    { path: 'apps/api/dist', producer: 'api:build' },
    { path: 'libs/x/out', producer: 'x:build' },
  ];

  it('keeps the outputs the context holds, as context paths', () => {
    expect(producedInContext(outputs, 'apps/api')).toEqual([{ path: 'dist', producer: 'api:build' }]);
    expect(producedInContext(outputs, '.')).toEqual(outputs);
  });

  it('counts the whole context as produced when an output holds it', () => {
    expect(producedInContext(outputs, 'dist/apps/api/browser')).toEqual([{ path: '.', producer: 'api:build' }]);
  });
});
