// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { createProjectGraphAsync, workspaceRoot, formatFiles, ProjectGraph, GeneratorCallback, logger, readNxJson, Tree, updateNxJson, visitNotIgnoredFiles } from '@nx/devkit';
import { posix } from 'node:path';
import { compilePatterns, isExcluded, parseIgnoreFile } from '../../lib/context/dockerignore';
import { filesUsedAfterCopy } from '../../lib/files-used-after-copy';
import { CopiedPath, copiedPaths, DEFAULT_IGNORE_PATTERNS, describeCopiedPath, planIgnoreFile } from '../../lib/context/ignore-file-content';
import { addPluginWithoutCollisions } from '../../lib/nx/nx-internal-adapter';
import { addPluginEntryToText } from '../../lib/nx/nx-json-text';
import { batchModeHint, findInstalledNx, majorOf } from '../../lib/nx/supported-nx';
import { createNodes } from '../../plugins/plugin';
import { findTargetCollisions } from '../../plugins/target-collisions';
import type { NxBuildkitPluginOptions } from '../../plugins/plugin';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = 'nx-buildkit';
/** Where the build executor writes its records (workspace-relative); kept out of git. */
export const RECORD_DIR = 'dist/docker';

export async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<GeneratorCallback> {
  const nxJsonBefore = tree.exists('nx.json') && !isRegistered(tree) ? tree.read('nx.json', 'utf-8') ?? undefined : undefined;
  await registerPluginWithFreeTargetNames(tree);
  writeRootDockerignore(tree);
  ignoreRecords(tree);
  const hint = batchModeHint(majorOf(findInstalledNx().nx));
  if (hint) logger.info(hint);
  if (!options.skipFormat) await formatFiles(tree);
  // After formatting: nx.json gets the plugin entry and nothing else, in the file's own layout, prettier or not.
  if (nxJsonBefore !== undefined) keepNxJsonLayout(tree, nxJsonBefore);
  return () => undefined;
}

/** Rewrites nx.json as its earlier text plus the plugin entry registration added (Nx's writer re-serializes it all). */
function keepNxJsonLayout(tree: Tree, before: string): void {
  const entry = (readNxJson(tree)?.plugins ?? []).find((plugin) => (typeof plugin === 'string' ? plugin : plugin.plugin) === PLUGIN_NAME);
  if (entry === undefined) return;
  const edited = addPluginEntryToText(before, entry);
  if (edited !== undefined) tree.write('nx.json', edited);
  const options = (typeof entry === 'string' ? {} : entry.options ?? {}) as NxBuildkitPluginOptions;
  logger.info(
    `nx-buildkit: added to nx.json's plugins; each project with a Dockerfile gets the targets "${options.targetName ?? 'docker-build'}" and "${String(options.lintTargetName ?? 'docker-lint')}" (see nx show project <name>).`,
  );
}

/**
 * Target names tried in order, as Nx's own plugins offer them (@nx/docker: docker:build): the first combination no
 * project already uses is written to nx.json.
 */
const TARGET_NAME_CANDIDATES: Partial<Record<keyof NxBuildkitPluginOptions, string[]>> = {
  targetName: ['docker-build', 'docker:build', 'build-docker', 'nxb-docker-build'],
  lintTargetName: ['docker-lint', 'docker:lint', 'lint-docker', 'nxb-docker-lint'],
};

/**
 * Registers the plugin with target names no project uses yet (a project's own `docker-build` would silently replace
 * the inferred one), and says which names it chose when they are not the defaults. Where the project graph cannot
 * be built (a workspace whose other plugins fail), the defaults are registered and the collision check is left to
 * the plugin, which reports collisions when it runs.
 */
async function registerPluginWithFreeTargetNames(tree: Tree): Promise<void> {
  if (isRegistered(tree)) return;
  // A tree that is not this workspace on disk (a generator's unit test): Nx's check reads the files from disk.
  if (tree.root !== workspaceRoot) return registerPlugin(tree);
  let graph;
  try {
    graph = await createProjectGraphAsync({ exitOnError: false });
  } catch {
    registerPlugin(tree);
    return;
  }
  // A project's own docker-build that runs nx-buildkit:build only configures the inferred target: no collision. Nx's
  // addPlugin counts every same-named target, so it is asked only when some project's target would replace ours.
  if (!replacesInferredTarget(graph)) return registerPlugin(tree);
  try {
    await addPluginWithoutCollisions<NxBuildkitPluginOptions>(tree, graph, PLUGIN_NAME, createNodes, TARGET_NAME_CANDIDATES);
  } catch (error) {
    throw new Error(
      `Every target name nx-buildkit tries (${TARGET_NAME_CANDIDATES.targetName?.join(', ')}) is already used by a project. Add { "plugin": "nx-buildkit", "options": { "targetName": "<a free name>" } } to nx.json's plugins by hand. (${(error as Error).message})`,
    );
  }
  const nxJson = readNxJson(tree) ?? {};
  const entry = (nxJson.plugins ?? []).find((plugin) => typeof plugin !== 'string' && plugin.plugin === PLUGIN_NAME);
  const chosen = (typeof entry === 'object' ? entry.options : undefined) as NxBuildkitPluginOptions | undefined;
  if (chosen?.targetName === 'docker-build' && chosen.lintTargetName === 'docker-lint') {
    // The defaults: registered by name only, as a user would write it.
    nxJson.plugins = (nxJson.plugins ?? []).map((plugin) => (plugin === entry ? PLUGIN_NAME : plugin));
    updateNxJson(tree, nxJson);
    return;
  }
  if (chosen?.targetName !== undefined && chosen.targetName !== 'docker-build') {
    logger.info(`nx-buildkit: some projects already have a "docker-build" target, so the inferred targets are named "${chosen.targetName}" and "${String(chosen.lintTargetName)}" (nx.json plugins options).`);
  } else if (chosen?.lintTargetName !== undefined && chosen.lintTargetName !== 'docker-lint') {
    logger.info(`nx-buildkit: some projects already have a "docker-lint" target, so the inferred lint targets are named "${String(chosen.lintTargetName)}" (nx.json plugins options).`);
  }
}

function replacesInferredTarget(graph: ProjectGraph): boolean {
  const defaults = [TARGET_NAME_CANDIDATES.targetName?.[0], TARGET_NAME_CANDIDATES.lintTargetName?.[0]].filter((name): name is string => name !== undefined);
  // The plugin's own test of what counts as replacing an inferred target, on the targets Nx already sees.
  return findTargetCollisions(Object.values(graph.nodes).map((node) => ({ project: node.name, inferred: defaults, targets: node.data.targets }))).size > 0;
}

function isRegistered(tree: Tree): boolean {
  const plugins = readNxJson(tree)?.plugins ?? [];
  return plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN_NAME);
}

/** Adds the plugin to nx.json once, whether it is listed as a string or as `{ plugin, options }`. */
export function registerPlugin(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN_NAME);
  if (registered) return;
  nxJson.plugins = [...plugins, PLUGIN_NAME];
  updateNxJson(tree, nxJson);
}

/**
 * The workspace-root ignore file applies to every build whose context is the workspace root. It is written from the
 * workspace's Dockerfiles: a rule that would exclude a path one of them copies (`dist` for `COPY dist/apps/server`),
 * or a file inside a copied folder that a later instruction uses (`RUN cp src/.env.test …`), is left out and the
 * reason printed. An existing file is kept, with a warning for each such path it excludes.
 */
function writeRootDockerignore(tree: Tree): void {
  const existing = tree.exists('.dockerignore') ? compilePatterns(parseIgnoreFile(tree.read('.dockerignore', 'utf-8') ?? '')) : undefined;
  const rules = existing ? [existing] : DEFAULT_IGNORE_PATTERNS.map((pattern) => compilePatterns(parseIgnoreFile(pattern)));
  const { dockerfiles, excludedFiles } = readWorkspace(tree, (path) => rules.some((rule) => isExcluded(rule, path)));
  const copied: CopiedPath[] = dockerfiles.flatMap(({ path, text }) => [...copiedPaths(path, text), ...filesUsedAfterCopy(path, text, excludedFiles)]);
  if (existing) {
    for (const copy of copied.filter((copy) => isExcluded(existing, copy.path))) {
      logger.warn(`nx-buildkit: the existing .dockerignore excludes ${copy.path}, which ${copy.by} ${copy.how ?? 'copies'}${copy.why ? ` (${copy.why})` : ''}: a build with the workspace root as context fails there. Remove or narrow that rule.`);
    }
    return;
  }
  const plan = planIgnoreFile(
    ['Written by nx-buildkit: keeps host-installed dependencies, VCS data, build output and secrets out of', 'Docker build contexts rooted at the workspace.'],
    DEFAULT_IGNORE_PATTERNS,
    copied,
  );
  tree.write('.dockerignore', plan.text);
  logger.info(`nx-buildkit: wrote .dockerignore for builds whose context is the workspace root: it leaves out ${plan.kept.join(', ')}.`);
  for (const { pattern, copied: copy } of plan.leftOut) logger.info(`nx-buildkit: no "${pattern}" rule in .dockerignore: ${describeCopiedPath(copy)}.`);
}

/** A Dockerfile's name: Dockerfile, Dockerfile.<variant>, <name>.Dockerfile (any case), not an ignore file. */
const DOCKERFILE_NAME = /^(dockerfile(\..+)?|.+\.dockerfile)$/i;

/**
 * In one walk of the workspace (git-ignored folders left out): every Dockerfile the root .dockerignore can apply to
 * (those without a `<Dockerfile>.dockerignore` beside them, which BuildKit reads instead), and the files an ignore
 * rule would exclude.
 */
function readWorkspace(tree: Tree, excluded: (path: string) => boolean): { dockerfiles: Array<{ path: string; text: string }>; excludedFiles: string[] } {
  const dockerfiles: Array<{ path: string; text: string }> = [];
  const excludedFiles: string[] = [];
  visitNotIgnoredFiles(tree, '.', (path) => {
    if (excluded(path)) excludedFiles.push(path);
    const name = posix.basename(path);
    if (!DOCKERFILE_NAME.test(name) || name.toLowerCase().endsWith('.dockerignore') || tree.exists(`${path}.dockerignore`)) return;
    dockerfiles.push({ path, text: tree.read(path, 'utf-8') ?? '' });
  });
  return { dockerfiles, excludedFiles };
}

function ignoreRecords(tree: Tree): void {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8') ?? '' : '';
  const lines = current.split(/\r?\n/).map((line) => line.trim());
  const covered = lines.some((line) => ['dist', 'dist/', '/dist', '/dist/', RECORD_DIR, `/${RECORD_DIR}`, `${RECORD_DIR}/`, `/${RECORD_DIR}/`].includes(line));
  if (covered) return;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  tree.write('.gitignore', `${current}${separator}\n# nx-buildkit build records\n/${RECORD_DIR}\n`);
}

export default initGenerator;
