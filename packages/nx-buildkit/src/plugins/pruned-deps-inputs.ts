import type { TargetConfiguration } from '@nx/devkit';
import { posix } from 'node:path';
import type { ManifestJson } from '../lib/pruned-deps/layout';
import { WorkspacePackage, workspaceLibrariesOf } from '../lib/pruned-deps/workspace-libraries';
import type { WorkspaceFiles } from './workspace-files';

type TargetInput = NonNullable<TargetConfiguration['inputs']>[number];

/**
 * The Nx inputs of an image that installs from its pruned manifest and lockfile (`COPY --from=deps`): the app's
 * package.json, its workspace libraries' package.json files, and, instead of the root lockfile (which changes with
 * every dependency of every app), the npm packages the pruned lockfile holds, as `externalDependencies`: Nx hashes
 * each with the versions of its own dependencies, so `nx affected` selects the image when one of them moves and not
 * when another app's does.
 */
export function prunedDepsInputs(projectRoot: string, otherProjectRoots: readonly string[], files: WorkspaceFiles): TargetInput[] {
  const app = readManifest(files, posix.join(projectRoot, 'package.json'));
  if (!app) return [];
  const packages = new Map<string, WorkspacePackage>();
  for (const root of otherProjectRoots) {
    const manifest = readManifest(files, posix.join(root, 'package.json'));
    if (manifest?.name) packages.set(manifest.name, { name: manifest.name, root, manifest });
  }
  const libraries = workspaceLibrariesOf(app, packages);
  const externals = new Set<string>();
  const add = (section: Record<string, string> | undefined) => {
    for (const name of Object.keys(section ?? {})) if (!packages.has(name) && name !== app.name) externals.add(name);
  };
  for (const section of [app.dependencies, app.devDependencies, app.optionalDependencies]) add(section);
  for (const lib of libraries) for (const section of [lib.manifest.dependencies, lib.manifest.optionalDependencies]) add(section);

  const inputs: TargetInput[] = ['{projectRoot}/package.json', ...libraries.map((lib) => `{workspaceRoot}/${posix.join(lib.root, 'package.json')}`)];
  // Yarn 2+ installs with the workspace's .yarnrc.yml, which the pruned folder carries.
  if (files.exists('.yarnrc.yml')) inputs.push('{workspaceRoot}/.yarnrc.yml');
  if (externals.size) inputs.push({ externalDependencies: [...externals].sort() });
  return inputs;
}

function readManifest(files: WorkspaceFiles, path: string): ManifestJson | undefined {
  const text = files.readText(path);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ManifestJson) : undefined;
  } catch {
    return undefined;
  }
}
