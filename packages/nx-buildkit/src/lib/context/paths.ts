import { posix, relative, sep } from 'node:path';

/** Workspace-relative POSIX paths, `.` for the workspace root. */

export function isWithin(path: string, folder: string): boolean {
  return folder === '.' || path === folder || path.startsWith(`${folder}/`);
}

export function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}

/** `path` relative to `folder` (which holds it). */
export function relativeTo(path: string, folder: string): string {
  return folder === '.' ? path : path === folder ? '.' : path.slice(folder.length + 1);
}

/** The leading segments without glob characters: `apps/*\/src` → `apps`. */
export function literalPrefix(path: string): string {
  const literal: string[] = [];
  for (const segment of path.split('/')) {
    if (/[*?[\]{}\\]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join('/');
}

/** `{workspaceRoot}/x` → `x`, `{projectRoot}/x` → `<root>/x`, normalized. */
export function resolveTokens(value: string, projectRoot: string): string {
  const resolved = value.replace(/^\{workspaceRoot\}\/?/, '').replace(/\{projectRoot\}/g, projectRoot);
  return posix.normalize(resolved === '' ? '.' : resolved).replace(/\/+$/, '') || '.';
}

/** A file-system path relative to a folder, with `/` on every platform (`''` for the folder itself). */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}
