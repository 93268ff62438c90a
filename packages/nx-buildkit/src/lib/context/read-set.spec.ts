import type { ContextRead } from '../dockerfile';
import { contextReadSet, readsPath } from './read-set';

const read = (path: string | undefined, raw = path ?? '$X', line = 2): ContextRead => ({ path, raw, instruction: 'COPY', line, stage: 0 });

describe('contextReadSet', () => {
  it('collects the sources, once each', () => {
    expect(contextReadSet([read('package.json'), read('src'), read('package.json')])).toEqual({ whole: false, sources: ['package.json', 'src'] });
  });

  it('is the whole context for COPY . ., a source with an unknown variable, or one above the root, and says why', () => {
    expect(contextReadSet([read('src'), read('.')])).toEqual({ whole: true, because: 'COPY . (line 3) reads the whole context' });
    expect(contextReadSet([read(undefined, '$APP/src')])).toEqual({ whole: true, because: 'COPY $APP/src (line 3) uses a variable whose value is known only at build time' });
    expect(contextReadSet([read('../x')]).whole).toBe(true);
  });

  it('reads nothing from the context when the Dockerfile copies nothing', () => {
    expect(contextReadSet([])).toEqual({ whole: false, sources: [] });
  });
});

describe('readsPath', () => {
  const set = contextReadSet([read('package.json'), read('src'), read('apps/*/config'), read('lib?.txt')]);

  it.each([
    ['package.json', true],
    ['src', true],
    ['src/main.py', true],
    ['src/deep/x.py', true],
    ['apps', true], // a folder on the way to a source
    ['apps/web/config/app.ini', true],
    ['apps/web/src/x.ts', false],
    ['lib1.txt', true],
    ['lib10.txt', false],
    ['README.md', false],
    ['srcs/x', false],
    ['package.json.bak', false],
  ])('%s → %s', (path, expected) => {
    expect(readsPath(set, path)).toBe(expected);
  });

  it('reads everything when the set is the whole context', () => {
    expect(readsPath({ whole: true, because: 'x' }, 'README.md')).toBe(true);
  });

  it('reads character classes and escapes as Go filepath.Match does', () => {
    const classes = contextReadSet([read('v[0-9].txt'), read('n[^a].txt'), read('star\\*.txt')]);
    expect(['v1.txt', 'vx.txt', 'nb.txt', 'na.txt', 'star*.txt', 'starx.txt'].map((p) => readsPath(classes, p))).toEqual([true, false, true, false, true, false]);
  });
});
