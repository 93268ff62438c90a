import type { ContextRead } from '../dockerfile';

/**
 * The part of the build context a Dockerfile reads: the sources of its COPY, ADD and bind mounts (as Skaffold's
 * docker dependencies do). A file of the context that none of them reads cannot change the image (BuildKit does not
 * even transfer it), so it is neither hashed nor an Nx input. Where a source cannot be located before the build, the
 * whole context counts.
 */
export type ContextReadSet =
  | { readonly whole: true; readonly because: string }
  | { readonly whole: false; readonly sources: readonly string[] };

export function contextReadSet(reads: readonly ContextRead[]): ContextReadSet {
  const sources: string[] = [];
  for (const read of reads) {
    const where = `${read.instruction} ${read.raw} (line ${read.line + 1})`;
    if (read.path === undefined) return { whole: true, because: `${where} uses a variable whose value is known only at build time` };
    if (read.path === '.') return { whole: true, because: `${where} reads the whole context` };
    if (read.path === '..' || read.path.startsWith('../')) return { whole: true, because: `${where} points above the context root` };
    if (!sources.includes(read.path)) sources.push(read.path);
  }
  return { whole: false, sources };
}

/**
 * Whether a context path (POSIX, relative to the context root) is read: it is a source, lies under one, or is a
 * folder on the way to one. Sources may hold COPY's wildcards (`*`, `?`, `[…]`, one path segment each, as Go's
 * filepath.Match).
 */
export function readsPath(set: ContextReadSet, path: string): boolean {
  if (set.whole) return true;
  const segments = path.split('/');
  return set.sources.some((source) => {
    const sourceSegments = source.split('/');
    const shared = Math.min(segments.length, sourceSegments.length);
    for (let i = 0; i < shared; i++) if (!segmentMatches(sourceSegments[i], segments[i])) return false;
    return true;
  });
}

const WILDCARD = /[*?[\\]/;

function segmentMatches(pattern: string, name: string): boolean {
  if (!WILDCARD.test(pattern)) return pattern === name;
  return segmentRegExp(pattern).test(name);
}

const compiled = new Map<string, RegExp>();

/** Go's filepath.Match for one segment: `*` any run of characters, `?` one, `[…]` a class (`^` negates), `\` escapes. */
function segmentRegExp(pattern: string): RegExp {
  let cached = compiled.get(pattern);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/\\(.)/g, '\\$1').replace(/[\]^]/g, '\\$&')}]`;
      i = end;
    } else source += escapeRegExp(ch);
  }
  cached = new RegExp(`^${source}$`, 's');
  compiled.set(pattern, cached);
  return cached;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
