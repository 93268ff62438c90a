/**
 * A dependency installed from a path on the developer's machine (`file:`, `link:`, `portal:`) cannot be installed
 * inside an image: the install reads the path from the build's own files, where it is not (measured, npm 11: `npm ci`
 * fails with ENOENT on a `file:` tarball), or links to a folder the image never gets. It is named before any build,
 * with the fix, instead of failing inside BuildKit.
 */

const LOCAL_SPEC = /^(file|link|portal):/;
const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

export interface LocalDependency {
  readonly name: string;
  readonly spec: string;
  /** The manifest that declares it (workspace-relative, or a description such as "the pruned package.json"). */
  readonly manifest: string;
}

type Manifest = Partial<Record<(typeof SECTIONS)[number], Record<string, string>>>;

/**
 * The local-path dependencies of a manifest; `only` restricts them to the packages the image installs (an integrated
 * repo's root manifest lists every app's), `except` leaves out the workspace's own libraries (linked on purpose).
 */
export function findLocalDependencies(manifest: Manifest | undefined, manifestPath: string, filter: { only?: ReadonlySet<string>; except?: ReadonlySet<string> } = {}): LocalDependency[] {
  const found: LocalDependency[] = [];
  for (const section of SECTIONS) {
    for (const [name, spec] of Object.entries(manifest?.[section] ?? {})) {
      if (typeof spec !== 'string' || !LOCAL_SPEC.test(spec)) continue;
      if (filter.only && !filter.only.has(name)) continue;
      if (filter.except?.has(name)) continue;
      if (!found.some((dep) => dep.name === name)) found.push({ name, spec, manifest: manifestPath });
    }
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One line naming every local dependency of the image and the fix. */
export function describeLocalDependencies(project: string, dependencies: readonly LocalDependency[]): string {
  const listed = dependencies.map((dep) => `"${dep.name}": "${dep.spec}" (${dep.manifest})`).join(', ');
  return `Project "${project}"'s image would install ${dependencies.length === 1 ? 'a dependency' : 'dependencies'} from a local path, which the install inside the image cannot read (npm ci fails with ENOENT): ${listed}. Publish ${dependencies.length === 1 ? 'it' : 'them'} to a registry and depend on a version, or make ${dependencies.length === 1 ? 'it a library' : 'them libraries'} of this workspace that the app imports.`;
}
