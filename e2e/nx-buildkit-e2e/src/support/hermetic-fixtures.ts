import { posix } from 'node:path';

/**
 * The rule that keeps the suite hermetic: every fixture that installs packages ships a lockfile, the lockfile
 * describes the manifest as it is, and no test or driver resolves versions itself. Pure: it reads the repository
 * through the two functions it is given, so a spec can plant a bad fixture in memory.
 */
export interface FixtureTree {
  /** Repository-relative POSIX paths of the committed files. */
  readonly files: readonly string[];
  read(path: string): string;
}

export interface FixtureProblem {
  readonly file: string;
  readonly problem: string;
}

/** Folders whose package.json files are installed by the tests, the demo or the bench. */
export const FIXTURE_ROOTS = ['e2e/', 'bench/fixtures/', 'scripts/demo/', 'packages/nx-buildkit/test/'];
/** Sources of the tests and drivers that must not resolve versions. */
export const DRIVER_ROOTS = ['e2e/', 'scripts/demo/', 'scripts/bench/', 'scripts/lib/'];
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'];
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

interface Manifest {
  workspaces?: string[] | { packages?: string[] };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export function findHermeticityProblems(tree: FixtureTree): FixtureProblem[] {
  const files = new Set(tree.files);
  const problems: FixtureProblem[] = [];
  for (const file of tree.files) {
    if (!FIXTURE_ROOTS.some((root) => file.startsWith(root)) || posix.basename(file) !== 'package.json' || file.includes('/node_modules/')) continue;
    if (isLintOnlyCorpusCase(tree, files, file)) continue;
    let manifest: Manifest;
    try {
      manifest = JSON.parse(tree.read(file)) as Manifest;
    } catch {
      problems.push({ file, problem: 'is not valid JSON' });
      continue;
    }
    if (!hasDependencies(manifest)) continue;
    const lockDir = findLockDir(tree, files, posix.dirname(file));
    if (!lockDir) {
      problems.push({
        file,
        problem: `has dependencies but no committed lockfile (${LOCKFILES.join(', ')}) beside it or at its workspace root. Commit one made by "bash scripts/relock-fixtures.sh" (add the folder there), and install it with npm ci.`,
      });
      continue;
    }
    const npmLock = posix.join(lockDir.dir, 'package-lock.json');
    if (lockDir.lockfile === 'package-lock.json') problems.push(...lockDrift(tree, npmLock, file, manifest, posix.relative(lockDir.dir, posix.dirname(file))));
  }
  for (const file of tree.files) {
    if (!DRIVER_ROOTS.some((root) => file.startsWith(root)) || !/\.(ts|mjs|js)$/.test(file) || file.includes('/fixtures/')) continue;
    if (file.endsWith('hermetic-fixtures.ts') || file.endsWith('hermetic-fixtures.spec.ts')) continue;
    tree
      .read(file)
      .split('\n')
      .forEach((line, index) => {
        const found = resolvingInstall(line);
        if (found) problems.push({ file: `${file}:${index + 1}`, problem: `runs "${found}", which resolves versions at test time. Install from a committed lockfile with "npm ci" (or a frozen-lockfile install).` });
      });
  }
  return problems;
}

/** A Dockerfile corpus case the equivalence suite never builds: its manifest is linted, never installed. */
function isLintOnlyCorpusCase(tree: FixtureTree, files: ReadonlySet<string>, manifest: string): boolean {
  for (let dir = posix.dirname(manifest); dir !== '.' && dir !== ''; dir = posix.dirname(dir)) {
    const expected = posix.join(dir, 'expected.json');
    if (!files.has(expected)) continue;
    try {
      return (JSON.parse(tree.read(expected)) as { equivalence?: { build?: boolean } }).equivalence?.build === false;
    } catch {
      return false;
    }
  }
  return false;
}

function hasDependencies(manifest: Manifest): boolean {
  return DEPENDENCY_FIELDS.some((field) => Object.keys(manifest[field] ?? {}).length > 0);
}

/** The folder holding the lockfile that installs this package: its own, or a workspace root above it. */
function findLockDir(tree: FixtureTree, files: ReadonlySet<string>, dir: string): { dir: string; lockfile: string } | undefined {
  const own = LOCKFILES.find((name) => files.has(posix.join(dir, name)));
  if (own) return { dir, lockfile: own };
  for (let parent = posix.dirname(dir); parent !== '.' && parent !== ''; parent = posix.dirname(parent)) {
    const rootManifest = posix.join(parent, 'package.json');
    if (!files.has(rootManifest)) continue;
    let workspaces: Manifest['workspaces'];
    try {
      workspaces = (JSON.parse(tree.read(rootManifest)) as Manifest).workspaces;
    } catch {
      continue;
    }
    const fromManifest = Array.isArray(workspaces) ? workspaces : workspaces?.packages ?? [];
    // pnpm declares its workspace in pnpm-workspace.yaml (`packages:` items).
    const pnpmWorkspace = posix.join(parent, 'pnpm-workspace.yaml');
    const globs = fromManifest.length || !files.has(pnpmWorkspace) ? fromManifest : [...tree.read(pnpmWorkspace).matchAll(/^\s+-\s*['"]?([^'"\s#]+)/gm)].map((m) => m[1]);
    const member = posix.relative(parent, dir);
    if (!globs.some((glob) => matchesWorkspaceGlob(glob, member))) continue;
    const lockfile = LOCKFILES.find((name) => files.has(posix.join(parent, name)));
    return lockfile ? { dir: parent, lockfile } : undefined;
  }
  return undefined;
}

function matchesWorkspaceGlob(glob: string, member: string): boolean {
  const pattern = glob.replace(/\/+$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]+').replace(/\u0000/g, '.*');
  return new RegExp(`^${pattern}$`).test(member);
}

/** The lockfile's record of this package must list the manifest's dependencies as they are (npm ci would refuse). */
function lockDrift(tree: FixtureTree, lockPath: string, file: string, manifest: Manifest, key: string): FixtureProblem[] {
  let lock: { packages?: Record<string, Manifest> };
  try {
    lock = JSON.parse(tree.read(lockPath)) as typeof lock;
  } catch {
    return [{ file: lockPath, problem: 'is not valid JSON' }];
  }
  const entry = lock.packages?.[key];
  if (!entry) return [{ file, problem: `is not in ${lockPath} (no "packages" entry "${key}"). Relock with "bash scripts/relock-fixtures.sh".` }];
  const problems: FixtureProblem[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const declared = manifest[field] ?? {};
    const locked = entry[field] ?? {};
    for (const name of new Set([...Object.keys(declared), ...Object.keys(locked)])) {
      if (declared[name] !== locked[name]) {
        problems.push({ file, problem: `${field}.${name} is ${declared[name] ?? '(none)'} but ${lockPath} locked ${locked[name] ?? '(none)'}. Relock with "bash scripts/relock-fixtures.sh".` });
      }
    }
  }
  return problems;
}

/** The install command on this source line that resolves versions, if any. */
export function resolvingInstall(line: string): string | undefined {
  if (/package-lock-only/.test(line)) return 'npm install --package-lock-only';
  const call = /['"](npm|pnpm|yarn)['"]\s*,\s*\[\s*['"](install|i|add|update|up)['"]([^\]]*)\]/.exec(line);
  if (!call) return undefined;
  const [, manager, verb, rest] = call;
  if (/frozen-lockfile|--immutable|--offline/.test(rest)) return undefined;
  return `${manager} ${verb}`;
}

