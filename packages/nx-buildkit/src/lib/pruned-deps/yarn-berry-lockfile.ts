import { ManifestJson, workspaceModulePath } from './layout';
import type { WorkspacePackage } from './workspace-libraries';
import { compareCodeUnits } from '../compare-text';

/** Yarn 2+ lockfiles start their entries with `__metadata:`; yarn 1's have none. */
export function isYarnBerryLockfile(text: string): boolean {
  return /^__metadata:/m.test(text);
}

/**
 * Puts the workspace libraries back into Nx's pruned yarn 2+ lockfile, as workspaces at `workspace_modules/<name>`.
 *
 * Measured (yarn 4.18, Nx 24.0.6): Nx drops the library's entry and writes the app's dependency on it as
 * `"npm:workspace:*"`, so `yarn install --immutable` fails (`YN0001 … Workspace not found`); a `file:` spec instead
 * fails too (YN0028: yarn wants a content hash in the entry). The entry is the root lockfile's, moved to the new path,
 * with the descriptors the pruned manifests use and without the library's devDependencies. `--immutable` compares
 * the text yarn would write, so entries stay in yarn's order (by key).
 */
export function addYarnWorkspaceEntries(prunedText: string, rootText: string, manifests: readonly ManifestJson[], libraries: readonly WorkspacePackage[]): string {
  const pruned = splitEntries(prunedText);
  const rootEntries = splitEntries(rootText).entries;
  const names = new Set(libraries.map((lib) => lib.name));
  const entries = pruned.entries.filter((entry) => !libraries.some((lib) => entry.descriptors.some((d) => d.startsWith(`${lib.name}@workspace:`))));
  for (const entry of entries) entry.body = withDevDependenciesMerged(entry.body.map((line) => unprefixWorkspaceSpec(line, names)));

  for (const lib of libraries) {
    const pathDescriptor = `${lib.name}@workspace:${lib.root}`;
    const original = rootEntries.find((entry) => entry.descriptors.includes(pathDescriptor));
    if (!original) {
      throw new Error(`The workspace's yarn.lock has no entry "${pathDescriptor}" for the workspace library "${lib.name}": run "yarn install" at the workspace root to bring the lockfile up to date.`);
    }
    const newPath = `${lib.name}@workspace:${workspaceModulePath(lib.name)}`;
    const used = new Set(manifests.flatMap((manifest) => specsFor(manifest, lib.name)));
    const descriptors = original.descriptors
      .filter((d) => d !== pathDescriptor && (used.has(d.slice(lib.name.length + 1)) || used.has(d.slice(lib.name.length + 1).replace(/^npm:/, ''))))
      .concat(newPath)
      .sort(compareCodeUnits);
    const devOnly = new Set(Object.keys(lib.manifest.devDependencies ?? {}).filter((dep) => !isRuntimeDependency(lib.manifest, dep)));
    const body = withoutDependencies(original.body, devOnly).map((line) =>
      line.replace(`"${pathDescriptor}"`, `"${newPath}"`),
    );
    entries.push({ key: descriptors.join(', '), descriptors, body });
  }
  entries.sort((a, b) => compareCodeUnits(a.key, b.key));
  return `${[...pruned.preamble, ...entries.map((entry) => [`"${entry.key}":`, ...entry.body].join('\n'))].join('\n\n')}\n`;
}

interface LockEntry {
  key: string;
  descriptors: string[];
  body: string[];
}

function splitEntries(text: string): { preamble: string[]; entries: LockEntry[] } {
  const preamble: string[] = [];
  const entries: LockEntry[] = [];
  for (const chunk of text.replace(/\r\n/g, '\n').trim().split(/\n\s*\n/)) {
    const [first, ...body] = chunk.split('\n');
    if (first.startsWith('#') || first.startsWith('__metadata:')) {
      preamble.push(chunk);
      continue;
    }
    const key = first.replace(/:$/, '').replace(/^"(.*)"$/, '$1');
    entries.push({ key, descriptors: key.split(', '), body });
  }
  return { preamble, entries };
}

/** `"@acme/lib": "npm:workspace:*"` → `"@acme/lib": "workspace:*"` for the workspace libraries. */
function unprefixWorkspaceSpec(line: string, names: ReadonlySet<string>): string {
  const match = /^(\s+)("?)([^":]+)\2: "npm:(workspace:[^"]*)"$/.exec(line);
  if (!match || !names.has(match[3])) return line;
  return `${match[1]}${match[2]}${match[3]}${match[2]}: "${match[4]}"`;
}

/**
 * Yarn lists a workspace's devDependencies under `dependencies:`, one list sorted by name; Nx writes a
 * `devDependencies:` list of its own (measured, Nx 24.0.6, a Vite app's `vite`), which --immutable rejects (YN0028).
 */
function withDevDependenciesMerged(body: readonly string[]): string[] {
  const sections: Array<{ header: string; lines: string[] }> = [];
  for (const line of body) {
    if (/^ {2}\S/.test(line) || sections.length === 0) sections.push({ header: line, lines: [] });
    else sections[sections.length - 1].lines.push(line);
  }
  const dev = sections.find((section) => section.header === '  devDependencies:');
  if (!dev) return [...body];
  let deps = sections.find((section) => section.header === '  dependencies:');
  if (!deps) {
    deps = { header: '  dependencies:', lines: [] };
    sections.splice(Math.max(0, sections.findIndex((section) => section.header.startsWith('  resolution:')) + 1), 0, deps);
  }
  const nameOf = (line: string) => /^ {4}"?([^":]+)"?:/.exec(line)?.[1] ?? line;
  const have = new Set(deps.lines.map(nameOf));
  deps.lines = [...deps.lines, ...dev.lines.filter((line) => !have.has(nameOf(line)))].sort((a, b) => compareCodeUnits(nameOf(a), nameOf(b)));
  return sections.filter((section) => section !== dev).flatMap((section) => [section.header, ...section.lines]);
}

/** Drops `dependencies:` lines of the given names (and the header when none is left). */
function withoutDependencies(body: readonly string[], names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let inDependencies = false;
  let header = -1;
  for (const line of body) {
    if (/^ {2}\S/.test(line)) {
      if (inDependencies && header === out.length - 1) out.pop();
      inDependencies = line === '  dependencies:';
      if (inDependencies) header = out.length;
      out.push(line);
      continue;
    }
    const name = /^ {4}"?([^":]+)"?:/.exec(line)?.[1];
    if (inDependencies && name !== undefined && names.has(name)) continue;
    out.push(line);
  }
  if (inDependencies && header === out.length - 1) out.pop();
  return out;
}

function specsFor(manifest: ManifestJson, name: string): string[] {
  return (['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const).flatMap((section) => {
    const spec = manifest[section]?.[name];
    return spec === undefined ? [] : [spec];
  });
}

function isRuntimeDependency(manifest: ManifestJson, name: string): boolean {
  return [manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies].some((section) => section?.[name] !== undefined);
}
