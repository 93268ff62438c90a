import { compilePatterns, IgnorePatternError, isExcluded, mustDescendExcludedDir, parseIgnoreFile } from './dockerignore';

/** Whether `path` is excluded by `patterns`, written as lines of a .dockerignore. */
function excluded(patterns: string[], path: string): boolean {
  return isExcluded(compilePatterns(parseIgnoreFile(patterns.join('\n'))), path);
}

describe('parseIgnoreFile', () => {
  it('follows Docker: comments, blank lines, trimming, "!" and leading "/"', () => {
    // The case list of moby/patternmatcher's ignorefile test.
    const text = ['test1', '/test2', '/a/file/here', '', 'lastfile', '# this is a comment', '! /inverted/abs/path', '!', '! '].join('\n');
    expect(parseIgnoreFile(text)).toEqual(['test1', 'test2', 'a/file/here', 'lastfile', '!inverted/abs/path', '!', '!']);
  });

  it('treats "#" as a comment only when it is the first character of the line', () => {
    expect(parseIgnoreFile('# comment\n  # not a comment\nfoo # not a comment either')).toEqual([
      '# not a comment',
      'foo # not a comment either',
    ]);
  });

  it('cleans patterns like filepath.Clean: "./x", "a//b", "a/../b", trailing "/"', () => {
    expect(parseIgnoreFile('./x\na//b\na/../b\ndocs/\n!./keep/\n/')).toEqual(['x', 'a/b', 'b', 'docs', '!keep', '/']);
  });

  it('strips a UTF-8 BOM and handles CRLF line endings', () => {
    expect(parseIgnoreFile('\uFEFF# comment\r\nnode_modules\r\n!node_modules/keep\r\n')).toEqual(['node_modules', '!node_modules/keep']);
    expect(parseIgnoreFile('\uFEFFdist')).toEqual(['dist']);
  });

  it('returns nothing for an empty file', () => {
    expect(parseIgnoreFile('')).toEqual([]);
    expect(parseIgnoreFile('\n\n   \n')).toEqual([]);
  });
});

describe('compilePatterns', () => {
  it('marks "!" patterns as exclusions and keeps the cleaned pattern', () => {
    expect(compilePatterns(['docs/', ' !docs/README.md ', '']).map(({ pattern, exclusion }) => ({ pattern, exclusion }))).toEqual([
      { pattern: 'docs', exclusion: false },
      { pattern: 'docs/README.md', exclusion: true },
    ]);
  });

  it.each([['['], ['a['], ['[^bc'], ['a\\'], ['[]a]'], ['!']])('rejects the invalid pattern %j with IgnorePatternError', (pattern) => {
    expect(() => compilePatterns([pattern])).toThrow(IgnorePatternError);
  });

  it('rejects a lone "!" line of an ignore file', () => {
    expect(() => compilePatterns(parseIgnoreFile('*.log\n!\n'))).toThrow('illegal exclusion pattern');
  });

  // BUG: Go's filepath.Match (called by patternmatcher.New) rejects these ranges with ErrBadPattern (see the matchTests of
  // moby/patternmatcher), so Docker refuses the ignore file; checkGlobSyntax only looks for unclosed/empty classes.
  it('rejects character classes that Go rejects ("[-x]", "[x-]", "[a-b-c]")', () => {
    for (const pattern of ['[-x]', '[x-]', '[a-b-c]']) expect(() => compilePatterns([pattern])).toThrow(IgnorePatternError);
  });

  // BUG: in Go's filepath.Match only "^" negates a class, so "[!]" is the class of the one character "!" and Docker accepts
  // it; checkGlobSyntax skips "!" as if it negated and reports an "empty character class".
  it('accepts "[!]", a class holding "!" (only "^" negates in Go)', () => {
    expect(isExcluded(compilePatterns(['[!]']), '!')).toBe(true);
  });
});

describe('isExcluded (Docker documented cases)', () => {
  it.each<[string, string, boolean]>([
    // */temp*: one level below the root
    ['*/temp*', 'somedir/temporary.txt', true],
    ['*/temp*', 'somedir/temp', true],
    ['*/temp*', 'somedir/temp/inside.txt', true],
    ['*/temp*', 'temporary.txt', false],
    ['*/temp*', 'a/b/temporary.txt', false],
    // */*/temp*: two levels below the root
    ['*/*/temp*', 'somedir/subdir/temporary.txt', true],
    ['*/*/temp*', 'somedir/temporary.txt', false],
    // temp?: one character, root only
    ['temp?', 'tempa', true],
    ['temp?', 'temp', false],
    ['temp?', 'tempab', false],
    ['temp?', 'dir/tempa', false],
    // **/*.go: at any depth, the root included
    ['**/*.go', 'main.go', true],
    ['**/*.go', 'a/b/c/main.go', true],
    ['**/*.go', 'main.golang', false],
    // *.md only at the root, **/*.md everywhere
    ['*.md', 'README.md', true],
    ['*.md', 'docs/guide.md', false],
    ['**/*.md', 'docs/guide.md', true],
    ['**/*.md', 'README.md', true],
    // ** followed by a name without a slash
    ['**.md', 'a/b/c.md', true],
    ['**.md', 'c.md', true],
    ['**.md', 'c.mdx', false],
    // regex metacharacters are literal
    ['c++', 'c++', true],
    ['c++', 'cc', false],
    ['c++', 'c', false],
    ['(x)', '(x)', true],
    ['(x)', 'x', false],
    ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
    ['abc.def', 'abcZdef', false],
    ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
    // case-sensitive
    ['*.MD', 'a.md', false],
    ['*.MD', 'a.MD', true],
    ['Docs', 'docs/a.txt', false],
    // a directory pattern excludes everything under it
    ['build', 'build', true],
    ['build', 'build/a/b/c.js', true],
    ['build', 'builder/x', false],
    ['build/', 'build/x', true],
    // **/foo: the root too
    ['**/foo', 'foo', true],
    ['**/foo', 'a/b/foo', true],
    ['**/foo', 'a/foo/bar.txt', true],
    ['**/foo', 'afoo', false],
    // foo/**: what is below foo, not foo itself
    ['foo/**', 'foo/x', true],
    ['foo/**', 'foo/x/y', true],
    ['foo/**', 'foo', false],
    ['foo/**', 'foobar', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    // classes and escapes
    ['a[b-d]e', 'ace', true],
    ['a[b-d]e', 'aae', false],
    ['a[^b-d]e', 'aze', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['.*', '.env', true],
    ['.*', 'env', false],
    // leading "/" and "./" mean the context root
    ['/secret.txt', 'secret.txt', true],
    ['./secret.txt', 'secret.txt', true],
    ['/secret.txt', 'a/secret.txt', false],
  ])('%s on %s → %s', (pattern, path, expected) => {
    expect(excluded([pattern], path)).toBe(expected);
  });

  it('re-includes with "!" and lets the last matching line win', () => {
    const readmeButSecret = ['*.md', '!README*.md', 'README-secret.md'];
    expect(excluded(readmeButSecret, 'CHANGELOG.md')).toBe(true);
    expect(excluded(readmeButSecret, 'README.md')).toBe(false);
    expect(excluded(readmeButSecret, 'README-dev.md')).toBe(false);
    expect(excluded(readmeButSecret, 'README-secret.md')).toBe(true);

    const allReadmes = ['*.md', 'README-secret.md', '!README*.md'];
    expect(excluded(allReadmes, 'README-secret.md')).toBe(false);
    expect(excluded(allReadmes, 'CHANGELOG.md')).toBe(true);
  });

  it('keeps an exception that comes before the pattern it would undo ineffective', () => {
    expect(excluded(['!main.go', '*.go'], 'main.go')).toBe(true);
    expect(excluded(['*.go', '!main.go'], 'main.go')).toBe(false);
  });

  it('re-includes a file inside an excluded directory', () => {
    for (const dirPattern of ['docs', 'docs/', 'docs/*']) {
      expect(excluded([dirPattern, '!docs/README.md'], 'docs/README.md')).toBe(false);
      expect(excluded([dirPattern, '!docs/README.md'], 'docs/other.md')).toBe(true);
    }
  });

  it('excludes everything with "**" and re-includes a subtree', () => {
    expect(excluded(['**', '!util/docker/web'], 'util/docker/web/foo')).toBe(false);
    expect(excluded(['**', '!util/docker/web'], 'util/other')).toBe(true);
    expect(excluded(['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo')).toBe(true);
  });

  it('excludes nothing without patterns', () => {
    expect(isExcluded([], 'any/path')).toBe(false);
  });
});

describe('mustDescendExcludedDir', () => {
  const descend = (patterns: string[], dir: string): boolean => mustDescendExcludedDir(compilePatterns(patterns), dir);

  it('is false without exceptions', () => {
    expect(descend(['node_modules', '*.log'], 'node_modules')).toBe(false);
  });

  it('is true when a literal exception lies inside the directory', () => {
    expect(descend(['docs', '!docs/README.md'], 'docs')).toBe(true);
    expect(descend(['a', '!a/b/c'], 'a/b')).toBe(true);
    expect(descend(['docs', '!docs'], 'docs')).toBe(true);
  });

  it('is false when every literal exception lies elsewhere', () => {
    expect(descend(['docs', 'vendor', '!docs/README.md'], 'vendor')).toBe(false);
    // "doc" is a prefix of "docs/…" as a string, not as a directory
    expect(descend(['doc', '!docs/README.md'], 'doc')).toBe(false);
  });

  it('is true for any directory when an exception has glob characters', () => {
    expect(descend(['vendor', '!**/README.md'], 'vendor')).toBe(true);
    expect(descend(['vendor', '!docs/READ?E.md'], 'vendor')).toBe(true);
    expect(descend(['vendor', '!docs/[a-z].md'], 'vendor')).toBe(true);
  });

  it('treats a trailing "/**" or "/*" of an exception as literal (fsutil patternWithoutTrailingGlob)', () => {
    expect(descend(['*', '!keep/**'], 'keep')).toBe(true);
    expect(descend(['*', '!keep/**'], 'other')).toBe(false);
    expect(descend(['*', '!keep/*'], 'other')).toBe(false);
  });
});
