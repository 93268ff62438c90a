import { joinPathFragments, ProjectConfiguration, Tree } from '@nx/devkit';
import { readPackageJson } from '../../lib/nx/workspace-packages';

export type Framework = 'vite' | 'angular' | 'next';

export function detectFramework(tree: Tree, project: ProjectConfiguration): Framework | undefined {
  const root = project.root;
  const executor = project.targets?.build?.executor ?? '';
  if (/@angular|@nx\/angular/.test(executor) || tree.exists(joinPathFragments(root, 'angular.json'))) return 'angular';
  const pkg = readPackageJson(tree, joinPathFragments(root, 'package.json'));
  const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
  // Before Vite: a Next.js app may have a vite.config for its tests (Vitest).
  if (nextConfigFile(tree, root) !== undefined || /@nx\/next/.test(executor) || 'next' in deps) return 'next';
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

/** The app's next.config.* file name, if it has one. */
export function nextConfigFile(tree: Tree, appRoot: string): string | undefined {
  return tree.children(appRoot).find((name) => /^next\.config\.[cm]?[jt]s$/.test(name));
}
