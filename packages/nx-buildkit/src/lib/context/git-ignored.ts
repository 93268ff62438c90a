import { compilePatterns, isExcluded } from './dockerignore';

/**
 * Whether git ignores a workspace-relative path, by the root .gitignore (the file Nx also reads to leave files out of
 * its file map). Git's patterns are read into Docker's matcher: a pattern without a slash but a trailing one matches
 * at any depth (`dist`, `.next/`), one with a slash is anchored at the root (`/coverage`, `apps/*.log`).
 *
 * Nested .gitignore files and git's "a directory-only pattern does not match a file" are not modelled: inference
 * asks only whether a path a Dockerfile copies lies in a folder that some task writes, and those folders are ignored
 * at the root in the layouts Nx generates.
 */
export function createGitIgnoredTest(gitignoreText: string | undefined): (path: string) => boolean {
  const patterns = compilePatterns((gitignoreText ?? '').split(/\r?\n/).flatMap(toDockerPattern));
  return (path) => patterns.length > 0 && isExcluded(patterns, path);
}

function toDockerPattern(line: string): string[] {
  // An escaped leading `#` or `!` is a literal file name; rare enough to leave out rather than mismatch.
  if (line.trim() === '' || line.startsWith('#') || line.startsWith('\\')) return [];
  const negated = line.startsWith('!');
  let pattern = (negated ? line.slice(1) : line).replace(/\s+$/, '');
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.replace(/\/+$/, '');
  if (pattern === '') return [];
  const anchored = pattern.includes('/');
  pattern = pattern.replace(/^\//, '');
  const docker = anchored ? pattern : `**/${pattern}`;
  return [negated ? `!${docker}` : docker];
}
