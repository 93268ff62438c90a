import { parseJson } from '@nx/devkit';
import { posix } from 'node:path';

/**
 * The configuration files a library's tsconfig files reach outside its folder by a relative `extends` (Nx's libraries
 * extend `../../tsconfig.base.json`), each with where that relative path lands once the library is copied elsewhere:
 * a workspace package is copied where the pruned install linked it (`<app>/workspace_modules/<name>/`), and Vite's
 * transform reads the tsconfig of every file it compiles, failing the build on a base it cannot find (measured, Vite 8:
 * "Tsconfig not found /app/apps/web/workspace_modules/tsconfig.base.json"). The chain is followed from each base.
 * Bases that would land outside the image's work directory, or that the workspace does not hold, are left out.
 */
export function relocatedConfigBases(
  read: (path: string) => string | undefined,
  children: (dir: string) => readonly string[],
  libraryRoot: string,
  linkedAt: string,
): Array<{ source: string; destination: string }> {
  const root = posix.normalize(libraryRoot).replace(/\/+$/, '');
  const linked = posix.normalize(linkedAt).replace(/\/+$/, '');
  const found = new Map<string, string>();
  // Each step: a config file as it sits in the workspace, and as it sits in the image.
  const pending = children(root)
    .filter((name) => /^tsconfig.*\.json$/.test(name))
    .sort()
    .map((name) => ({ source: posix.join(root, name), destination: posix.join(linked, name) }));
  while (pending.length) {
    const { source, destination } = pending.shift() as { source: string; destination: string };
    for (const base of relativeExtends(read(source))) {
      const baseSource = posix.join(posix.dirname(source), base);
      const baseDestination = posix.join(posix.dirname(destination), base);
      if (baseSource === baseDestination || found.has(baseDestination)) continue;
      if (isInside(baseSource, root) || baseSource.startsWith('../') || baseDestination.startsWith('../') || read(baseSource) === undefined) continue;
      found.set(baseDestination, baseSource);
      pending.push({ source: baseSource, destination: baseDestination });
    }
  }
  return [...found].map(([destination, source]) => ({ source, destination }));
}

/** The relative paths a tsconfig's `extends` names (a string or, since TypeScript 5.0, a list); packages are not paths. */
export function relativeExtends(text: string | undefined): string[] {
  if (text === undefined) return [];
  let config: { extends?: unknown };
  try {
    config = parseJson(text) as { extends?: unknown };
  } catch {
    return [];
  }
  const named = Array.isArray(config?.extends) ? config.extends : [config?.extends];
  return named.filter((path): path is string => typeof path === 'string' && (path.startsWith('./') || path.startsWith('../')));
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}
