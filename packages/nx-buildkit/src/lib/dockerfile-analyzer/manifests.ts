import { posix } from 'node:path';

/**
 * Files that declare dependencies (manifests and lockfiles, and the settings files the managers read with them).
 * A COPY of only these before an install is what cache ordering wants: the install reruns when they change, and not
 * when the source does. Build scripts (setup.py, *.gemspec) are not manifests: they may read anything.
 */
const MANIFEST_FILES: readonly RegExp[] = [
  // Node
  /^package\.json$/,
  /^package-lock\.json$/,
  /^npm-shrinkwrap\.json$/,
  /^yarn\.lock$/,
  /^pnpm-lock\.yaml$/,
  /^pnpm-workspace\.yaml$/,
  /^bun\.lockb?$/,
  /^\.npmrc$/,
  /^\.yarnrc(\.yml)?$/,
  /^\.nvmrc$/,
  /^\.node-version$/,
  // Python
  /^requirements.*\.(txt|in)$/,
  /^constraints.*\.txt$/,
  /^pyproject\.toml$/,
  /^poetry\.(lock|toml)$/,
  /^uv\.(lock|toml)$/,
  /^\.python-version$/,
  /^Pipfile(\.lock)?$/,
  // Go
  /^go\.(mod|sum|work|work\.sum)$/,
  // Ruby
  /^Gemfile(\.lock)?$/,
  /^gems\.(rb|locked)$/,
  /^\.ruby-version$/,
  // JVM
  /^pom\.xml$/,
  /^mvnw(\.cmd)?$/,
  /^(build|settings)\.gradle(\.kts)?$/,
  /^gradle\.properties$/,
  /^gradlew(\.bat)?$/,
  /^libs\.versions\.toml$/,
  // PHP, Rust, .NET
  /^composer\.(json|lock)$/,
  /^Cargo\.(toml|lock)$/,
  /^.*\.(cs|fs|vb)proj$/,
  /^(NuGet|nuget)\.config$/,
  /^Directory\.(Build|Packages)\.props$/,
  /^global\.json$/,
  /^packages\.lock\.json$/,
];

/** Folders that hold only dependency settings or downloaded artifacts: copying them early is fine too. */
const MANIFEST_DIRS: readonly RegExp[] = [/^\.mvn$/, /^gradle$/, /^wheels?$/, /^wheelhouse$/, /^requirements$/, /^\.yarn$/];

export function isManifestFileName(name: string): boolean {
  return MANIFEST_FILES.some((pattern) => pattern.test(name));
}

export function isManifestDirName(name: string): boolean {
  return MANIFEST_DIRS.some((pattern) => pattern.test(name));
}

/** A context path that is a manifest file, or lies in a manifest folder (`requirements/base.txt`, `.mvn/wrapper/…`). */
export function isManifestPath(path: string): boolean {
  if (isManifestFileName(posix.basename(path))) return true;
  return path.split('/').slice(0, -1).some((segment) => isManifestDirName(segment));
}

/**
 * Whether a glob such as `package*.json` or `requirements/*.txt` can only match manifests, judged by the names it
 * could match from the known list (used when the context is not available to expand it).
 */
export function globLooksLikeManifests(glob: string): boolean {
  const base = posix.basename(glob);
  const dir = posix.dirname(glob);
  if (dir !== '.' && dir.split('/').some((segment) => isManifestDirName(segment))) return true;
  const regex = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const manifests = ['package.json', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'requirements.txt', 'requirements-dev.txt', 'pyproject.toml', 'poetry.lock', 'uv.lock', 'Pipfile', 'go.mod', 'go.sum', 'Gemfile', 'Gemfile.lock', 'pom.xml', 'build.gradle', 'composer.json', 'Cargo.toml', 'api.csproj'];
  // What a source folder holds: a pattern that matches any of these copies more than manifests (`*.json`, `*`).
  const sources = ['tsconfig.json', 'index.js', 'main.ts', 'main.py', 'setup.py', 'main.go', 'App.java', 'README.md', 'Dockerfile', 'notes.txt', 'src', 'app.rb', 'index.php', 'main.rs', 'Program.cs', '.env'];
  return manifests.some((name) => regex.test(name)) && !sources.some((name) => regex.test(name));
}
