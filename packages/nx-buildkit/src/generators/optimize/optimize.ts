// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { logger, readNxJson, readProjectConfiguration, Tree } from '@nx/devkit';
import type { ProjectConfiguration } from '@nx/devkit';
import { posix } from 'node:path';
import { DEFAULT_DOCKERFILE_NAMES, findDefaultDockerfiles } from '../../lib/image/options/default-dockerfile';
import { buildOutputPaths, BuildTargetConfig, chooseContext, ContextMode, findIgnoreFile } from '../../lib/context';
import { createBuildContext } from '../../lib/dockerfile-analyzer/build-context';
import { listContextReads } from '../../lib/dockerfile';
import { normalizePluginOptions } from '../../plugins/plugin-options';
import { optimizeDockerfile, OptimizeResult } from './optimize-dockerfile';
import type { OptimizeGeneratorSchema } from './schema';
import { treeContextFiles } from './tree-context-files';
import { unifiedDiff } from './unified-diff';
import { BUILD_EXECUTOR } from '../../lib/image/options/build-options';

export interface NormalizedOptimizeOptions {
  readonly project: string;
  /** Workspace-relative. */
  readonly dockerfile: string;
  /** Workspace-relative, `.` for the workspace root. */
  readonly context: string;
  /** The ignore file that applies (workspace-relative), if any. */
  readonly ignoreFile?: string;
}

export function normalizeOptimizeOptions(tree: Tree, options: OptimizeGeneratorSchema): NormalizedOptimizeOptions {
  const config = readProjectConfiguration(tree, options.project);
  const root = config.root || '.';
  let dockerfile: string;
  if (options.dockerfile) {
    dockerfile = posix.normalize(options.dockerfile.replace(/^\.\//, ''));
    if (!tree.isFile(dockerfile)) {
      throw new Error(`Dockerfile "${options.dockerfile}" not found. Pass --dockerfile with a path relative to the workspace root, e.g. --dockerfile=${posix.join(root, 'Dockerfile')}.`);
    }
  } else {
    const found = findDefaultDockerfiles(root, (path) => tree.isFile(path));
    if (found.length === 0) {
      throw new Error(`Project "${options.project}" has no Dockerfile in ${root} (looked for ${DEFAULT_DOCKERFILE_NAMES.join(', ')}). Pass --dockerfile=<path>.`);
    }
    if (found.length > 1) throw new Error(`Project "${options.project}" has several Dockerfiles (${found.join(', ')}). Pass --dockerfile with the one to optimize.`);
    dockerfile = found[0];
  }
  const context = options.context !== undefined ? posix.normalize(options.context.replace(/^\.\//, '')) || '.' : detectContext(tree, options.project, config, dockerfile);
  if (context !== '.' && (!tree.exists(context) || tree.isFile(context))) {
    throw new Error(`Build context "${context}" is not a folder. Pass --context with a folder relative to the workspace root.`);
  }
  const ignoreFile = findIgnoreFile((path) => (tree.isFile(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined), context, dockerfile).path;
  return { project: options.project, dockerfile, context, ignoreFile };
}

/**
 * The context the project builds this Dockerfile with: set on an nx-buildkit:build target, else the one the
 * inferred target chooses (lib/context chooseContext, with the plugin's `context` option and the build's outputs).
 */
function detectContext(tree: Tree, projectName: string, config: ProjectConfiguration, dockerfile: string): string {
  const root = config.root || '.';
  for (const target of Object.values(config.targets ?? {})) {
    if (target.executor !== BUILD_EXECUTOR) continue;
    const targetDockerfile = typeof target.options?.dockerfile === 'string' ? posix.normalize(target.options.dockerfile) : undefined;
    const context = target.options?.context;
    if (typeof context === 'string' && (targetDockerfile === undefined || targetDockerfile === dockerfile)) return posix.normalize(context.replace(/^\{projectRoot\}/, root)) || '.';
  }
  const pluginOptions = pluginOptionsOf(tree);
  const buildTarget = config.targets?.[pluginOptions.buildTargetName];
  const targetDefault: unknown = readNxJson(tree)?.targetDefaults?.[pluginOptions.buildTargetName];
  const defaults = targetDefault && typeof targetDefault === 'object' && !Array.isArray(targetDefault) ? (targetDefault as BuildTargetConfig) : undefined;
  return chooseContext({
    projectRoot: root,
    mode: pluginOptions.context,
    reads: listContextReads(tree.read(dockerfile, 'utf-8') ?? ''),
    buildOutputs: buildOutputPaths({ root, name: projectName }, buildTarget, defaults),
    exists: (path) => tree.exists(path),
  }).context;
}

/** The nx-buildkit entry of nx.json's plugins, normalized (defaults when it is not registered or not valid). */
function pluginOptionsOf(tree: Tree): { context: ContextMode; buildTargetName: string } {
  const entry = (readNxJson(tree)?.plugins ?? []).find((plugin) => (typeof plugin === 'string' ? plugin : plugin.plugin) === 'nx-buildkit');
  try {
    return normalizePluginOptions(typeof entry === 'object' ? entry.options : undefined);
  } catch {
    // Options the plugin itself would reject: optimize goes on with the plugin's defaults.
    return normalizePluginOptions(undefined);
  }
}

export async function optimizeGenerator(tree: Tree, schema: OptimizeGeneratorSchema): Promise<void> {
  const options = normalizeOptimizeOptions(tree, schema);
  const text = tree.read(options.dockerfile, 'utf-8') ?? '';
  const context = createBuildContext(treeContextFiles(tree, options.context), options.ignoreFile ? { path: options.ignoreFile, text: tree.read(options.ignoreFile, 'utf-8') ?? '' } : { text: '' });
  if (context.ignoreError) throw new Error(`Ignore file "${options.ignoreFile}" has an invalid pattern: ${context.ignoreError}. Fix it first: docker build rejects it too.`);
  const result = optimizeDockerfile(text, context);
  for (const line of reportLines(options, result)) logger.info(line);
  if (result.text !== text) {
    tree.write(options.dockerfile, result.text);
    logger.info(unifiedDiff(text, result.text, options.dockerfile));
  }
}

/** What the generator prints: the changes, then what it left alone and why. */
export function reportLines(options: NormalizedOptimizeOptions, result: OptimizeResult): string[] {
  const contextName = options.context === '.' ? 'the workspace root' : options.context;
  const lines = [
    result.changes.length
      ? `nx-buildkit: ${options.dockerfile} (context: ${contextName}) — ${result.changes.length} change${result.changes.length > 1 ? 's' : ''}:`
      : `nx-buildkit: nothing to change in ${options.dockerfile} (context: ${contextName}).`,
    ...result.changes.map((change) => `  - ${change.description}`),
  ];
  if (result.declined.length) {
    lines.push('Left as is (not provably the same image):');
    lines.push(...result.declined.map((declined) => `  - ${options.dockerfile}:${declined.line} ${declined.kind}: ${declined.reason}`));
  }
  return lines;
}

export default optimizeGenerator;
