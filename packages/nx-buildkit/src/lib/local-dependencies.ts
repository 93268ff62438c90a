import { posix } from 'node:path';

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

/**
 * The local-path dependencies of the manifests a build sends (`files`: the hashed paths, a named context's as
 * `<name>://<path>`) that point at something the build does not send: those the install inside the image cannot
 * read. A `file:../libs/shared` whose folder the context holds, or the pruned `file:./workspace_modules/…`, is fine.
 */
export function unreachableLocalDependencies(files: readonly string[], readManifest: (key: string) => Manifest | undefined): LocalDependency[] {
  const sent = new Set(files);
  const holds = (target: string) => sent.has(target) || files.some((file) => file.startsWith(`${target}/`));
  const found: LocalDependency[] = [];
  for (const key of files) {
    const { scheme, path } = splitKey(key);
    if (posix.basename(path) !== 'package.json' || path.split('/').includes('node_modules')) continue;
    for (const dep of findLocalDependencies(readManifest(key), key)) {
      const relative = dep.spec.replace(LOCAL_SPEC, '');
      const target = posix.normalize(posix.join(posix.dirname(path), relative)).replace(/\/+$/, '');
      if (target.startsWith('../') || target === '..' || !holds(`${scheme}${target}`)) found.push(dep);
    }
  }
  return found;
}

function splitKey(key: string): { scheme: string; path: string } {
  const match = /^([a-z0-9_-]+:\/\/)(.*)$/i.exec(key);
  return match ? { scheme: match[1], path: match[2] } : { scheme: '', path: key };
}
