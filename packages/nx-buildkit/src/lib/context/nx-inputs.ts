import { compilePatterns, IgnorePattern, isExcluded } from './dockerignore';

/**
 * Nx fileset inputs that mirror a Docker build context: the files the context sends after Docker's ignore rules.
 *
 * Two languages meet here. Docker's ignore file is an ordered list where the last matching pattern wins and a pattern
 * that matches a folder also decides everything under it; `!` re-includes. Nx inputs are an unordered list: a file is
 * an input when a positive fileset matches it and no `!` fileset does — an exclusion cannot be undone.
 *
 * So the translation is exact where the ignore file has no `!` patterns, and otherwise conservative: when an exclusion
 * cannot be mirrored exactly it is left out, so its files stay inputs (Nx may select a project whose image would not
 * change — never the reverse). Every such case is reported in `approximations`.
 *
 * Facts of Nx 24's globs this relies on (each was tried with `nx show projects --affected --files=…`):
 * - a path without glob characters names that file, or that folder and everything under it, in positive and `!`
 *   filesets alike (`!{projectRoot}/docs` leaves out `docs/a/b.txt`);
 * - `*` and `?` stay within one path segment, `**` spans segments, `[0-9]` and `[!0-9]` are character classes, and
 *   dot files are matched like any other file;
 * - `(`, `)`, `|`, `{` and `}` are extended-glob syntax to Nx but plain characters to Docker.
 */

export interface ContextInputsRequest {
  /** The ignore file's patterns as `parseIgnoreFile` returns them; empty when no ignore file applies. */
  readonly ignorePatterns: readonly string[];
  /**
   * How the context root is written in an input: `{projectRoot}` when the context is the project root, otherwise
   * `{workspaceRoot}` or `{workspaceRoot}/<folder>`.
   */
  readonly contextToken: string;
  /**
   * Context-relative paths that are inputs whatever the ignore file says: the Dockerfile and the ignore file itself,
   * which BuildKit reads even when the context leaves them out. No exclusion may cover them.
   */
  readonly keepPaths?: readonly string[];
  /**
   * The context paths the Dockerfile reads (lib/context read-set: COPY/ADD/bind-mount sources), when they are known:
   * only files under them are inputs. Undefined: the whole context is.
   */
  readonly sources?: readonly string[];
}

export interface ContextInputs {
  /** Positive filesets. */
  readonly include: readonly string[];
  /** `!` filesets. */
  readonly exclude: readonly string[];
  /**
   * Ignore patterns not mirrored exactly, each with why (`"docs" may be undone by "!docs/README.md"`); the inputs
   * over-include there. Fragments, so that a description says the consequence once for all of them.
   */
  readonly approximations: readonly string[];
}

/** Docker's "everything": once one of these excludes all, only `!` patterns can bring files back. */
const MATCH_ALL_PATTERNS = new Set(['*', '**', '**/*']);

/** Characters that are literal to Docker but glob syntax to Nx, so a pattern holding one cannot be copied over. */
const NX_ONLY_SYNTAX = /[(){}|\\]/;

export function contextFilesetInputs(request: ContextInputsRequest): ContextInputs {
  const token = request.contextToken;
  // Beware the naming of dockerignore.ts: `exclusion: true` marks a `!` pattern (an exception to the exclusions).
  const patterns = compilePatterns(request.ignorePatterns);
  const approximations: string[] = [];
  const at = (glob: string): string => (glob === '' ? token : `${token}/${glob}`);

  // An allow-list (`*` then `!apps/api`, `!package.json`, …) sends only what its `!` patterns name, so those are the
  // positive inputs. Every `!` pattern counts, not only the ones after the `*`: BuildKit's walker can let an earlier
  // one through (see mayReachBelowMatch).
  const allowList = patterns.some((p) => !p.exclusion && MATCH_ALL_PATTERNS.has(p.pattern));
  const include: string[] = [];
  if (request.sources) {
    // Only what the build reads; the ignore rules' exclusions below still apply to it.
    for (const source of request.sources) {
      if (NX_ONLY_SYNTAX.test(source) || source.includes('[')) {
        const prefix = literalPrefix(source);
        include.push(prefix ? at(prefix) : at('**/*'));
        approximations.push(`the source "${source}" cannot be written as an Nx glob (${prefix ? `all of "${prefix}"` : 'the whole context'} counts)`);
      } else {
        include.push(...withDescendants(source).map(at));
      }
    }
  } else if (allowList) {
    for (const p of patterns.filter((q) => q.exclusion)) {
      const globs = dockerPatternToGlobs(p.pattern);
      if (globs) {
        include.push(...globs.flatMap((glob) => withDescendants(glob).map(at)));
      } else {
        const prefix = literalPrefix(p.pattern);
        include.push(prefix ? at(prefix) : at('**/*'));
        approximations.push(`"!${p.pattern}" cannot be written as an Nx glob (${prefix ? `all of "${prefix}"` : 'the whole context'} counts)`);
      }
    }
  } else {
    include.push(at('**/*'));
  }

  const sourcePatterns = request.sources?.map(sourceAsPattern);
  const exclude: string[] = [];
  patterns.forEach((p, index) => {
    if (p.exclusion || (allowList && MATCH_ALL_PATTERNS.has(p.pattern))) return;
    const globs = dockerPatternToGlobs(p.pattern);
    if (!globs) {
      approximations.push(`"${p.pattern}" cannot be written as an Nx glob`);
      return;
    }
    const kept = (request.keepPaths ?? []).find((path) => isExcluded([p], path));
    if (kept !== undefined) {
      approximations.push(`"${p.pattern}" also matches "${kept}", which is always an input`);
      return;
    }
    // A re-include matters only where it can bring back a file the build reads: under a source the exclusion covers too
    // (`!**/node_modules/@scope/x` cannot undo the exclusion of README.md for an image that copies only src/).
    const reinclude = patterns.find(
      (q, j) => q.exclusion && (j > index ? regionsMayIntersect(p, q) : mayReachBelowMatch(p, q)) && (sourcePatterns === undefined || sourcePatterns.some((source) => regionsMayIntersect(p, source) && regionsMayIntersect({ ...q, exclusion: false }, source))),
    );
    if (reinclude) {
      approximations.push(`"${p.pattern}" may be undone by "!${reinclude.pattern}"`);
      return;
    }
    exclude.push(...globs.flatMap((glob) => withDescendants(glob).map((g) => `!${at(g)}`)));
  });

  return { include: unique(include), exclude: unique(exclude), approximations };
}

/**
 * The Nx globs (relative to the context) matching exactly the paths a Docker ignore pattern matches by itself, not
 * counting what it decides for a matched folder's contents. Undefined when Nx cannot express it.
 */
export function dockerPatternToGlobs(pattern: string): string[] | undefined {
  if (pattern === '' || pattern === '.' || pattern.startsWith('!') || pattern.startsWith('../') || NX_ONLY_SYNTAX.test(pattern)) {
    return undefined;
  }
  // Docker's matcher is a regexp built from the pattern, so `[!a]` is a class holding "!" and "a" where a glob
  // would read "not a"; `[^a]` means "not a" to both.
  if (pattern.includes('[!')) return undefined;
  let glob = pattern.replace(/\[\^/g, '[!');
  // A leading `**` stuck to more text: Docker reads `**.md` as "ends with .md" at any depth, but `**.m?` as a last
  // segment matching `.m?` (its matcher switches from a suffix test to a regexp once a glob character follows).
  if (/^\*\*[^/*]/.test(glob)) {
    const rest = glob.slice(2);
    glob = isLiteral(rest) ? `**/*${rest}` : `**/${rest}`;
  }
  const segments = glob.split('/');
  const last = segments.length - 1;
  for (let i = 0; i <= last; i++) {
    const segment = segments[i];
    if (!segment.includes('**') || segment === '**') continue;
    // `foo**` at the end is Docker's "starts with foo" (it matches `foo`, `foobar` and everything under them); a `**`
    // stuck to other characters anywhere else crosses folders in a way no glob does.
    if (i === last && /^[^*]+\*\*$/.test(segment)) {
      const stem = [...segments.slice(0, last), `${segment.slice(0, -1)}`].join('/');
      return [stem, `${stem}/**`];
    }
    return undefined;
  }
  return [segments.join('/')];
}

/** The glob, and the glob for everything under what it matches (a literal path already includes that in Nx). */
function withDescendants(glob: string): string[] {
  if (isLiteral(glob) || glob === '**' || glob.endsWith('/**')) return [glob];
  return [glob, `${glob}/**`];
}

/** No glob characters and no escapes: the pattern names one path. */
function isLiteral(path: string): boolean {
  return !/[*?[\]\\]/.test(path);
}

/** The leading path segments before the first one with glob or Nx-only characters (`apps` for `apps/c++(x)/src`). */
function literalPrefix(pattern: string): string {
  const literal: string[] = [];
  for (const segment of pattern.split('/')) {
    if (!isLiteral(segment) || NX_ONLY_SYNTAX.test(segment) || segment === '..' || segment === '.') break;
    literal.push(segment);
  }
  return literal.join('/');
}

/**
 * A COPY source as a pattern of the same shape as an ignore pattern (its wildcards stay within one segment, as in
 * Docker's); one Docker's matcher rejects matches anything, which only keeps more exclusions approximate.
 */
function sourceAsPattern(source: string): IgnorePattern {
  try {
    return compilePatterns([source])[0];
  } catch {
    return compilePatterns(['**'])[0];
  }
}

/**
 * Whether a `!` pattern placed after the ignore pattern may re-include something it covers: some path that is, or is
 * under, a match of one may also be, or be under, a match of the other. False only when provably disjoint.
 */
function regionsMayIntersect(ignore: IgnorePattern, reinclude: IgnorePattern): boolean {
  if (isLiteral(reinclude.pattern)) {
    const path = reinclude.pattern;
    // Exact: does the ignore pattern match the re-included path or one of its folders, or something under it?
    return isExcluded([ignore], path) || mayMatchUnder(ignore.pattern, path.split('/'));
  }
  if (isLiteral(ignore.pattern)) {
    const path = ignore.pattern;
    return [path, ...ancestorsOf(path)].some((p) => reinclude.test(p)) || mayMatchUnder(reinclude.pattern, path.split('/'));
  }
  return segmentsMayOverlap(segmentsOf(ignore.pattern), segmentsOf(reinclude.pattern));
}

/**
 * Whether an ignore pattern placed after a `!` pattern may still let it through. Last match wins, except in one case
 * of BuildKit's walker (moby/patternmatcher MatchesUsingParentResults): a pattern is not evaluated for a folder that
 * is already excluded, and that folder's contents then test it against their own path only. So when the ignore
 * pattern matches a folder above what the earlier `!` pattern names, that `!` pattern still re-includes files inside.
 */
function mayReachBelowMatch(ignore: IgnorePattern, reinclude: IgnorePattern): boolean {
  if (isLiteral(reinclude.pattern)) return ancestorsOf(reinclude.pattern).some((dir) => ignore.test(dir));
  const a = segmentsOf(ignore.pattern);
  const b = segmentsOf(reinclude.pattern);
  for (let i = 0; i < a.length; i++) {
    if (i >= b.length) return false;
    if (a[i] === '**' || b[i] === '**') return true;
    if (!segmentsMayMatchSame(a[i], b[i])) return false;
  }
  return b.length > a.length;
}

/** Whether `pattern` may match a path strictly under the literal folder `folder`. */
function mayMatchUnder(pattern: string, folder: readonly string[]): boolean {
  const segments = segmentsOf(pattern);
  for (let i = 0; i < folder.length; i++) {
    if (i >= segments.length) return false;
    if (segments[i] === '**') return true;
    if (!segmentsMayMatchSame(segments[i], folder[i])) return false;
  }
  return segments.length > folder.length;
}

/** Conservative: true unless some segment pair rules out a common path. */
function segmentsMayOverlap(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === '**' || b[i] === '**') return true;
    if (!segmentsMayMatchSame(a[i], b[i])) return false;
  }
  return true;
}

function segmentsMayMatchSame(a: string, b: string): boolean {
  if (isLiteral(a) && isLiteral(b)) return a === b;
  if (isLiteral(a)) return matchesSegment(b, a);
  if (isLiteral(b)) return matchesSegment(a, b);
  return true;
}

/** Whether one segment of a Docker pattern matches a file name, as Docker's matcher decides. */
function matchesSegment(patternSegment: string, name: string): boolean {
  const [compiled] = compilePatterns([patternSegment.replace(/\*\*+/g, '*')]);
  return compiled.test(name);
}

/**
 * A Docker pattern's path segments, `**` standing alone for "any number of folders": a leading `**.md` becomes
 * `**` + `*.md` and a trailing `foo**` becomes `foo*` + `**`, as Docker reads them.
 */
function segmentsOf(pattern: string): string[] {
  const segments = pattern.split('/');
  const first = segments[0];
  if (first !== '**' && first.startsWith('**')) segments.splice(0, 1, '**', `*${first.replace(/^\*+/, '')}`);
  const last = segments[segments.length - 1];
  if (last !== '**' && last.endsWith('**')) segments.splice(-1, 1, last.replace(/\*+$/, '*'), '**');
  return segments;
}

function ancestorsOf(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
