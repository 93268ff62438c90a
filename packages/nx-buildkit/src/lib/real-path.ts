import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Where a path really leads: the real path (symlinks resolved) of its nearest existing ancestor, with the parts that
 * do not exist yet appended. A folder that is to be created under a symlink is thereby placed where its writes land.
 */
export function realPathOfNearestAncestor(path: string, realpath: (path: string) => string = realpathSync): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = dirname(current);
      // ENOENT: not there yet; ENOTDIR: under a file (the write fails later with its own message).
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) return join(current, ...missing.reverse());
      missing.push(basename(current));
      current = parent;
    }
  }
}
