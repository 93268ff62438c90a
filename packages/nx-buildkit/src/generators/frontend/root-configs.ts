import { posix } from 'node:path';
import { relativeExtends } from './relocated-config-bases';

/** The workspace-root TypeScript configs an in-Docker frontend build may read. */
const ROOT_CONFIGS = ['tsconfig.base.json', 'tsconfig.json'] as const;

/**
 * Which root configs the image copies. `tsconfig.base.json` always when it exists: Nx's path aliases live there, and
 * the app's and libraries' configs extend it. The root `tsconfig.json` only when a config of the app or of a library
 * it copies extends it (directly or through another root config), or when there is no `tsconfig.base.json` (then it
 * is the one that holds the paths). In a TS-solution workspace (create-nx-workspace --preset=ts) the root
 * tsconfig.json is the solution file: its `references` list every project, so copying it would rebuild every web
 * image whenever a project is added, for a file the build does not read.
 */
export function rootConfigsToCopy(
  read: (path: string) => string | undefined,
  children: (dir: string) => readonly string[],
  projectRoots: readonly string[],
): string[] {
  const present = ROOT_CONFIGS.filter((file) => read(file) !== undefined);
  if (!present.includes('tsconfig.base.json')) return [...present];
  const reached = new Set<string>();
  const pending = projectRoots.flatMap((root) => {
    const dir = posix.normalize(root).replace(/\/+$/, '');
    return children(dir)
      .filter((name) => /^tsconfig.*\.json$/.test(name))
      .map((name) => posix.join(dir, name));
  });
  const seen = new Set(pending);
  while (pending.length) {
    const config = pending.shift() as string;
    for (const base of relativeExtends(read(config))) {
      const path = posix.join(posix.dirname(config), base);
      if (seen.has(path)) continue;
      seen.add(path);
      reached.add(path);
      pending.push(path);
    }
  }
  return present.filter((file) => file === 'tsconfig.base.json' || reached.has(file));
}
