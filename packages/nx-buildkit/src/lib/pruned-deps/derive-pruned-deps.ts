import type { ProjectGraph } from '@nx/devkit';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserFacingError, describeError } from '../errors';
import { parseNxYaml, pruneWithNx, stringifyPnpmLockfileYaml } from '../nx/nx-internal-adapter';
import { detectPackageManager } from '../package-manager';
import { libraryInstallManifest, ManifestJson, withLibraryWorkspaces, withoutDevDependencies, withOwnSections, workspaceModulePath } from './layout';
import { linkWorkspaceLibraries, PnpmLockfile, pnpmWorkspaceYaml } from './pnpm-lockfile';
import { WorkspacePackage, workspaceLibrariesOf } from './workspace-libraries';
import { addYarnWorkspaceEntries, isYarnBerryLockfile } from './yarn-berry-lockfile';

export interface PrunedDepsRequest {
  readonly workspaceRoot: string;
  readonly projectName: string;
  readonly graph: ProjectGraph;
  /** Absolute folder to (re)write; handed to BuildKit as the `deps` named context. */
  readonly outDir: string;
  /** The image installs production dependencies only (installsProductionOnly): devDependencies are pruned away. */
  readonly productionOnly?: boolean;
}

export interface PrunedDeps {
  readonly dir: string;
  /** The workspace libraries installed with the app, by package name. */
  readonly libraries: readonly string[];
}

/**
 * Writes the app's own manifest and a pruned lockfile (its dependencies and its workspace libraries', transitively)
 * into a folder of its own, with each library's manifest at `workspace_modules/<name>/package.json`: an image
 * installs from that, so a dependency change of another app changes neither its install layer nor its inputs hash.
 */
export function derivePrunedDeps(request: PrunedDepsRequest): PrunedDeps {
  const { workspaceRoot, projectName, graph, outDir } = request;
  const pm = detectPackageManager((file) => existsSync(join(workspaceRoot, file)));
  const rootLockfilePath = join(workspaceRoot, pm.lockfile);
  if (!existsSync(rootLockfilePath)) {
    throw new UserFacingError(`Project "${projectName}" installs from a pruned lockfile (its Dockerfile copies --from=deps), but the workspace root has no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock). Run your package manager's install at the workspace root.`);
  }
  const appManifestPath = join(workspaceRoot, graph.nodes[projectName]?.data.root ?? '', 'package.json');
  const own = existsSync(appManifestPath) ? (JSON.parse(readFileSync(appManifestPath, 'utf8')) as ManifestJson) : undefined;
  let pruned: { manifest: Record<string, unknown>; lockfile: string };
  try {
    pruned = pruneWithNx(projectName, graph, workspaceRoot, pm.name, (manifest) => {
      const sections = withOwnSections(manifest as ManifestJson, own);
      return request.productionOnly ? withoutDevDependencies(sections) : sections;
    });
  } catch (error) {
    throw new UserFacingError(describeError(error));
  }
  let manifest = pruned.manifest as ManifestJson;
  let lockfile = pruned.lockfile;
  const libraries = workspaceLibrariesOf(manifest, workspacePackages(graph, workspaceRoot, projectName));
  const rootLockfile = readFileSync(rootLockfilePath, 'utf8');
  const extraFiles: Array<{ path: string; content: string | Buffer }> = [];
  try {
    if (pm.name === 'pnpm') {
      const fixed = linkWorkspaceLibraries(parseNxYaml<PnpmLockfile>(lockfile), parseNxYaml<PnpmLockfile>(rootLockfile), manifest, libraries);
      lockfile = stringifyPnpmLockfileYaml(fixed);
      extraFiles.push({ path: 'pnpm-workspace.yaml', content: pnpmWorkspaceYaml(libraries) });
    } else if (pm.name === 'yarn') {
      manifest = withLibraryWorkspaces(manifest, libraries.map((lib) => lib.name));
      if (isYarnBerryLockfile(rootLockfile)) {
        lockfile = addYarnWorkspaceEntries(lockfile, rootLockfile, [manifest, ...libraries.map((lib) => libraryInstallManifest(lib.manifest))], libraries);
        extraFiles.push(...yarnBerryConfig(workspaceRoot));
      }
    }
  } catch (error) {
    throw new UserFacingError(`Cannot install project "${projectName}" from a pruned ${pm.lockfile}: ${describeError(error)}`);
  }

  rmSync(outDir, { recursive: true, force: true });
  const write = (path: string, content: string | Buffer): void => {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  };
  write('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  write(pm.lockfile, lockfile);
  for (const file of extraFiles) write(file.path, file.content);
  for (const lib of libraries) write(`${workspaceModulePath(lib.name)}/package.json`, `${JSON.stringify(libraryInstallManifest(lib.manifest), null, 2)}\n`);
  return { dir: outDir, libraries: libraries.map((lib) => lib.name) };
}

/** The workspace's packages by name, from the project graph's project roots (the app itself left out). */
function workspacePackages(graph: ProjectGraph, workspaceRoot: string, appProject: string): Map<string, WorkspacePackage> {
  const packages = new Map<string, WorkspacePackage>();
  for (const [name, node] of Object.entries(graph.nodes)) {
    if (name === appProject) continue;
    const path = join(workspaceRoot, node.data.root, 'package.json');
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as ManifestJson;
    if (manifest.name) packages.set(manifest.name, { name: manifest.name, root: node.data.root, manifest });
  }
  return packages;
}

/**
 * Yarn 2+ reads its linker and its own release from .yarnrc.yml: without it an image installs Plug'n'Play
 * (`.pnp.cjs`, no node_modules) and `node` finds nothing. The release file `yarnPath` names comes along.
 */
function yarnBerryConfig(workspaceRoot: string): Array<{ path: string; content: Buffer }> {
  const rcPath = join(workspaceRoot, '.yarnrc.yml');
  if (!existsSync(rcPath)) return [];
  const rc = readFileSync(rcPath);
  const files = [{ path: '.yarnrc.yml', content: rc }];
  const yarnPath = /^yarnPath:\s*["']?([^"'\n]+?)["']?\s*$/m.exec(rc.toString('utf8'))?.[1];
  if (yarnPath && existsSync(join(workspaceRoot, yarnPath))) {
    files.push({ path: yarnPath, content: readFileSync(join(workspaceRoot, yarnPath)) });
  }
  return files;
}
