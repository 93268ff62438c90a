import { createBuildContext } from './build-context';
import { memoryContextFiles } from '../../../test/memory-context-files';
import { normalizeSource } from '../dockerfile';
import { describeSource, isBroadSource, readCopy } from './copy-sources';
import { parseDockerfile } from '../dockerfile';
import { walkStage } from '../dockerfile';

const context = createBuildContext(
  memoryContextFiles({ 'package.json': '{}', 'package-lock.json': '{}', 'src/index.js': '', 'wheels/x.whl': '', 'main.py': '', 'tsconfig.json': '{}', 'lib/': '' }),
  { text: '' },
);

function copies(dockerfile: string, withContext = true) {
  const parsed = parseDockerfile(dockerfile);
  return walkStage(parsed, 0)
    .map((step) => readCopy(step.instruction, step.before, withContext ? context : undefined))
    .filter((copy) => copy !== undefined);
}

describe('readCopy', () => {
  it('reads a name files conventionally have without an extension as a file when the context cannot tell (never "the folder VERSION/")', () => {
    const [copy] = copies('FROM x\nCOPY VERSION Makefile LICENSE bin /app/\n', false);
    expect(copy.sources.map((source) => [source.raw, source.kind])).toEqual([
      ['VERSION', 'file'],
      ['Makefile', 'file'],
      ['LICENSE', 'file'],
      ['bin', 'directory'],
    ]);
  });

  it('classifies sources: context root, folders, manifests, files, globs', () => {
    const [copy] = copies('FROM x\nCOPY . src lib/ package.json main.py package*.json *.json wheels /app/\n');
    expect(copy.sources.map((source) => [source.raw, source.kind])).toEqual([
      ['.', 'context-root'],
      ['src', 'directory'],
      ['lib/', 'directory'],
      ['package.json', 'manifest'],
      ['main.py', 'file'],
      ['package*.json', 'manifest'],
      ['*.json', 'glob'],
      ['wheels', 'manifest'],
    ]);
    expect(copy.sources.filter(isBroadSource).map((source) => source.raw)).toEqual(['.', 'src', 'lib/', '*.json']);
  });

  it('guesses folders without a context from a trailing slash or a name without extension', () => {
    const [copy] = copies('FROM x\nCOPY app/ config settings.yaml /dest/\n', false);
    expect(copy.sources.map((source) => source.kind)).toEqual(['directory', 'directory', 'file']);
  });

  it('resolves the destination against WORKDIR and variables; unknown variables stay unresolved', () => {
    const [a, b, c] = copies('FROM x\nWORKDIR /app\nENV D=/data\nCOPY . .\nCOPY src $D/src\nCOPY $NOPE /x\n');
    expect(a.destInImage).toBe('/app');
    expect(b.destInImage).toBe('/data/src');
    expect(c.sources[0].kind).toBe('unresolved');
  });

  it('leaves out --from copies, URLs and here-documents', () => {
    const [fromStage, url, heredoc] = copies('FROM x\nCOPY --from=build /app/dist ./dist\nADD https://example.com/a.tgz /tmp/\nCOPY <<EOF /etc/x\nhi\nEOF\n');
    expect(fromStage.fromOther).toBe(true);
    expect(fromStage.sources).toEqual([]);
    expect(url.sources).toEqual([]);
    expect(heredoc.heredoc).toBe(true);
  });

  it('reads the JSON form', () => {
    const [copy] = copies('FROM x\nCOPY ["src", "/app/src"]\n');
    expect(copy.sources.map((s) => s.path)).toEqual(['src']);
    expect(copy.dest).toBe('/app/src');
  });
});

describe('normalizeSource', () => {
  it('reads sources relative to the context root', () => {
    expect(normalizeSource('./')).toBe('.');
    expect(normalizeSource('/src/')).toBe('src');
    expect(normalizeSource('./a/../b')).toBe('b');
  });
});

describe('describeSource', () => {
  it('says what a broad source brings', () => {
    expect(describeSource({ raw: '.', path: '.', kind: 'context-root' })).toBe('the whole build context');
    expect(describeSource({ raw: 'src', path: 'src', kind: 'directory' })).toBe('the folder src/');
  });
});
