import { joinPathFragments, TargetConfiguration, Tree } from '@nx/devkit';

/** The config files @nx/webpack/plugin and @nx/rspack/plugin infer a build from, in the project root. */
const BUNDLER_CONFIGS = ['webpack', 'rspack'].flatMap((tool) => ['js', 'cjs', 'mjs', 'ts', 'cts', 'mts'].map((ext) => `${tool}.config.${ext}`));

/**
 * Whether the project's build writes the app's pruned package.json and lockfile beside its bundle (`generatePackageJson`):
 * set as a target option (@nx/esbuild, @nx/webpack and @nx/rollup executors) or, for a build Nx infers from a webpack or
 * rspack config, in that config (`new NxAppWebpackPlugin({ …, generatePackageJson: true })`, as @nx/node and @nx/nest
 * generate it). Nx writes that lockfile with production dependencies only; the one pruned from the project graph at
 * build time also holds the bundler's devDependencies, whose nested versions Nx's npm pruning can hoist out of step
 * with their dependents (measured, Nx 23.2.1: postcss 8.4.31 from next hoisted where 8.5 is required, npm ci refused).
 */
export function buildEmitsPackageJson(tree: Tree, projectRoot: string, build: TargetConfiguration | undefined): boolean {
  if (!build) return false;
  if (build.options?.generatePackageJson !== undefined) return build.options.generatePackageJson === true;
  const config = BUNDLER_CONFIGS.map((name) => joinPathFragments(projectRoot, name)).find((path) => tree.exists(path));
  return config !== undefined && configEnablesGeneratePackageJson(tree.read(config, 'utf-8') ?? '');
}

/** `generatePackageJson: true` in a config's text, outside line and block comments. */
export function configEnablesGeneratePackageJson(source: string): boolean {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return /\bgeneratePackageJson\s*:\s*true\b/.test(code);
}
