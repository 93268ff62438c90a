/**
 * The layout of a pruned-dependencies folder, shared by the executor (which writes it) and the generators (whose
 * Dockerfiles copy from it): the app's manifest and lockfile at its root, and each workspace library it depends on
 * as a package of its own under `workspace_modules/<name>/` (where Nx's pruned npm and pnpm lockfiles put them).
 */

/** The name of the BuildKit named context (`--build-context deps=…`, `COPY --from=deps`). */
export const PRUNED_DEPS_CONTEXT = 'deps';

/** Where a workspace library sits relative to the pruned manifest, for every package manager. */
export function workspaceModulePath(packageName: string): string {
  return `workspace_modules/${packageName}`;
}

export interface ManifestJson {
  name?: string;
  version?: string;
  private?: boolean;
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * A library's manifest as the install sees it, before its sources are there: without devDependencies (Nx inlines
 * only a library's runtime dependencies into the app's manifest, so only those are in the pruned lockfile, while pnpm
 * and yarn install every workspace package's devDependencies and would fail the frozen install on them) and without
 * scripts (a workspace package's `prepare` or `postinstall` runs during the install, where its sources are missing).
 */
export function libraryInstallManifest(manifest: ManifestJson): ManifestJson {
  const kept: ManifestJson = {};
  for (const [key, value] of Object.entries(manifest)) if (key !== 'devDependencies' && key !== 'scripts') kept[key] = value;
  return kept;
}

/**
 * The pruned app manifest for yarn: its libraries declared as workspaces (yarn resolves `workspace:` and `*` specs
 * to workspace packages only), and private, as yarn 1 enables workspaces only in private projects.
 */
export function withLibraryWorkspaces(manifest: ManifestJson, libraryNames: readonly string[]): ManifestJson {
  if (libraryNames.length === 0) return manifest;
  return { ...manifest, private: true, workspaces: libraryNames.map(workspaceModulePath) };
}

/**
 * The pruned app manifest with each package in one section: the one the app's own manifest declares it in. Nx adds
 * every package the app's files import to `dependencies`, also one the app declares as a devDependency (a Vite app's
 * `vite`, imported by vite.config.*), and pnpm's frozen install then fails (measured, pnpm 10.34: ERR_PNPM_OUTDATED_LOCKFILE,
 * `"devDependencies" in the lockfile ({"vite":"8.3.8"}) doesn't match the same field in package.json`).
 */
export function withOwnSections(pruned: ManifestJson, own: ManifestJson | undefined): ManifestJson {
  const dependencies = { ...(pruned.dependencies ?? {}) };
  for (const name of Object.keys(pruned.devDependencies ?? {})) {
    if (name in dependencies && own?.dependencies?.[name] === undefined) delete dependencies[name];
  }
  return { ...pruned, dependencies };
}

/** The pruned app manifest of an image that installs production dependencies only: the lockfile is pruned to match. */
export function withoutDevDependencies(manifest: ManifestJson): ManifestJson {
  const kept: ManifestJson = {};
  for (const [key, value] of Object.entries(manifest)) if (key !== 'devDependencies') kept[key] = value;
  return kept;
}
