import { joinPathFragments, ProjectConfiguration, Tree } from '@nx/devkit';

export type Framework = 'vite' | 'angular';

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
}

export function readPackageJson(tree: Tree, path: string): PackageJson | undefined {
  if (!tree.exists(path)) return undefined;
  try {
    return JSON.parse(tree.read(path, 'utf-8') ?? '{}') as PackageJson;
  } catch {
    throw new Error(`"${path}" is not valid JSON. Fix it, then re-run the generator.`);
  }
}

/** Angular when the project or workspace says so (angular.json, an Angular build executor, @angular/core); else Vite. */
export function detectFramework(tree: Tree, project: ProjectConfiguration): Framework | undefined {
  const root = project.root;
  const executor = project.targets?.build?.executor ?? '';
  if (/@angular|@nx\/angular/.test(executor) || tree.exists(joinPathFragments(root, 'angular.json'))) return 'angular';
  const pkg = readPackageJson(tree, joinPathFragments(root, 'package.json'));
  const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
  if ('@angular/core' in deps) return 'angular';
  if ('vite' in deps || /vite/.test(executor) || tree.children(root).some((name) => /^vite\.config\./.test(name))) return 'vite';
  return undefined;
}

/** Build configuration files at a folder's top level: copied after the install and before the source. */
export function listBuildConfigFiles(tree: Tree, dir: string): string[] {
  const pattern = /^(tsconfig.*\.json|vite\.config\.[cm]?[jt]s|angular\.json|\.browserslistrc|browserslist|postcss\.config\.[cm]?js|tailwind\.config\.[cm]?[jt]s|babel\.config\.[cm]?js|\.babelrc|env\.d\.ts|.*\.d\.ts)$/;
  return tree
    .children(dir)
    .filter((name) => pattern.test(name) && tree.isFile(joinPathFragments(dir, name)))
    .sort();
}

/** The app's own sources, copied last: static files, the HTML entry, then src/. */
export function listAppSources(tree: Tree, dir: string): string[] {
  const exists = (name: string) => tree.exists(joinPathFragments(dir, name));
  const sources: string[] = [];
  if (exists('public')) sources.push('public/');
  if (exists('index.html')) sources.push('index.html');
  if (exists('src')) sources.push('src/');
  return sources;
}

/** Vite's build.outDir when the config names it literally; Vite's default (dist) otherwise. */
export function viteOutDir(tree: Tree, appRoot: string): string {
  const config = tree.children(appRoot).find((name) => /^vite\.config\./.test(name));
  const text = config ? tree.read(joinPathFragments(appRoot, config), 'utf-8') ?? '' : '';
  const match = /outDir\s*:\s*['"`]([^'"`]+)['"`]/.exec(text);
  return joinPathFragments(appRoot, match ? match[1] : 'dist');
}

/** Angular's application builder writes browser files to <outputPath>/browser. */
export function angularOutDir(tree: Tree, appRoot: string, project: ProjectConfiguration, packageName?: string): string {
  const fromTarget = project.targets?.build?.options?.outputPath as string | { base?: string } | undefined;
  let base = typeof fromTarget === 'string' ? fromTarget : fromTarget?.base;
  if (!base && tree.exists(joinPathFragments(appRoot, 'angular.json'))) {
    const angular = JSON.parse(tree.read(joinPathFragments(appRoot, 'angular.json'), 'utf-8') ?? '{}') as {
      projects?: Record<string, { architect?: { build?: { options?: { outputPath?: string | { base?: string } } } } }>;
    };
    const first = Object.values(angular.projects ?? {})[0];
    const outputPath = first?.architect?.build?.options?.outputPath;
    base = outputPath === undefined ? undefined : joinPathFragments(appRoot, typeof outputPath === 'string' ? outputPath : outputPath.base ?? 'dist');
  }
  return joinPathFragments(base ?? joinPathFragments(appRoot, 'dist', packageName ?? 'app'), 'browser');
}

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

/** Workspace packages an app depends on (through package.json dependencies), transitively. */
export function workspaceDependencies(tree: Tree, appRoot: string, members: Map<string, string>): string[] {
  const found = new Set<string>();
  const visit = (dir: string): void => {
    const pkg = readPackageJson(tree, joinPathFragments(dir, 'package.json'));
    for (const name of Object.keys({ ...pkg?.dependencies, ...pkg?.devDependencies })) {
      const member = members.get(name);
      if (member && member !== appRoot && !found.has(member)) {
        found.add(member);
        visit(member);
      }
    }
  };
  visit(appRoot);
  return [...found].sort();
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
