import { joinPathFragments, Tree } from '@nx/devkit';

/** What the generators read of a package.json. */
export interface PackageJson {
  name?: string;
  packageManager?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
}

/** A package.json in the tree; undefined when there is none, a clear error when it is not JSON. */
export function readPackageJson(tree: Tree, path: string): PackageJson | undefined {
  if (!tree.exists(path)) return undefined;
  try {
    return JSON.parse(tree.read(path, 'utf-8') ?? '{}') as PackageJson;
  } catch {
    throw new Error(`"${path}" is not valid JSON. Fix it, then re-run the generator.`);
  }
}

/** Angular when the project or workspace says so (angular.json, an Angular build executor, @angular/core); else Vite. */

/**
 * npm/yarn workspace globs of the root package.json, else pnpm's of pnpm-workspace.yaml (only simple "dir/*" and
 * literal forms): package name → folder.
 */
export function workspaceMemberManifests(tree: Tree): Map<string, string> {
  const root = readPackageJson(tree, 'package.json');
  const fromPackageJson = Array.isArray(root?.workspaces) ? root?.workspaces : root?.workspaces?.packages ?? [];
  const globs = fromPackageJson?.length ? fromPackageJson : pnpmWorkspaceGlobs(tree.read('pnpm-workspace.yaml', 'utf-8') ?? '');
  const members = new Map<string, string>();
  for (const glob of globs ?? []) {
    const dirs = glob.endsWith('/*') ? tree.children(glob.slice(0, -2)).map((name) => joinPathFragments(glob.slice(0, -2), name)) : [glob];
    for (const dir of dirs) {
      const manifest = joinPathFragments(dir, 'package.json');
      const pkg = readPackageJson(tree, manifest);
      if (pkg?.name) members.set(pkg.name, dir);
    }
  }
  return members;
}

/** The `packages:` list of a pnpm-workspace.yaml (block form, quoted or not); negations (`!…`) are left out. */
export function pnpmWorkspaceGlobs(yaml: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line);
    const item = inPackages ? /^\s+-\s*['"]?([^'"#]+?)['"]?\s*(#.*)?$/.exec(line)?.[1] : undefined;
    if (item && !item.startsWith('!')) globs.push(item.replace(/\/+$/, ''));
  }
  return globs;
}
