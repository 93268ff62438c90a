import { posix } from 'node:path';

/**
 * Docker's ignore-file semantics, as BuildKit applies them when it sends a build context.
 *
 * Written here instead of using `@balena/dockerignore`, which we measured to differ from Docker on cases users hit
 * (`**.md` below the root, regex metacharacters such as `c++`, case folding by default). The fidelity e2e suite
 * compares this module with what a real BuildKit build receives.
 *
 * The behaviour follows moby/patternmatcher (matching) and tonistiigi/fsutil (which directories are walked).
 */

export interface IgnorePattern {
  /** The cleaned pattern, without the leading `!`. */
  readonly pattern: string;
  /** A `!` pattern: it re-includes what earlier patterns excluded. */
  readonly exclusion: boolean;
  readonly test: (path: string) => boolean;
}

export class IgnorePatternError extends Error {}

/**
 * What patternmatcher escapes before building its regular expression. It means to escape `| { }` too, but its bit
 * table is too small for them (measured against BuildKit: `a|b*` excludes everything that starts with `a`), so they
 * stay regex syntax, as they do in Docker.
 */
const REGEX_ESCAPED = new Set(['.', '+', '(', ')', '$']);

/** Go's strings.TrimSpace: Unicode white space, which includes U+0085 and excludes U+FEFF (unlike String#trim). */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

export function goTrimSpace(text: string): string {
  return text.replace(GO_TRIM, '');
}

/** Reads an ignore file's text into patterns the way Docker does (comments, blank lines, `!`, leading `/`). */
export function parseIgnoreFile(text: string): string[] {
  const patterns: string[] = [];
  // Only the first line loses a byte-order mark, as in Docker's reader.
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (const rawLine of lines) {
    if (rawLine.startsWith('#')) continue;
    let pattern = goTrimSpace(rawLine);
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = goTrimSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  }
  return patterns;
}

/** Go's filepath.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const normalized = posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

export function compilePatterns(patterns: readonly string[]): IgnorePattern[] {
  const compiled: IgnorePattern[] = [];
  for (const raw of patterns) {
    let p = goTrimSpace(raw);
    if (p === '') continue;
    p = cleanPath(p);
    let exclusion = false;
    if (p.startsWith('!')) {
      if (p.length === 1) throw new IgnorePatternError('illegal exclusion pattern: "!"');
      exclusion = true;
      p = p.slice(1);
    }
    compiled.push({ pattern: p, exclusion, test: compileMatcher(p) });
  }
  return compiled;
}

/** Go's `.` (no `s` flag) matches everything but `\n`; JavaScript's also refuses `\r`, U+2028 and U+2029. */
const ANY = '[^\\n]*';

/** An escaped character as Go's regexp reads it: `\a` is BEL, `\d` a digit class, `\.` a dot; `\q` is an error. */
function goEscape(ch: string, pattern: string): string {
  const controls: Record<string, string> = { a: '\\x07', f: '\\f', t: '\\t', n: '\\n', r: '\\r', v: '\\v' };
  if (ch in controls) return controls[ch];
  if ('dDwWsSbB'.includes(ch)) return `\\${ch}`;
  if (/[\p{L}\p{N}]/u.test(ch)) throw new IgnorePatternError(`syntax error in pattern "${pattern}": invalid escape "\\${ch}"`);
  const code = ch.codePointAt(0) ?? 0;
  // \uHHHH reads the same with and without the `u` flag; only astral characters need \u{…}.
  return code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

function compileMatcher(pattern: string): (path: string) => boolean {
  checkGlobSyntax(pattern);
  type Kind = 'exact' | 'prefix' | 'suffix' | 'regexp';
  let kind: Kind = 'exact';
  let re = '^';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const first = i === 0;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        if (chars[i + 1] === '/') i++;
        if (i + 1 >= chars.length) {
          if (kind === 'exact') {
            kind = 'prefix';
          } else {
            re += ANY;
            kind = 'regexp';
          }
        } else {
          re += `(${ANY}/)?`;
          kind = 'regexp';
        }
        if (first) kind = 'suffix';
      } else {
        re += '[^/]*';
        kind = 'regexp';
      }
    } else if (ch === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if (REGEX_ESCAPED.has(ch)) {
      re += `\\${ch}`;
    } else if (ch === '\\') {
      if (i + 1 < chars.length) {
        re += goEscape(chars[++i], pattern);
        kind = 'regexp';
      } else {
        re += '\\\\';
      }
    } else if (ch === '[' || ch === ']') {
      re += ch;
      kind = 'regexp';
    } else {
      re += ch;
    }
  }

  switch (kind) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    case 'regexp': {
      let regexp: RegExp;
      try {
        regexp = new RegExp(`${re}$`, 'u');
      } catch {
        try {
          regexp = new RegExp(`${re}$`);
        } catch {
          throw new IgnorePatternError(`syntax error in pattern "${pattern}"`);
        }
      }
      return (path) => regexp.test(path);
    }
  }
}

/**
 * Go's filepath.Match rejects malformed patterns, and so does Docker: a trailing `\`, an unclosed or empty `[`, and
 * class items that start with `-` or `]` (`[-x]`, `[x-]`, `[a-b-c]`). Only `^` negates a class in Go.
 */
function checkGlobSyntax(pattern: string): void {
  const bad = (why: string): never => {
    throw new IgnorePatternError(`syntax error in pattern "${pattern}": ${why}`);
  };
  const classChar = (i: number): number => {
    const ch = pattern[i];
    if (ch === undefined) bad('unclosed "["');
    if (ch === '-' || ch === ']') bad(`unexpected "${ch}" in a character class`);
    if (ch === '\\') {
      if (i + 1 >= pattern.length) bad('trailing "\\"');
      return i + 2;
    }
    return i + 1;
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (i + 1 >= pattern.length) bad('trailing "\\"');
      i += 2;
    } else if (ch === '[') {
      i++;
      if (pattern[i] === '^') i++;
      let items = 0;
      while (pattern[i] !== ']' || items === 0) {
        if (pattern[i] === ']' && items === 0) bad('empty character class');
        i = classChar(i);
        if (pattern[i] === '-') i = classChar(i + 1);
        items++;
      }
      i++;
    } else {
      i++;
    }
  }
}

/** Per-pattern "this pattern matched an ancestor" bits, carried down a directory walk (patternmatcher's MatchInfo). */
export type ParentMatches = readonly boolean[] | undefined;

/**
 * Whether `path` (slash-separated, relative to the context root) is excluded, given what matched its parent
 * directory; also returns the match bits to pass to its children.
 */
export function matchWithParents(
  patterns: readonly IgnorePattern[],
  path: string,
  parent: ParentMatches,
): { excluded: boolean; matches: boolean[] } {
  let excluded = false;
  const matches = new Array<boolean>(patterns.length).fill(false);
  patterns.forEach((pattern, i) => {
    let match = parent ? parent[i] : false;
    if (!match) {
      if (pattern.exclusion !== excluded) return;
      match = pattern.test(path);
      if (!match && !parent) match = ancestors(path).some((dir) => pattern.test(dir));
    }
    matches[i] = match;
    if (match) excluded = !pattern.exclusion;
  });
  return { excluded, matches };
}

function ancestors(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** True when `path` is excluded by the patterns (checking its ancestors too), as Docker decides for one file. */
export function isExcluded(patterns: readonly IgnorePattern[], path: string): boolean {
  return matchWithParents(patterns, path, undefined).excluded;
}

const PATTERN_CHARS = /[*[\]?^\\]/;

function withoutTrailingGlob(pattern: string): string {
  if (pattern.endsWith('/**')) return pattern.slice(0, -3);
  if (pattern.endsWith('/*')) return pattern.slice(0, -2);
  return pattern;
}

/**
 * Whether the walk must still descend into an excluded directory because a `!` pattern may re-include something in
 * it. BuildKit's walker skips an excluded directory unless an exception could match below it: any exception with
 * glob characters, or a literal exception that lies inside this directory.
 */
export function mustDescendExcludedDir(patterns: readonly IgnorePattern[], dir: string): boolean {
  const exceptions = patterns.filter((p) => p.exclusion);
  if (exceptions.length === 0) return false;
  if (exceptions.some((p) => PATTERN_CHARS.test(withoutTrailingGlob(p.pattern)))) return true;
  const dirSlash = `${dir}/`;
  return exceptions.some((p) => `${withoutTrailingGlob(p.pattern)}/`.startsWith(dirSlash));
}
