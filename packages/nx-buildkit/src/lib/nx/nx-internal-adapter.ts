/**
 * The one module that reaches into Nx beyond `@nx/devkit`'s public API. Nx's own plugins use these (inferred-target
 * caches, pruning for deployable outputs, release matching), but where they live differs by major, measured on each:
 * - Nx 23 and 24 export all of them from `@nx/devkit/internal`.
 * - Nx 21 and 22 export almost nothing there (21: `signalToCode`; 22: also `PluginCache`); the same functions live in
 *   nx's own modules (`nx/src/...`, which both majors let a package require) and `addPlugin` in
 *   `@nx/devkit/src/utils/add-plugin`. Nx 21 has no `PluginCache`: a small JSON-file cache stands in for it.
 * The path is chosen once, by what the installed `@nx/devkit/internal` provides, so an Nx that moves a function
 * again fails here with the name of what is missing, not somewhere deep in a build.
 */
import type { CreateNodes, ProjectGraph, Tree } from '@nx/devkit';
import type * as Devkit from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join as joinPath, resolve as resolvePath } from 'node:path';
import { writeFileAtomically } from '../atomic-file';
import { describePruneFailure } from '../pruned-deps/prune-failure';

/** What the plugin takes from Nx's internals, with the signatures all supported majors share. */
export interface NxInternals {
  /** Which code path supplied them, for messages and tests. */
  readonly source: '@nx/devkit/internal' | 'nx/src';
  readonly workspaceDataDirectory: string;
  readonly PluginCache?: new <T>(cachePath: string) => { get(key: string): T | undefined; set(key: string, value: T): void; writeToDisk(cachePath?: string): void };
  addPlugin<Options>(tree: Tree, graph: ProjectGraph, pluginName: string, createNodes: CreateNodes<Options>, options: Partial<Record<keyof Options, Array<Options[keyof Options]>>>, shouldUpdatePackageJsonScripts: boolean): Promise<void>;
  createPackageJson(projectName: string, graph: ProjectGraph, options: { root?: string; isProduction?: boolean }, fileMap?: unknown): Record<string, unknown>;
  createLockFile(packageJson: Record<string, unknown>, graph: ProjectGraph, packageManager: 'npm' | 'pnpm' | 'yarn'): string;
  getLockFileName(packageManager: 'npm' | 'pnpm' | 'yarn'): string;
  readFileMapCache(): { fileMap?: { projectFileMap?: unknown } } | null;
  findMatchingProjects(patterns: string[], projects: ProjectGraph['nodes']): string[];
  getLatestCommitSha(): string | null;
}

let loaded: NxInternals | undefined;

/** Nx's internals for the installed major, loaded on first use (generators and executors need only some). */
export function nxInternals(): NxInternals {
  loaded ??= loadNxInternals((id) => require(id));
  return loaded;
}

/**
 * Picks the code path for the installed Nx. `load` is `require` in the plugin; a spec passes its own to check both
 * paths against the Nx this repository installs (24 provides both).
 */
export function loadNxInternals(load: (id: string) => Record<string, unknown>, path: 'auto' | NxInternals['source'] = 'auto'): NxInternals {
  const internal = load('@nx/devkit/internal');
  if (path === '@nx/devkit/internal' || (path === 'auto' && typeof internal.createLockFile === 'function')) {
    return pick('@nx/devkit/internal', internal as Record<string, never>, internal.PluginCache);
  }
  const from = (id: string) => load(id) as Record<string, never>;
  const lockFile = from('nx/src/plugins/js/lock-file/lock-file');
  return pick(
    'nx/src',
    {
      ...from('nx/src/utils/cache-directory'),
      ...from('nx/src/plugins/js/package-json/create-package-json'),
      ...from('nx/src/project-graph/nx-deps-cache'),
      ...from('nx/src/utils/find-matching-projects'),
      ...from('nx/src/utils/git-utils'),
      createLockFile: lockFile.createLockFile,
      getLockFileName: lockFile.getLockFileName,
      // Loaded when init needs it: generators alone use it, and Nx 23+ no longer lets a package require this path.
      addPlugin: ((...args: unknown[]) => (from('@nx/devkit/src/utils/add-plugin').addPlugin as (...args: unknown[]) => Promise<void>)(...args)) as never,
    },
    // Nx 22 has PluginCache (also in @nx/devkit/internal); Nx 21 has none.
    internal.PluginCache,
  );
}

function pick(source: NxInternals['source'], found: Record<string, never>, pluginCache: unknown): NxInternals {
  const names = ['workspaceDataDirectory', 'addPlugin', 'createPackageJson', 'createLockFile', 'getLockFileName', 'readFileMapCache', 'findMatchingProjects', 'getLatestCommitSha'] as const;
  const missing = names.filter((name) => found[name] === undefined);
  if (missing.length) {
    throw new Error(`nx-buildkit could not find ${missing.join(', ')} in this Nx (looked in ${source}): report this with your nx and @nx/devkit versions.`);
  }
  const internals = Object.fromEntries(names.map((name) => [name, found[name]])) as unknown as Omit<NxInternals, 'source' | 'PluginCache'>;
  return { ...internals, source, PluginCache: typeof pluginCache === 'function' ? (pluginCache as NxInternals['PluginCache']) : undefined };
}

/**
 * What inference (createNodes) takes from Nx. Nx runs each plugin in a worker process of its own, on every command
 * (with the daemon off, as on CI), and that worker has loaded these modules of Nx's before it loads the plugin: taken
 * from there they cost nothing, while `@nx/devkit` or `@nx/devkit/internal` loads 230–250 more of Nx's modules —
 * 175–320 ms of CPU time in every worker, measured on Nx 24.0.6 (scripts/bench/probes/plugin-worker-cost.mjs).
 * Where a major keeps one elsewhere, @nx/devkit (and /internal for the cache) provide them as before.
 */
export interface NxInference {
  readonly createNodesFromFiles: typeof Devkit.createNodesFromFiles;
  readonly logger: Pick<typeof Devkit.logger, 'warn'>;
  /** Nx's JSON parser, which accepts the comments and trailing commas Nx allows in project.json. */
  readonly parseJson: typeof Devkit.parseJson;
  /** Where Nx keeps per-workspace data such as the project graph cache (`.nx/workspace-data` by default). */
  readonly workspaceDataDirectory: string;
  readonly PluginCache?: NxInternals['PluginCache'];
}

let inference: NxInference | undefined;

export function nxInference(): NxInference {
  inference ??= loadNxInference((id) => require(id), nxInternals);
  return inference;
}

/**
 * `load` is `require` in the plugin; `devkitInternals` (nxInternals, which loads @nx/devkit/internal) is asked only for
 * what Nx's own modules do not have: the data directory, or a PluginCache (Nx 22 has one only there, Nx 21 none).
 */
export function loadNxInference(load: (id: string) => Record<string, unknown>, devkitInternals: () => Pick<NxInternals, 'workspaceDataDirectory' | 'PluginCache'>): NxInference {
  const optional = (id: string, name: string): unknown => {
    try {
      return load(id)[name];
    } catch {
      return undefined;
    }
  };
  const found = {
    createNodesFromFiles: optional('nx/src/project-graph/plugins/utils', 'createNodesFromFiles'),
    logger: optional('nx/src/utils/logger', 'logger'),
    parseJson: optional('nx/src/utils/json', 'parseJson'),
    workspaceDataDirectory: optional('nx/src/utils/cache-directory', 'workspaceDataDirectory'),
  };
  const devkit = Object.values(found).some((value) => value === undefined) ? (load('@nx/devkit') as unknown as typeof Devkit) : undefined;
  const ownCache = optional('nx/src/utils/plugin-cache-utils', 'PluginCache');
  return {
    createNodesFromFiles: (found.createNodesFromFiles ?? devkit?.createNodesFromFiles) as NxInference['createNodesFromFiles'],
    logger: (found.logger ?? devkit?.logger) as NxInference['logger'],
    parseJson: (found.parseJson ?? devkit?.parseJson) as NxInference['parseJson'],
    workspaceDataDirectory: (found.workspaceDataDirectory as string | undefined) ?? devkitInternals().workspaceDataDirectory,
    PluginCache: typeof ownCache === 'function' ? (ownCache as NxInternals['PluginCache']) : devkitInternals().PluginCache,
  };
}

/** Where Nx keeps per-workspace data such as the project graph cache (`.nx/workspace-data` by default). */
export function nxWorkspaceDataDirectory(): string {
  return nxInference().workspaceDataDirectory;
}

/** A JSON-serializable key → value cache stored in one file, bounded in size by Nx (oldest entries are evicted). */
export interface PersistentCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  /** Writes the cache file; a failed write removes it instead of leaving a corrupt one, and never throws. */
  save(): void;
}

export function openPersistentCache<T>(cacheFile: string): PersistentCache<T> {
  const { PluginCache } = nxInference();
  if (!PluginCache) return openJsonFileCache<T>(cacheFile);
  const cache = new PluginCache<T>(cacheFile);
  return {
    get: (key) => cache.get(key),
    set: (key, value) => cache.set(key, value),
    save: () => {
      try {
        // Nx 22's writeToDisk takes the path; 23 and later write where the cache was opened and take none.
        cache.writeToDisk(cacheFile);
      } catch {
        // The cache only saves work: a failed write costs a recomputation next time.
      }
    },
  };
}

/**
 * Nx 21's stand-in for PluginCache: the whole map in one JSON file, as Nx 21's own plugins kept their target caches.
 * Bounded like Nx's (oldest entries go first), since every changed options hash adds an entry.
 */
const JSON_CACHE_MAX_ENTRIES = 500;

function openJsonFileCache<T>(cacheFile: string): PersistentCache<T> {
  const entries = new Map<string, T>();
  try {
    if (existsSync(cacheFile)) {
      const parsed = JSON.parse(readFileSync(cacheFile, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) for (const [key, value] of Object.entries(parsed)) entries.set(key, value as T);
    }
  } catch {
    // A cache that does not parse is an empty cache: the targets are computed again.
  }
  return {
    get: (key) => entries.get(key),
    set: (key, value) => {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > JSON_CACHE_MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    },
    save: () => {
      try {
        writeFileAtomically(cacheFile, JSON.stringify(Object.fromEntries(entries)));
      } catch {
        // The cache only saves work: a failed write costs a recomputation next time.
      }
    },
  };
}

/**
 * Registers a plugin as Nx's own `init` generators do: the first combination of option values whose inferred targets
 * collide with no target the projects already have (a project's own `docker-build` would otherwise replace the
 * inferred one). Throws when every combination collides.
 */
export async function addPluginWithoutCollisions<Options>(
  tree: Tree,
  graph: ProjectGraph,
  pluginName: string,
  createNodes: CreateNodes<Options>,
  candidates: Partial<Record<keyof Options, Array<Options[keyof Options]>>>,
): Promise<void> {
  await nxInternals().addPlugin(tree, graph, pluginName, createNodes, candidates, false);
}

/**
 * The app's manifest and lockfile as Nx's own pruning writes them for a deployable output (@nx/js `generatePackageJson`,
 * `createPackageJson` + `createLockFile`): its dependencies and those of the workspace libraries it uses, pinned to
 * the versions the root lockfile resolved. Nx reads the lockfile at its workspace root, which it fixes when first
 * loaded (from the working directory), so a different root is refused rather than pruned from the wrong lockfile.
 * When pruning fails, Nx prints an error and returns the whole root lockfile (measured, Nx 24.0.6: a version nested
 * under another app's node_modules, "could not be mapped to the NPM lockfile"): that is thrown here instead, with
 * Nx's words, as an install from it would bust on every dependency change of any app.
 */
export function pruneWithNx(
  projectName: string,
  graph: ProjectGraph,
  workspaceRoot: string,
  packageManager: 'npm' | 'pnpm' | 'yarn',
  /** Corrects Nx's manifest before the lockfile is pruned for it (the lockfile's root entry follows the manifest). */
  adjustManifest: (manifest: Record<string, unknown>) => Record<string, unknown> = (manifest) => manifest,
): { manifest: Record<string, unknown>; lockfile: string } {
  // Loaded here, not with the module: inference, which loads this module too, needs none of @nx/devkit (nxInference).
  const nxWorkspaceRoot = (require('@nx/devkit') as typeof Devkit).workspaceRoot;
  if (resolvePath(nxWorkspaceRoot) !== resolvePath(workspaceRoot)) {
    throw new Error(`Nx's workspace root is "${nxWorkspaceRoot}", not "${workspaceRoot}": run the task from the workspace root (nx run ${projectName}:…) so that the lockfile Nx prunes is this workspace's.`);
  }
  const { getLockFileName, createPackageJson, createLockFile, readFileMapCache } = nxInternals();
  const lockfileName = getLockFileName(packageManager);
  const rootLockfile = readFileSync(joinPath(workspaceRoot, lockfileName), 'utf8');
  const manifest = adjustManifest(createPackageJson(projectName, graph, { root: workspaceRoot, isProduction: false }, readFileMapCache()?.fileMap?.projectFileMap));
  // Nx reports a failed prune only on stderr; it is captured to name the package in the error. createLockFile is
  // synchronous, so nothing else writes to stderr meanwhile.
  const reported: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    reported.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  let lockfile: string;
  try {
    lockfile = createLockFile(manifest, graph, packageManager);
  } finally {
    process.stderr.write = write;
  }
  const failure = describePruneFailure(reported.join(''));
  // Anything else Nx said (a warning) is passed on as it was.
  if (failure === undefined && reported.length) write.call(process.stderr, reported.join(''));
  if (lockfile === rootLockfile || failure !== undefined) {
    throw new Error(`Nx could not prune ${lockfileName} for project "${projectName}"${failure ? `: ${failure}` : ''}. Without a pruned lockfile every dependency change of any app would rebuild its image; run "${packageManager} install" at the workspace root (a version nested under another app's node_modules is often the cause: align it), or remove "COPY --from=deps" from the Dockerfile to install from the root manifests.`);
  }
  return { manifest, lockfile };
}

/** YAML as Nx reads and writes pnpm lockfiles (its own copy of pnpm's js-yaml fork, with pnpm's lockfile format). */
export function parseNxYaml<T>(text: string): T {
  return nxYaml().load(text) as T;
}

export function stringifyPnpmLockfileYaml(value: unknown): string {
  return nxYaml().dump(value, { blankLines: true, lineWidth: -1, noCompatMode: true, noRefs: true, sortKeys: false });
}

function nxYaml(): { load(text: string): unknown; dump(value: unknown, options: Record<string, unknown>): string } {
  return createRequire(require.resolve('nx/package.json'))('@zkochan/js-yaml');
}

/** The projects that Nx's project patterns (`apps/*`, `api`, `tag:images`, `!web`) select, as nx release matches groups. */
export function findProjectsMatching(patterns: readonly string[], graph: ProjectGraph): string[] {
  return nxInternals().findMatchingProjects([...patterns], graph.nodes);
}

/** HEAD's full sha, as nx release and @nx/docker read it for `{commitSha}` and `{shortCommitSha}`; undefined outside git. */
export function latestCommitSha(): string | undefined {
  return nxInternals().getLatestCommitSha() ?? undefined;
}
