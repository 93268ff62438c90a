/**
 * The one module that imports `@nx/devkit/internal`. Nx's own plugins cache inferred targets with these, but they are
 * not part of `@nx/devkit`'s public API (Nx 24): when Nx changes them, this file is the only one to adapt.
 */
import type { CreateNodes, ProjectGraph, Tree } from '@nx/devkit';
import { workspaceRoot as nxWorkspaceRoot } from '@nx/devkit';
import { createLockFile, createPackageJson, getLockFileName, readFileMapCache } from '@nx/devkit/internal';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join as joinPath, resolve as resolvePath } from 'node:path';
import { describePruneFailure } from './pruned-deps/prune-failure';
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
  if (resolvePath(nxWorkspaceRoot) !== resolvePath(workspaceRoot)) {
    throw new Error(`Nx's workspace root is "${nxWorkspaceRoot}", not "${workspaceRoot}": run the task from the workspace root (nx run ${projectName}:…) so that the lockfile Nx prunes is this workspace's.`);
  }
  const lockfileName = getLockFileName(packageManager);
  const rootLockfile = readFileSync(joinPath(workspaceRoot, lockfileName), 'utf8');
  const manifest = adjustManifest(createPackageJson(projectName, graph, { root: workspaceRoot, isProduction: false }, readFileMapCache()?.fileMap?.projectFileMap) as unknown as Record<string, unknown>);
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
    lockfile = createLockFile(manifest as never, graph, packageManager);
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
  return findMatchingProjects([...patterns], graph.nodes);
}

/** HEAD's full sha, as nx release and @nx/docker read it for `{commitSha}` and `{shortCommitSha}`; undefined outside git. */
export function latestCommitSha(): string | undefined {
  return getLatestCommitSha() ?? undefined;
}
