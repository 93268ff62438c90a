import type { CreateNodes, CreateNodesContext, CreateNodesResult, CreateNodesResultArray, TargetConfiguration } from '@nx/devkit';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { nxInference, nxWorkspaceDataDirectory, openPersistentCache, PersistentCache } from '../lib/nx/nx-internal-adapter';
import { listBaseImages } from '../lib/dockerfile';
import { inferDockerBuildProject, InferredProject } from './docker-build-targets';
import { ImageTarget, imageDependencies, producedReferences } from '../lib/image/image-dependencies';
import { normalizePluginOptions, NormalizedPluginOptions, NxBuildkitPluginOptions } from './plugin-options';
import { RELEASE_PUBLISH_TARGET, usesConventionalCommits } from './release-targets';
import { reportTargetCollisions } from './target-collisions';
import { rootDockerfileMessage, rootDockerfilesWithoutProject } from './root-dockerfiles';
import { ObservedFiles, RecordingWorkspaceFiles, stillObserved } from './workspace-files';
import { BUILD_EXECUTOR } from '../lib/image/options/build-options';
import { findInstalledNx, majorOf } from '../lib/nx/supported-nx';

export type { NxBuildkitPluginOptions } from './plugin-options';

/**
 * Every project configuration file. The plugin looks for the Dockerfile names (defaults plus the `dockerfiles`
 * option) in each project root itself: a glob is fixed before options are read, so it could not include the extra names.
 */
const PROJECT_CONFIG_FILES = '{project.json,package.json,**/project.json,**/package.json}';

/**
 * Part of the cache file name: targets cached by another version of the plugin are never reused. CACHE_FORMAT is for
 * changes made without a version bump (a workspace linking the plugin from source).
 */
const CACHE_FORMAT = 5;
const PLUGIN_VERSION = readOwnVersion();

interface CachedProject {
  /** What inference read, and what it found; the entry holds while all of it still does. */
  readonly observed: ObservedFiles;
  readonly project: InferredProject | null;
  /** What linkImageDependencies needs of the project: a cache hit then reads and parses nothing more. */
  readonly links: ImageLinks;
}

interface ImageLinks {
  /** Build target → the images its Dockerfile starts FROM. */
  readonly baseImages: BaseImagesByTarget;
  /** The project's name when inference leaves it to Nx (project.json), read from the files inference observed. */
  readonly projectName: string | null;
}

type BaseImagesByTarget = Readonly<Record<string, readonly string[]>>;

/**
 * Infers `docker-build` targets (nx-buildkit:build) for every project root holding a Dockerfile, with Nx inputs that
 * mirror what the build context sends. Register it in nx.json as `"nx-buildkit"` or
 * `{ "plugin": "nx-buildkit", "options": { … } }` (see NxBuildkitPluginOptions).
 */
export const createNodes: CreateNodes<NxBuildkitPluginOptions> = [
  PROJECT_CONFIG_FILES,
  (configFiles, options, context) => createDockerBuildNodes(configFiles, options, context, { cacheDirectory: nxWorkspaceDataDirectory(), nxMajor: majorOf(findInstalledNx().nx) }),
];

/** createNodes under its earlier name, for Nx versions that read the createNodesV2 export. */
export const createNodesV2 = createNodes;

export interface CreateDockerBuildNodesSettings {
  /** Folder of the targets cache file; no cache when undefined. */
  readonly cacheDirectory?: string;
  /** The installed Nx major, which decides how inputs are written for `nx affected` (affected-folder-globs.ts). */
  readonly nxMajor?: number;
}

export async function createDockerBuildNodes(
  configFiles: readonly string[],
  rawOptions: NxBuildkitPluginOptions | undefined,
  context: CreateNodesContext,
  settings: CreateDockerBuildNodesSettings,
): Promise<CreateNodesResultArray> {
  const options = normalizePluginOptions(rawOptions);
  // As Nx's own plugins: NX_CACHE_PROJECT_GRAPH=false recomputes everything and leaves the cache file alone.
  const cache =
    settings.cacheDirectory !== undefined && process.env.NX_CACHE_PROJECT_GRAPH !== 'false'
      ? openPersistentCache<CachedProject>(join(settings.cacheDirectory, `nx-buildkit-${hashOf([CACHE_FORMAT, PLUGIN_VERSION, settings.nxMajor ?? null, options])}.hash`))
      : undefined;
  const rootsByConfig = projectRootsOf(configFiles);
  const allRoots = [...new Set(rootsByConfig.values())];
  // Inferred target name → the projects whose own target of that name replaces it, reported once below.
  const collisions = new Map<string, string[]>();
  const linksByRoot = new Map<string, ImageLinks>();
  // From Nx's modules the plugin worker has loaded, not @nx/devkit, which costs every nx command 175–320 ms of CPU.
  const { createNodesFromFiles, logger } = nxInference();
  try {
    const results = await createNodesFromFiles(
      (configFile) => {
        const root = rootsByConfig.get(configFile);
        // A package.json beside a project.json: the root is handled once, for the project.json.
        if (root === undefined) return {};
        return nodesFor(root, allRoots, options, context, cache, collisions, linksByRoot, settings.nxMajor);
      },
      configFiles,
      rawOptions,
      context,
    );
    linkImageDependencies(results, linksByRoot);
    reportTargetCollisions(collisions, (message) => logger.warn(message));
    const rootIsProject = results.some(([, result]) => result.projects?.['.'] !== undefined);
    const unbuilt = rootDockerfilesWithoutProject(options, rootIsProject, (name) => existsSync(join(context.workspaceRoot, name)));
    if (unbuilt.length) logger.warn(rootDockerfileMessage(unbuilt));
    return results;
  } finally {
    cache?.save();
  }
}

function nodesFor(
  root: string,
  allRoots: readonly string[],
  options: NormalizedPluginOptions,
  context: CreateNodesContext,
  cache: PersistentCache<CachedProject> | undefined,
  collisions: Map<string, string[]>,
  linksByRoot: Map<string, ImageLinks>,
  nxMajor: number | undefined,
): CreateNodesResult {
  const otherProjectRoots = allRoots.filter((other) => other !== root);
  const nested = otherProjectRoots.filter((other) => root === '.' || other.startsWith(`${root}/`));
  const targetDefaults = context.nxJsonConfiguration.targetDefaults ?? {};
  // The release resolver inferred follows nx.json's specifier source (release-targets.ts).
  const key = hashOf([root, nested, targetDefaults, usesConventionalCommits(context.nxJsonConfiguration)]);

  const cached = cache?.get(key);
  let project: InferredProject | undefined;
  let links: ImageLinks;
  if (cached && stillObserved(context.workspaceRoot, cached.observed)) {
    project = cached.project ?? undefined;
    links = cached.links;
  } else {
    const files = new RecordingWorkspaceFiles(context.workspaceRoot);
    project = inferDockerBuildProject({ projectRoot: root, files, options, nxJson: context.nxJsonConfiguration, otherProjectRoots, nxMajor });
    const readText = (path: string) => files.readText(path);
    links = project ? { baseImages: baseImagesOf(project, readText), projectName: project.name ?? projectNameAt(root, readText) ?? null } : { baseImages: {}, projectName: null };
    cache?.set(key, { observed: files.observed(), project: project ?? null, links });
  }
  if (!project) return {};
  linksByRoot.set(root, links);
  for (const [target, projects] of Object.entries(project.replacedTargets)) collisions.set(target, [...(collisions.get(target) ?? []), ...projects]);
  // A copy of the targets: linking image dependencies replaces entries, and must not change the cached ones.
  return {
    projects: {
      [root]: { root, ...(project.name !== undefined && { name: project.name }), targets: { ...project.targets }, metadata: project.metadata, ...(project.release && { release: project.release }) },
    },
  };
}

/**
 * A build target whose Dockerfile starts FROM another project's image waits for that project's build target: Nx runs
 * them in order (also in batch mode), and the executor hashes the base image by its inputs hash. It reads no file: what
 * it needs of each project was found with its inference (and is cached with it).
 */
function linkImageDependencies(results: CreateNodesResultArray, linksByRoot: ReadonlyMap<string, ImageLinks>): void {
  const targets: (ImageTarget & { config: TargetConfiguration; owner: Record<string, TargetConfiguration> })[] = [];
  for (const [, result] of results) {
    for (const [root, project] of Object.entries(result.projects ?? {})) {
      const name = project.name ?? linksByRoot.get(root)?.projectName;
      if (!name) continue;
      for (const [targetName, config] of Object.entries(project.targets ?? {})) {
        if (config.executor !== BUILD_EXECUTOR || !config.options) continue;
        const consumes = linksByRoot.get(root)?.baseImages[targetName] ?? [];
        targets.push({ project: name, target: targetName, produces: producedReferences(config.options), consumes, config, owner: project.targets as Record<string, TargetConfiguration> });
      }
    }
  }
  const ownerOf = new Map(targets.map((target) => [target.project, target.owner]));
  for (const [target, deps] of imageDependencies(targets)) {
    const { config, owner } = target as (typeof targets)[number];
    owner[target.target] = { ...config, dependsOn: [...(config.dependsOn ?? []), ...deps.map((dep) => ({ projects: [dep.project], target: dep.target }))] };
    // A release publishes the base image first: when it has to build it, the dependent's inputs hash names the new one.
    const publish = owner[RELEASE_PUBLISH_TARGET];
    const upstream = deps.map((dep) => dep.project).filter((project) => project !== target.project && ownerOf.get(project)?.[RELEASE_PUBLISH_TARGET]);
    if (publish && upstream.length) {
      const dependsOn = [...(publish.dependsOn ?? [])];
      const linked = (project: string) => dependsOn.some((dep) => typeof dep === 'object' && dep.target === RELEASE_PUBLISH_TARGET && dep.projects?.includes(project));
      for (const project of upstream) if (!linked(project)) dependsOn.push({ projects: [project], target: RELEASE_PUBLISH_TARGET });
      owner[RELEASE_PUBLISH_TARGET] = { ...publish, dependsOn };
    }
  }
}

/** The images each build target's Dockerfile starts FROM (after ARG defaults and the target's build args). */
function baseImagesOf(project: InferredProject, readText: (path: string) => string | undefined): BaseImagesByTarget {
  const baseImages: Record<string, string[]> = {};
  for (const [targetName, config] of Object.entries(project.targets)) {
    if (config.executor !== BUILD_EXECUTOR || !config.options) continue;
    const dockerfile = typeof config.options.dockerfile === 'string' ? config.options.dockerfile : undefined;
    const text = dockerfile ? readText(dockerfile) : undefined;
    baseImages[targetName] = text ? listBaseImages(text, stringRecord(config.options.buildArgs)).map((base) => base.ref) : [];
  }
  return baseImages;
}

/** The name Nx gives the project at `root`: project.json's, else package.json's nx.name or name. */
function projectNameAt(root: string, readText: (path: string) => string | undefined): string | undefined {
  for (const file of ['project.json', 'package.json']) {
    const text = readText(posix.join(root, file));
    if (!text) continue;
    try {
      const json = JSON.parse(text) as { name?: unknown; nx?: { name?: unknown } };
      const name = file === 'package.json' ? json.nx?.name ?? json.name : json.name;
      if (typeof name === 'string') return name;
    } catch {
      // An unreadable file names no project; Nx reports it itself.
    }
  }
  return undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Project root of each config file to handle; a package.json next to a project.json is left out. */
function projectRootsOf(configFiles: readonly string[]): Map<string, string> {
  const projectJsonRoots = new Set(configFiles.filter((file) => posix.basename(file) === 'project.json').map((file) => posix.dirname(file)));
  const roots = new Map<string, string>();
  for (const file of configFiles) {
    const root = posix.dirname(file);
    if (posix.basename(file) === 'package.json' && projectJsonRoots.has(root)) continue;
    roots.set(file, root);
  }
  return roots;
}

/** This package's version: package.json is two folders up from src/plugins, in the sources and in the package alike. */
function readOwnVersion(): string {
  try {
    return String(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** sha256 of a JSON value with object keys sorted, so equal options give equal hashes. */
function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
