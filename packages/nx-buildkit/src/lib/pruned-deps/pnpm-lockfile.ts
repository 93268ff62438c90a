import { posix } from 'node:path';
import { libraryInstallManifest, ManifestJson, workspaceModulePath } from './layout';
import type { WorkspacePackage } from './workspace-libraries';

interface PnpmDependency {
  specifier: string;
  version: string;
}

type PnpmSection = 'dependencies' | 'devDependencies' | 'optionalDependencies';
type PnpmImporter = Partial<Record<PnpmSection, Record<string, PnpmDependency>>> & { [key: string]: unknown };

export interface PnpmLockfile {
  lockfileVersion: string | number;
  importers?: Record<string, PnpmImporter>;
  packages?: Record<string, unknown>;
  snapshots?: Record<string, unknown>;
  [key: string]: unknown;
}

const SECTIONS: readonly PnpmSection[] = ['dependencies', 'devDependencies', 'optionalDependencies'];

/**
 * Makes Nx's pruned pnpm lockfile a small workspace: the app at `.` and each library an importer of its own at
 * `workspace_modules/<name>`, linked (`link:`) rather than a `file:` directory package.
 *
 * Measured (pnpm 9.15 and 10.34, Nx 24.0.6): Nx writes the library as `file:./workspace_modules/<name>` in the lockfile
 * while the manifest keeps `workspace:*`, so `pnpm install --frozen-lockfile` fails with ERR_PNPM_OUTDATED_LOCKFILE;
 * rewriting the manifest to `file:` (what @nx/js does) installs, but pnpm then copies the library into its store,
 * so its sources must be there before the install and every source change of a library re-runs the install. Linked
 * workspace packages need only their package.json; their sources can come after the install layer.
 */
export function linkWorkspaceLibraries(pruned: PnpmLockfile, root: PnpmLockfile, appManifest: ManifestJson, libraries: readonly WorkspacePackage[]): PnpmLockfile {
  const names = new Set(libraries.map((lib) => lib.name));
  const snapshots = { ...(pruned.snapshots ?? {}) };
  const packages = { ...(pruned.packages ?? {}) };
  for (const name of names) {
    for (const key of Object.keys(packages)) if (key.startsWith(`${name}@file:`)) delete packages[key];
    for (const key of Object.keys(snapshots)) if (key.startsWith(`${name}@file:`)) delete snapshots[key];
  }

  const importers: Record<string, PnpmImporter> = { '.': withLinks(pruned.importers?.['.'] ?? {}, appManifest, '.', names) };
  for (const lib of libraries) {
    const at = workspaceModulePath(lib.name);
    const original = root.importers?.[lib.root];
    if (!original) {
      throw new Error(`The workspace's pnpm-lock.yaml has no importer "${lib.root}" for the workspace library "${lib.name}": run "pnpm install" at the workspace root to bring the lockfile up to date.`);
    }
    const importer = withLinks(original, libraryInstallManifest(lib.manifest), at, names);
    for (const section of SECTIONS) {
      for (const [dep, entry] of Object.entries(importer[section] ?? {})) {
        if (names.has(dep) || entry.version.startsWith('link:')) continue;
        if (!(`${dep}@${entry.version}` in snapshots)) {
          throw new Error(`The pruned pnpm lockfile lacks "${dep}@${entry.version}", a dependency of the workspace library "${lib.name}" (${lib.root}): Nx did not carry it over from the root lockfile.`);
        }
      }
    }
    importers[at] = importer;
  }
  return { ...pruned, importers, packages, snapshots };
}

/** The contents of pnpm-workspace.yaml for the pruned folder: its libraries are the workspace's packages. */
export function pnpmWorkspaceYaml(libraries: readonly WorkspacePackage[]): string {
  if (libraries.length === 0) return 'packages: []\n';
  return `packages:\n${libraries.map((lib) => `  - '${workspaceModulePath(lib.name)}'\n`).join('')}`;
}

/**
 * One importer with the sections its (install) manifest declares: workspace libraries as links relative to the
 * importer, other packages as the lockfile resolved them.
 */
function withLinks(importer: PnpmImporter, manifest: ManifestJson, at: string, libraries: ReadonlySet<string>): PnpmImporter {
  const out: PnpmImporter = {};
  for (const section of SECTIONS) {
    const declared = manifest[section] as Record<string, string> | undefined;
    if (!declared || Object.keys(declared).length === 0) continue;
    const entries: Record<string, PnpmDependency> = {};
    for (const name of Object.keys(declared).sort()) {
      if (libraries.has(name)) {
        entries[name] = { specifier: declared[name], version: `link:${posix.relative(at, workspaceModulePath(name))}` };
        continue;
      }
      const locked = importer[section]?.[name];
      if (locked) entries[name] = locked;
    }
    if (Object.keys(entries).length) out[section] = entries;
  }
  if (importer.dependenciesMeta) out.dependenciesMeta = importer.dependenciesMeta;
  return out;
}
