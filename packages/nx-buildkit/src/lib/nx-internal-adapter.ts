/**
 * The one module that imports `@nx/devkit/internal`. Nx's own plugins cache inferred targets with these, but they are
 * not part of `@nx/devkit`'s public API (Nx 24): when Nx changes them, this file is the only one to adapt.
 */
import type { CreateNodes, ProjectGraph, Tree } from '@nx/devkit';
import { addPlugin, findMatchingProjects, getLatestCommitSha, PluginCache, workspaceDataDirectory } from '@nx/devkit/internal';

/** Where Nx keeps per-workspace data such as the project graph cache (`.nx/workspace-data` by default). */
export const nxWorkspaceDataDirectory: string = workspaceDataDirectory;

/** A JSON-serializable key → value cache stored in one file, bounded in size by Nx (oldest entries are evicted). */
export interface PersistentCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  /** Writes the cache file; a failed write removes it instead of leaving a corrupt one, and never throws. */
  save(): void;
}

export function openPersistentCache<T>(cacheFile: string): PersistentCache<T> {
  const cache = new PluginCache<T>(cacheFile);
  return {
    get: (key) => cache.get(key),
    set: (key, value) => cache.set(key, value),
    save: () => cache.writeToDisk(),
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
  await addPlugin(tree, graph, pluginName, createNodes, candidates, false);
}

/** The projects that Nx's project patterns (`apps/*`, `api`, `tag:images`, `!web`) select, as nx release matches groups. */
export function findProjectsMatching(patterns: readonly string[], graph: ProjectGraph): string[] {
  return findMatchingProjects([...patterns], graph.nodes);
}

/** HEAD's full sha, as nx release and @nx/docker read it for `{commitSha}` and `{shortCommitSha}`; undefined outside git. */
export function latestCommitSha(): string | undefined {
  return getLatestCommitSha() ?? undefined;
}
