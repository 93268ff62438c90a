import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compilePatterns, parseIgnoreFile } from './dockerignore';
import { contextFilesetInputs, dockerPatternToGlobs } from './nx-inputs';
import { walkContext } from './walk';

const P = '{projectRoot}';
const W = '{workspaceRoot}';

function inputsFor(ignoreFile: string, contextToken = P, keepPaths: string[] = []) {
  return contextFilesetInputs({ ignorePatterns: parseIgnoreFile(ignoreFile), contextToken, keepPaths });
}

describe('dockerPatternToGlobs', () => {
  it.each([
    ['docs', ['docs']],
    ['*.md', ['*.md']],
    ['**/*.md', ['**/*.md']],
    ['**.md', ['**/*.md']],
    ['**.m?', ['**/.m?']],
    ['docs/**', ['docs/**']],
    ['a/**/b', ['a/**/b']],
    ['src/*/test', ['src/*/test']],
    ['file?.txt', ['file?.txt']],
    ['log[0-9].txt', ['log[0-9].txt']],
    ['log[^0-9].txt', ['log[!0-9].txt']],
    ['tmp**', ['tmp*', 'tmp*/**']],
    ['.env', ['.env']],
  ])('%s → %j', (pattern, globs) => {
    expect(dockerPatternToGlobs(pattern)).toEqual(globs);
  });

  it.each(['c++(x)', 'a{b,c}', 'x|y', 'a\\*b', 'a**b/c', 'log[!0-9].txt', '../outside'])('%s cannot be written as an Nx glob', (pattern) => {
    expect(dockerPatternToGlobs(pattern)).toBeUndefined();
  });
});

describe('contextFilesetInputs', () => {
  it('includes the whole context when there is no ignore file', () => {
    expect(inputsFor('')).toEqual({ include: [`${P}/**/*`], exclude: [], approximations: [] });
  });

  it('anchors patterns at the context root: *.md is root-only, **/*.md is everywhere, docs is a folder and all below', () => {
    expect(inputsFor('*.md\n**/*.log\ndocs\n').exclude).toEqual([
      `!${P}/*.md`,
      `!${P}/*.md/**`,
      `!${P}/**/*.log`,
      `!${P}/**/*.log/**`,
      `!${P}/docs`,
    ]);
  });

  it('writes workspace-root contexts with {workspaceRoot}', () => {
    expect(inputsFor('node_modules\n', W)).toEqual({ include: [`${W}/**/*`], exclude: [`!${W}/node_modules`], approximations: [] });
  });

  it('gives exactly the allow-listed paths as positive inputs', () => {
    const inputs = inputsFor('*\n!apps/api\n!libs/shared\n!package.json\n!package-lock.json\n!tsconfig.base.json\n', W);
    expect(inputs.include).toEqual([
      `${W}/apps/api`,
      `${W}/libs/shared`,
      `${W}/package.json`,
      `${W}/package-lock.json`,
      `${W}/tsconfig.base.json`,
    ]);
    expect(inputs.exclude).toEqual([]);
  });

  it('keeps exclusions written after an allow-list when no earlier `!` pattern lies under them', () => {
    const inputs = inputsFor('*\n!apps/api\n!libs/shared\n**/node_modules\n**/*.md\napps/api/docs\n', W);
    expect(inputs.include).toEqual([`${W}/apps/api`, `${W}/libs/shared`]);
    expect(inputs.exclude).toEqual([
      `!${W}/**/node_modules`,
      `!${W}/**/node_modules/**`,
      `!${W}/**/*.md`,
      `!${W}/**/*.md/**`,
      `!${W}/apps/api/docs`,
    ]);
    expect(inputs.approximations).toEqual([]);
  });

  it('over-includes an exclusion that a later `!` pattern may undo, and says so', () => {
    const inputs = inputsFor('docs\n!docs/README.md\n*.log\n');
    expect(inputs.exclude).toEqual([`!${P}/*.log`, `!${P}/*.log/**`]);
    expect(inputs.approximations).toEqual(['"docs" may be undone by "!docs/README.md"']);
  });

  it('over-includes an exclusion of a folder above an earlier `!` pattern (BuildKit lets that one through)', () => {
    const inputs = inputsFor('*\n!apps/api/src\napps\n');
    expect(inputs.include).toEqual([`${P}/apps/api/src`]);
    expect(inputs.exclude).toEqual([]);
    expect(inputs.approximations).toEqual(['"apps" may be undone by "!apps/api/src"']);
  });

  it('never excludes the Dockerfile or the ignore file, whatever the ignore file says', () => {
    const inputs = inputsFor('Dockerfile*\n.dockerignore\n*.md\n', P, ['Dockerfile.prod', '.dockerignore']);
    expect(inputs.exclude).toEqual([`!${P}/*.md`, `!${P}/*.md/**`]);
    expect(inputs.approximations).toEqual([
      '"Dockerfile*" also matches "Dockerfile.prod", which is always an input',
      '".dockerignore" also matches ".dockerignore", which is always an input',
    ]);
  });

  it('widens an allow-list entry Nx cannot express to its literal folder', () => {
    const inputs = inputsFor('*\n!apps/c++(x)/src\n!{a,b}\n', W);
    expect(inputs.include).toEqual([`${W}/apps`, `${W}/**/*`]);
    expect(inputs.approximations).toEqual([
      '"!apps/c++(x)/src" cannot be written as an Nx glob (all of "apps" counts)',
      '"!{a,b}" cannot be written as an Nx glob (the whole context counts)',
    ]);
  });

  it('leaves an exclusion Nx cannot express out of the exclusions, and says so', () => {
    const inputs = inputsFor('build(old)\n*.log\n');
    expect(inputs.exclude).toEqual([`!${P}/*.log`, `!${P}/*.log/**`]);
    expect(inputs.approximations).toEqual(['"build(old)" cannot be written as an Nx glob']);
  });

  it('counts a re-include only where it can bring back a file under the sources the build reads', () => {
    const ignore = 'README.md\ndocs\n!**/node_modules/@scope/x\n!pkg/**/static/**\n';
    const request = (sources: string[]) => contextFilesetInputs({ ignorePatterns: parseIgnoreFile(ignore), contextToken: P, sources });
    // The image reads src/ and package.json: no re-include can bring back README.md or docs/ there.
    const narrow = request(['package.json', 'src']);
    expect(narrow.approximations).toEqual([]);
    expect(narrow.exclude).toEqual([`!${P}/README.md`, `!${P}/docs`]);
    // An image that copies pkg/ and docs/: "!**/node_modules/@scope/x" may reach under docs/, so that exclusion is approximate (once).
    const wide = request(['docs', 'pkg']);
    expect(wide.approximations).toEqual(['"docs" may be undone by "!**/node_modules/@scope/x"']);
    expect(wide.exclude).toEqual([`!${P}/README.md`]);
    // A source given by wildcard counts as its pattern.
    expect(request(['src/*.ts']).approximations).toEqual([]);
  });

  it('sends nothing but the Dockerfile for an allow-list with nothing allowed', () => {
    expect(inputsFor('*\n').include).toEqual([]);
  });
});

/**
 * The check that matters: on real trees, every file BuildKit's walk sends is an input (never under-include), and
 * without `!` patterns the inputs are exactly the files sent. Inputs are evaluated with Nx 24's glob semantics as
 * measured (see context-inputs.ts): literal paths cover folders, `*` stays within a segment, dot files match.
 */
describe('contextFilesetInputs against the files BuildKit sends', () => {
  const TREE = [
    'Dockerfile',
    'README.md',
    'app.log',
    '.env',
    'docs/guide.md',
    'docs/keep/README.md',
    'docs/img/logo.png',
    'src/main.ts',
    'src/README.md',
    'src/deep/x.log',
    'src/deep/y.ts',
    'node_modules/pkg/index.js',
    'apps/api/src/main.ts',
    'apps/api/docs/a.md',
    'apps/api/node_modules/x/index.js',
    'apps/web/src/main.ts',
    'libs/shared/src/index.ts',
    'libs/other/src/index.ts',
    'package.json',
    'package-lock.json',
    'tmp1/x',
    'tmpdir/y',
    'log7.txt',
    'logx.txt',
  ];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nxb-context-inputs-'));
    for (const file of TREE) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), file);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sent = (ignore: string) =>
    walkContext(dir, compilePatterns(parseIgnoreFile(ignore)))
      .filter((e) => e.type === 'file')
      .map((e) => e.path);

  const inputFiles = (ignore: string) => {
    const { include, exclude } = contextFilesetInputs({ ignorePatterns: parseIgnoreFile(ignore), contextToken: P });
    const strip = (input: string) => input.replace(/^!?\{projectRoot\}\/?/, '');
    return TREE.filter((file) => include.some((g) => nxGlobMatches(strip(g), file)) && !exclude.some((g) => nxGlobMatches(strip(g), file))).sort();
  };

  const withoutReincludes = ['', '*.md\n', '**/*.md\n', '**.md\n', 'docs\n', 'docs/**\n', 'node_modules\n**/node_modules\n', 'src/*/x.log\n', 'tmp**\n', 'log[0-9].txt\n', 'log[^0-9].txt\n', '.env\n*.log\n**/*.log\n'];
  it.each(withoutReincludes)('is exact without `!` patterns: %j', (ignore) => {
    expect(inputFiles(ignore)).toEqual(sent(ignore).sort());
  });

  const withReincludes = [
    'docs\n!docs/keep\n',
    '**/*.md\n!docs/keep/README.md\n',
    '*\n!src\n!package.json\nsrc/deep\n',
    '*\n!apps/api\n!libs/shared\n!package.json\n!package-lock.json\n**/node_modules\n**/*.md\n',
    '*\n!apps/*/src\n!libs\nlibs/other\n',
    '*\n**/node_modules\n!apps/api\n',
    'docs\n!docs/keep/README.md\ndocs\n',
    '*\n!apps/api/src\napps\n',
    '**\n!src/**/*.ts\n',
    'src\n!src/deep\nsrc/deep/*.log\n',
  ];
  it.each(withReincludes)('never leaves out a file the context sends: %j', (ignore) => {
    const inputs = inputFiles(ignore);
    for (const file of sent(ignore)) expect(inputs).toContain(file);
  });

  it('is exact for a typical workspace allow-list', () => {
    const ignore = '*\n!apps/api\n!libs/shared\n!package.json\n!package-lock.json\n**/node_modules\n**/*.md\n';
    expect(inputFiles(ignore)).toEqual(sent(ignore).sort());
    expect(sent(ignore).sort()).toEqual(['apps/api/src/main.ts', 'libs/shared/src/index.ts', 'package-lock.json', 'package.json']);
  });
});

/** Nx 24's reading of a fileset glob relative to the context, as measured (see the module's header). */
function nxGlobMatches(glob: string, path: string): boolean {
  if (!/[*?[]/.test(glob)) return path === glob || path.startsWith(`${glob}/`);
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i);
      re += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
      i = end;
    } else re += ch.replace(/[.+^$(){}|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(path);
}
