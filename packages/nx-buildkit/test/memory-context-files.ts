import type { ContextFiles } from '../src/lib/dockerfile-analyzer/build-context';

/** For specs: files given as path → text (folders implied by the paths; a path ending in `/` is an empty folder). */
export function memoryContextFiles(files: Readonly<Record<string, string>>): ContextFiles {
  const paths = Object.keys(files);
  const dirs = new Set<string>(['.']);
  for (const path of paths) {
    const parts = path.replace(/\/$/, '').split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (path.endsWith('/')) dirs.add(parts.join('/'));
  }
  const normalize = (path: string) => (path === '' || path === './' ? '.' : path.replace(/^\.\//, '').replace(/\/$/, ''));
  return {
    exists: (path) => dirs.has(normalize(path)) || normalize(path) in files,
    isDirectory: (path) => dirs.has(normalize(path)),
    readText: (path) => (dirs.has(normalize(path)) ? undefined : files[normalize(path)]),
    list: (path) => {
      const dir = normalize(path);
      if (!dirs.has(dir)) return undefined;
      const prefix = dir === '.' ? '' : `${dir}/`;
      const names = new Set<string>();
      for (const candidate of [...paths.map((p) => p.replace(/\/$/, '')), ...dirs]) {
        if (candidate !== dir && candidate.startsWith(prefix) && candidate !== '.') names.add(candidate.slice(prefix.length).split('/')[0]);
      }
      return [...names].sort();
    },
  };
}
