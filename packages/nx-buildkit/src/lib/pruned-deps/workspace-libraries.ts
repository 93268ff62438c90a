import type { ManifestJson } from './layout';

/** A package of the workspace (a project root holding a package.json with a name). */
export interface WorkspacePackage {
  readonly name: string;
  /** Project root, relative to the workspace root. */
  readonly root: string;
  readonly manifest: ManifestJson;
}

const RUNTIME_SECTIONS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

/**
 * The workspace libraries an app's manifest depends on, transitively, through their manifests: the app's own
 * dependency sections all count (a Vite app's build needs its devDependencies), a library's only its runtime ones
 * (its devDependencies are its own build's). Sorted by name; the app itself is never among them.
 */
export function workspaceLibrariesOf(appManifest: ManifestJson, packages: ReadonlyMap<string, WorkspacePackage>): WorkspacePackage[] {
  const found = new Map<string, WorkspacePackage>();
  const visit = (manifest: ManifestJson, sections: readonly (keyof ManifestJson)[]): void => {
    for (const section of sections) {
      for (const name of Object.keys((manifest[section] as Record<string, string> | undefined) ?? {})) {
        const lib = packages.get(name);
        if (!lib || found.has(name) || name === appManifest.name) continue;
        found.set(name, lib);
        visit(lib.manifest, RUNTIME_SECTIONS);
      }
    }
  };
  visit(appManifest, [...RUNTIME_SECTIONS, 'devDependencies']);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
