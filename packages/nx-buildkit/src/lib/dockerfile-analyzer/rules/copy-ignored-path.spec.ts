import { createBuildContext } from '../build-context';
import { memoryContextFiles } from '../../../../test/memory-context-files';
import { parseDockerfile } from '../../dockerfile';
import { copyIgnoredPath } from './copy-ignored-path';

const files = { 'config/app.yaml': '', 'docs/keep.md': '', 'docs/other.md': '', 'src/a.js': '', 'dist/main.js': '' };
const check = (text: string, ignore?: string) =>
  copyIgnoredPath.check({ dockerfile: parseDockerfile(text), context: createBuildContext(memoryContextFiles(files), ignore === undefined ? { text: '' } : { path: '.dockerignore', text: ignore }) });

describe('context/copy-ignored-path', () => {
  it('reports a COPY of an excluded path, naming the ignore file and the pattern', () => {
    const [hit] = check('FROM x\nCOPY config/app.yaml /etc/app/\n', 'config\n');
    expect(hit.line).toBe(1);
    expect(hit.message).toBe('COPY config/app.yaml /etc/app/: .dockerignore excludes config/app.yaml (pattern "config"), so the build never receives it and fails with "not found".');
    expect(hit.fix).toContain('add "!config/app.yaml" after it');
  });

  it('reports an excluded build output even when it does not exist yet', () => {
    expect(check('FROM x\nCOPY build/ /app/\n', 'build\n')).toHaveLength(1);
  });

  it.each([
    ['no ignore file', 'FROM x\nCOPY config /c\n', undefined],
    ['a re-included file', 'FROM x\nCOPY docs/keep.md /d/\n', 'docs\n!docs/keep.md\n'],
    ['a folder with a re-included file', 'FROM x\nCOPY docs /d\n', 'docs\n!docs/keep.md\n'],
    ['the whole context', 'FROM x\nCOPY . .\n', '*\n!src\n'],
    ['a glob', 'FROM x\nCOPY *.md /d/\n', '*.md\n'],
    ['a COPY --from another stage', 'FROM x AS a\nFROM x\nCOPY --from=a /config /config\n', 'config\n'],
  ])('does not report %s', (_name, text, ignore) => {
    expect(check(text, ignore)).toEqual([]);
  });

  it('reports nothing when the ignore file itself is invalid (the build fails on that first)', () => {
    expect(check('FROM x\nCOPY config /c\n', 'config\nsrc/[abc\n')).toEqual([]);
  });
});
