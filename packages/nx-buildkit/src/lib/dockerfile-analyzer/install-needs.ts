import { posix } from 'node:path';
import { BuildContext, isSent, sendsFile } from './build-context';
import { InstallCommand, managerLabel, OPTIONS_WITH_VALUE } from './install-commands';

/**
 * What an install reads and writes, for deciding whether it can run before the rest of the sources are copied.
 * Only installs whose inputs are known exactly are supported; anything else is declined with the reason.
 */

export interface InstallFiles {
  /** The text of the file the install sees at this path (relative to its working directory), when it comes from the context. */
  read(path: string): string | undefined;
  /** Whether the install sees a folder at this path that comes from the context. */
  isDirectory(path: string): boolean;
  /** ENV/ARG values in effect. */
  readonly vars: Readonly<Record<string, string | undefined>>;
}

/**
 * What an install sees in its folder, read from the context through the COPYs that put it there: `locate` gives the
 * context path of what is at a path relative to the install's folder.
 */
export function contextInstallFiles(context: BuildContext, vars: InstallFiles['vars'], locate: (path: string) => string | undefined): InstallFiles {
  return {
    vars,
    read: (path) => {
      const contextPath = locate(path);
      return contextPath !== undefined && sendsFile(context, contextPath) ? context.files.readText(contextPath) : undefined;
    },
    isDirectory: (path) => {
      const contextPath = locate(path);
      return contextPath !== undefined && context.files.isDirectory(contextPath) && isSent(context, contextPath);
    },
  };
}

export interface InstallNeeds {
  /** Paths (relative to the working directory) the install reads; missing ones are fine, the install decides. */
  readonly reads: readonly string[];
  /** Paths the install writes below its working directory: a later COPY must not bring files there. */
  readonly writes: readonly string[];
}

/**
 * `decline`: the install cannot be shown to read only known files. `readsSources` when that is because it reads the
 * project's own sources (install scripts, `pip install .`, a project sync, local path dependencies): such an install
 * needs the broad COPY before it, so lint does not call that COPY misplaced.
 */
export type InstallNeedsResult = { readonly needs: InstallNeeds } | { readonly decline: string; readonly readsSources?: true; readonly folders?: readonly string[] };

const decline = (reason: string): InstallNeedsResult => ({ decline: reason });
const readsSources = (reason: string): InstallNeedsResult => ({ decline: reason, readsSources: true });
const needs = (reads: string[], writes: string[] = []): InstallNeedsResult => ({ needs: { reads, writes } });

export function installNeeds(install: InstallCommand, files: InstallFiles): InstallNeedsResult {
  const label = `\`${managerLabel(install)}\``;
  switch (install.manager) {
    case 'npm':
      return npmNeeds(install, files, label);
    case 'pnpm':
      return pnpmNeeds(install, files, label);
    case 'yarn':
      return yarnNeeds(install, files, label);
    case 'pip':
      return pipNeeds(install, files, label);
    case 'uv':
      return install.action.startsWith('pip ') ? pipNeeds(install, files, label) : uvNeeds(install, files, label);
    case 'poetry':
      return poetryNeeds(install, files, label);
    case 'pipenv':
      return pipenvNeeds(install, label);
    case 'apt':
    case 'apk':
    case 'dnf':
    case 'gem': {
      const local = install.args.find((arg) => !arg.startsWith('-') && (arg.includes('/') || /\.(deb|rpm|apk|gem)$/.test(arg)));
      if (local) return readsSources(`${label} installs the local file ${local}, which the COPY may bring.`);
      return needs([]);
    }
    case 'go':
      return goNeeds(install, files, label);
    case 'bundler':
      return bundlerNeeds(install, files, label);
    case 'maven':
      return mavenNeeds(install, files, label);
    case 'composer':
      return composerNeeds(install, files, label);
    case 'gradle':
      return decline(`${label}: Gradle build scripts can read any file of the project (buildSrc, included builds, version catalogs), so which files the dependency step needs cannot be proven. Copy build.gradle(.kts), settings.gradle(.kts), gradle.properties and gradle/ before it by hand.`);
    case 'cargo':
      return readsSources(`${label}: cargo reads the source files of every target the manifest declares, so it cannot run before the sources are copied without stub files.`);
    case 'dotnet':
      return decline(`${label}: a restore follows project references to other folders; copy each *.csproj to its folder before it by hand.`);
    case 'bun':
      return decline(`${label}: bun's lockfile handling is not modelled here; copy package.json and bun.lock before the install by hand.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Node

/** Root scripts the managers run during an install: they may read any file. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare', 'prepublish'];

interface PackageJson {
  workspaces?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  optionalDependencies?: Record<string, unknown>;
}

function readPackageJson(files: InstallFiles, label: string): PackageJson | string {
  const text = files.read('package.json');
  if (text === undefined) return `${label} reads package.json, but no package.json from the build context is in its folder.`;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'package.json is not a JSON object.';
    return parsed as PackageJson;
  } catch (error) {
    return `package.json is not valid JSON (${(error as Error).message}).`;
  }
}

function checkPackageJson(pkg: PackageJson, label: string, ignoreScripts: boolean): InstallNeedsResult | undefined {
  // Scripts and local paths first: they read the sources, which is the stronger reason (lint relies on it).
  const readsMore = installScriptOrLocalDependency(pkg, label, ignoreScripts);
  if (readsMore) return readsMore;
  if (pkg.workspaces !== undefined) return decline(`package.json declares workspaces: ${label} reads the package.json of every workspace package as well.`);
  return sourceFreeScriptDecline(pkg, label, ignoreScripts);
}

/** An install script that reads no sources (husky, only-allow) still runs differently before the COPY: declined, but lint counts the install as reading manifests. */
function sourceFreeScriptDecline(pkg: PackageJson, label: string, ignoreScripts: boolean): InstallNeedsResult | undefined {
  const script = ignoreScripts ? undefined : INSTALL_SCRIPTS.find((name) => typeof pkg.scripts?.[name] === 'string');
  if (!script) return undefined;
  return decline(`package.json has a "${script}" script (${JSON.stringify(pkg.scripts?.[script])}) that ${label} runs; before the COPY it would see no .git or sources, so the install is left where it is.`);
}

/**
 * Install scripts known to read no sources: git hooks set-up and package-manager guards. The install still cannot move
 * before the COPY (husky looks for .git), but it does not need the sources, so lint still asks for the split.
 */
const SOURCE_FREE_SCRIPT = /^\s*((npx\s+)?only-allow\s+\S+|(is-ci\s*\|\|\s*)?(npx\s+)?husky(\s+install)?(\s+[\w./-]+)?|(cd\s+\.\.\s*&&\s*)?husky(\s+install)?)\s*$/;

/** Install scripts known to read one folder of the project only: patch-package reads patches/ (or its --patch-dir). */
const ONE_FOLDER_SCRIPT = /^\s*(npx\s+)?patch-package(\s+--patch-dir(?:\s+|=)(\S+))?\s*$/;

function installScriptOrLocalDependency(pkg: PackageJson, label: string, ignoreScripts: boolean): InstallNeedsResult | undefined {
  const scripts = ignoreScripts ? [] : INSTALL_SCRIPTS.filter((name) => typeof pkg.scripts?.[name] === 'string');
  const script = scripts.find((name) => !SOURCE_FREE_SCRIPT.test(String(pkg.scripts?.[name])) && !ONE_FOLDER_SCRIPT.test(String(pkg.scripts?.[name])));
  const folderScripts = scripts.filter((name) => ONE_FOLDER_SCRIPT.test(String(pkg.scripts?.[name])));
  if (!script && folderScripts.length > 0) {
    const folders = [...new Set(folderScripts.map((name) => `${(ONE_FOLDER_SCRIPT.exec(String(pkg.scripts?.[name]))?.[3] ?? 'patches').replace(/^\.\//, '').replace(/\/$/, '')}/`))];
    // Lint asks for the split with that folder; optimize leaves it to the user (the folder may hold more than patches).
    return {
      decline: `package.json has a "${folderScripts[0]}" script (${JSON.stringify(pkg.scripts?.[folderScripts[0]])}) that ${label} runs; it reads ${folders.join(', ')}, so copy that with the manifests before the install by hand.`,
      folders,
    };
  }
  if (script) {
    return readsSources(`package.json has a "${script}" script (${JSON.stringify(pkg.scripts?.[script])}) that ${label} runs; it may read files the COPY brings, so the install cannot run before them.`);
  }
  for (const group of [pkg.dependencies, pkg.devDependencies, pkg.optionalDependencies]) {
    for (const [name, spec] of Object.entries(group ?? {})) {
      if (typeof spec === 'string' && /^(file:|link:|portal:|\.{1,2}\/|\/)/.test(spec)) {
        return readsSources(`the dependency "${name}" comes from a local path (${spec}), which the COPY brings.`);
      }
    }
  }
  return undefined;
}

/** The words that are not options or option values (`--network-timeout 600000` is one option, not a package). */
function positionalArgs(args: readonly string[], optionsWithValue: ReadonlySet<string> = new Set()): string[] {
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('-')) {
      if (optionsWithValue.has(arg)) i++;
      continue;
    }
    positional.push(arg);
  }
  return positional;
}

/** `npm install -g corepack`: a global install writes the global prefix and reads no package.json. */
function isGlobalInstall(args: readonly string[]): boolean {
  return args.some((arg) => arg === '-g' || arg === '--global' || arg === '--location=global' || arg === '--global=true');
}

/** A global install of named packages reads nothing from the context, unless a package is a local path. */
function globalInstallNeeds(args: readonly string[], label: string): InstallNeedsResult {
  const local = positionalArgs(args, OPTIONS_WITH_VALUE.npm).find((arg) => /^(\.{1,2}(\/|$)|\/|file:)/.test(arg) || /\.tgz$/.test(arg));
  return local ? readsSources(`${label} installs ${local} from the context, which the COPY brings.`) : needs([]);
}

function npmNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  const args = install.args;
  if (isGlobalInstall(args)) return globalInstallNeeds(args, label);
  if (args.some((arg) => /^(--prefix|-C|--workspace|-w|--workspaces)(=|$)/.test(arg))) return decline(`${label} uses --prefix or workspaces, which read files elsewhere.`);
  if (positionalArgs(args, OPTIONS_WITH_VALUE.npm).length > 0 || install.action === 'add') return decline(`${label} names packages: it changes package.json, which the COPY brings again afterwards.`);
  const pkg = readPackageJson(files, label);
  if (typeof pkg === 'string') return decline(pkg);
  const problem = checkPackageJson(pkg, label, args.includes('--ignore-scripts'));
  if (problem) return problem;
  const ci = install.action === 'ci' || install.action === 'clean-install' || install.action === 'install-clean';
  const lockfile = ['package-lock.json', 'npm-shrinkwrap.json'].find((name) => files.read(name) !== undefined);
  if (!ci && lockfile) {
    return decline(`${label} may rewrite ${lockfile}, and the COPY after it would put the context's copy back. Use \`npm ci\`, which installs exactly the lockfile, then re-run.`);
  }
  return needs(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc'], ['node_modules']);
}

function pnpmNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  const args = install.args;
  if (isGlobalInstall(args)) return globalInstallNeeds(args, label);
  if (files.read('pnpm-workspace.yaml') !== undefined) {
    // A workspace's root install scripts still read the sources: say that, not only "workspace".
    const root = files.read('package.json') !== undefined ? readPackageJson(files, label) : undefined;
    const readsMore = root && typeof root !== 'string' ? installScriptOrLocalDependency(root, label, args.includes('--ignore-scripts')) : undefined;
    return readsMore ?? decline(`pnpm-workspace.yaml declares a workspace: ${label} reads every workspace package.json.`);
  }
  if (files.read('.pnpmfile.cjs') !== undefined) return decline(`.pnpmfile.cjs hooks into ${label} and may read other files.`);
  if (args.some((arg) => /^(--dir|-C|--filter|-F|--prefix)(=|$)/.test(arg))) return decline(`${label} uses --dir or --filter, which read files elsewhere.`);
  if (install.action === 'fetch') return needs(['pnpm-lock.yaml', '.npmrc']);
  if (positionalArgs(args, OPTIONS_WITH_VALUE.pnpm).length > 0 || install.action === 'add') return decline(`${label} names packages: it changes package.json, which the COPY brings again afterwards.`);
  const pkg = readPackageJson(files, label);
  if (typeof pkg === 'string') return decline(pkg);
  const problem = checkPackageJson(pkg, label, args.includes('--ignore-scripts'));
  if (problem) return problem;
  if (files.read('pnpm-lock.yaml') !== undefined && !args.includes('--frozen-lockfile')) {
    return decline(`${label} without --frozen-lockfile may rewrite pnpm-lock.yaml, and the COPY after it would put the context's copy back. Add --frozen-lockfile, then re-run.`);
  }
  return needs(['package.json', 'pnpm-lock.yaml', '.npmrc'], ['node_modules']);
}

function yarnNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  const args = install.args;
  if (files.read('.yarnrc.yml') !== undefined || files.isDirectory('.yarn')) {
    return decline(`Yarn 2+ (.yarnrc.yml or .yarn/) reads its release, plugins and patches from .yarn/; copy those before the install by hand.`);
  }
  if (args.some((arg) => /^(--cwd|--modules-folder)(=|$)/.test(arg))) return decline(`${label} uses --cwd or --modules-folder, which read or write elsewhere.`);
  if (positionalArgs(args, OPTIONS_WITH_VALUE.yarn).length > 0 || install.action === 'add') return decline(`${label} names packages: it changes package.json, which the COPY brings again afterwards.`);
  const pkg = readPackageJson(files, label);
  if (typeof pkg === 'string') return decline(pkg);
  const problem = checkPackageJson(pkg, label, args.includes('--ignore-scripts'));
  if (problem) return problem;
  if (files.read('yarn.lock') !== undefined && !args.some((arg) => arg === '--frozen-lockfile' || arg === '--pure-lockfile' || arg === '--immutable')) {
    return decline(`${label} without --frozen-lockfile may rewrite yarn.lock, and the COPY after it would put the context's copy back. Add --frozen-lockfile, then re-run.`);
  }
  return needs(['package.json', 'yarn.lock', '.yarnrc', '.npmrc'], ['node_modules']);
}

// ---------------------------------------------------------------------------------------------------------------
// Python

/** pip options that take a value (as a separate word or after `=`). */
const PIP_OPTIONS_WITH_VALUE = new Set([
  '-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-f', '--find-links', '-i', '--index-url', '--extra-index-url',
  '--trusted-host', '-t', '--target', '--prefix', '--root', '--src', '--platform', '--python-version', '--implementation',
  '--abi', '--progress-bar', '--cache-dir', '--log', '--timeout', '--retries', '--proxy', '--cert', '--client-cert',
  '--exists-action', '--global-option', '--config-settings', '-C', '--upgrade-strategy', '--only-binary', '--no-binary',
  '--report', '--python', '-p', '--index', '--default-index', '--extra-index', '--index-strategy', '--keyring-provider',
  '--resolution', '--prerelease', '--link-mode', '--compile-bytecode', '--group', '--extra',
]);

function pipNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  const reads: string[] = [];
  const writes: string[] = [];
  const requirementFiles: string[] = [];
  const args = install.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    let option = arg;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      option = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    } else if (/^-[rcef]./.test(arg)) {
      option = arg.slice(0, 2);
      value = arg.slice(2);
    } else if (PIP_OPTIONS_WITH_VALUE.has(arg)) {
      value = args[++i];
    }
    if (option.startsWith('-')) {
      if (value === undefined) continue;
      if (option === '-r' || option === '--requirement' || option === '-c' || option === '--constraint') requirementFiles.push(value);
      else if (option === '-e' || option === '--editable') return readsSources(`${label} installs ${value} in editable mode, from the sources the COPY brings.`);
      else if ((option === '-f' || option === '--find-links') && !/^[a-z]+:\/\//i.test(value)) reads.push(stripDotSlash(value));
      else if ((option === '-t' || option === '--target' || option === '--prefix' || option === '--root') && !value.startsWith('/')) writes.push(stripDotSlash(value));
      continue;
    }
    // A package spec; local paths name files the COPY brings.
    if (isLocalPath(arg)) {
      if (/\.(whl|tar\.gz|zip)$/.test(arg) && files.read(stripDotSlash(arg)) !== undefined) {
        reads.push(stripDotSlash(arg));
        continue;
      }
      return readsSources(`${label} installs ${arg} from the sources (setup.py, pyproject.toml and the package code), which the COPY brings; install dependencies from a requirements file first, then the project after the COPY.`);
    }
  }
  const seen = new Set<string>();
  const queue = [...requirementFiles];
  while (queue.length) {
    const file = stripDotSlash(queue.shift() as string);
    if (seen.has(file)) continue;
    seen.add(file);
    reads.push(file);
    const text = files.read(file);
    if (text === undefined) {
      if (file.startsWith('/')) continue;
      return decline(`${label} reads ${file}, which is not in the build context where the install runs.`);
    }
    for (const rawLine of text.split(/\r?\n/)) {
      const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
      if (!line) continue;
      const nested = /^(-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)/.exec(line);
      if (nested) {
        queue.push(posix.join(posix.dirname(file), nested[2]));
        continue;
      }
      if (/^(-e|--editable)\b/.test(line)) return readsSources(`${file} installs ${line.replace(/^(-e|--editable)\s*/, '')} in editable mode, from sources the COPY brings.`);
      const links = /^(-f|--find-links)(?:\s*=?\s*)(\S+)/.exec(line);
      if (links && !/^[a-z]+:\/\//i.test(links[2])) return decline(`${file} points --find-links at the local folder ${links[2]}; copy it before the install by hand.`);
      if (line.startsWith('-')) continue;
      if (isLocalPath(line) || /@\s*file:/.test(line)) return readsSources(`${file} installs the local path ${line}, which the COPY brings.`);
    }
  }
  return needs(reads, [...writes, '.venv', 'venv']);
}

function isLocalPath(spec: string): boolean {
  return spec === '.' || spec === '..' || /^(\.{1,2}\/|\/|file:)/.test(spec) || /^\.\[/.test(spec);
}

function stripDotSlash(path: string): string {
  return path.startsWith('/') ? path : posix.normalize(path);
}

function uvNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  const args = install.args;
  if (install.action === 'add') return decline(`${label} changes pyproject.toml and uv.lock, which the COPY brings again afterwards.`);
  if (!args.includes('--no-install-project') && !args.includes('--no-install-workspace')) {
    return readsSources(`${label} installs the project itself, from its sources; add --no-install-project to this step (and sync again after the COPY), then re-run.`);
  }
  if (!args.includes('--frozen') && !args.includes('--locked')) {
    return decline(`${label} without --frozen or --locked may rewrite uv.lock, and the COPY after it would put the context's copy back. Add --locked, then re-run.`);
  }
  const pyproject = files.read('pyproject.toml');
  if (pyproject === undefined) return decline(`${label} reads pyproject.toml, which is not in the build context where the install runs.`);
  if (/\[tool\.uv\.workspace\]/.test(pyproject)) return decline(`pyproject.toml declares a uv workspace: ${label} reads every member's pyproject.toml.`);
  if (/\bpath\s*=/.test(pyproject)) return readsSources(`pyproject.toml has path dependencies, which the COPY brings.`);
  return needs(['pyproject.toml', 'uv.lock', 'uv.toml', '.python-version'], ['.venv']);
}

function poetryNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  if (install.action === 'add') return decline(`${label} changes pyproject.toml and poetry.lock, which the COPY brings again afterwards.`);
  if (!install.args.includes('--no-root') && !install.args.includes('--no-directory')) {
    return readsSources(`${label} installs the project itself, from its sources; add --no-root to this step (and install the project after the COPY), then re-run.`);
  }
  const pyproject = files.read('pyproject.toml');
  if (pyproject === undefined) return decline(`${label} reads pyproject.toml, which is not in the build context where the install runs.`);
  if (/\bpath\s*=/.test(pyproject)) return readsSources(`pyproject.toml has path dependencies, which the COPY brings.`);
  return needs(['pyproject.toml', 'poetry.lock', 'poetry.toml'], ['.venv']);
}

function pipenvNeeds(install: InstallCommand, label: string): InstallNeedsResult {
  const args = install.args;
  if (install.action === 'install' && positionalArgs(args).length > 0) return decline(`${label} names packages: it changes the Pipfile, which the COPY brings again afterwards.`);
  if (install.action !== 'sync' && !args.includes('--deploy') && !args.includes('--ignore-pipfile')) {
    return decline(`${label} may rewrite Pipfile.lock, and the COPY after it would put the context's copy back. Add --deploy, then re-run.`);
  }
  return needs(['Pipfile', 'Pipfile.lock'], ['.venv']);
}

// ---------------------------------------------------------------------------------------------------------------
// Go, Ruby, Java, PHP

function goNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  if (install.action !== 'mod download') return decline(`${label} changes go.mod, which the COPY brings again afterwards.`);
  if (files.read('go.work') !== undefined) return decline(`go.work declares a workspace: ${label} reads every module's go.mod.`);
  const goMod = files.read('go.mod');
  if (goMod === undefined) return decline(`${label} reads go.mod, which is not in the build context where the install runs.`);
  if (/=>\s*\.{1,2}\//.test(goMod)) return readsSources(`go.mod replaces a module with a local folder, which the COPY brings.`);
  if (files.read('go.sum') === undefined) return decline(`there is no go.sum: ${label} writes one, and the COPY after it would not match the original order.`);
  return needs(['go.mod', 'go.sum']);
}

function bundlerNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  const gemfile = files.read('Gemfile');
  if (gemfile === undefined) return decline(`${label} reads the Gemfile, which is not in the build context where the install runs.`);
  if (/^\s*(gemspec|eval_gemfile)\b|\bpath:|File\.|require_relative/m.test(gemfile)) {
    return readsSources(`the Gemfile reads other files (gemspec, path:, eval_gemfile or File.*), which the COPY brings.`);
  }
  if (files.isDirectory('.bundle')) return decline(`.bundle/config changes how ${label} installs; copy it before the install by hand.`);
  const frozen =
    install.args.includes('--frozen') ||
    install.args.includes('--deployment') ||
    /^(1|true)$/i.test(files.vars['BUNDLE_FROZEN'] ?? '') ||
    /^(1|true)$/i.test(files.vars['BUNDLE_DEPLOYMENT'] ?? '');
  if (!frozen && files.read('Gemfile.lock') !== undefined) {
    return decline(`${label} may rewrite Gemfile.lock, and the COPY after it would put the context's copy back. Set BUNDLE_FROZEN=true (or bundle config set frozen true), then re-run.`);
  }
  return needs(['Gemfile', 'Gemfile.lock', '.ruby-version'], ['vendor/bundle', '.bundle']);
}

function mavenNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  if (install.args.some((arg) => /^(-f|--file|-pl|--projects)(=|$)/.test(arg))) return decline(`${label} reads a POM elsewhere (-f, -pl).`);
  const pom = files.read('pom.xml');
  if (pom === undefined) return decline(`${label} reads pom.xml, which is not in the build context where the install runs.`);
  if (/<modules>/.test(pom)) return decline(`pom.xml has <modules>: ${label} reads each module's pom.xml.`);
  const wrapper = install.command.words[0].endsWith('mvnw') ? ['mvnw', '.mvn'] : ['.mvn'];
  return needs(['pom.xml', ...wrapper]);
}

function composerNeeds(install: InstallCommand, files: InstallFiles, label: string): InstallNeedsResult {
  if (!install.args.includes('--no-scripts') || !install.args.includes('--no-autoloader')) {
    return readsSources(`${label} runs scripts and builds the autoloader from the sources; add --no-scripts --no-autoloader (and run composer dump-autoload after the COPY), then re-run.`);
  }
  const composer = files.read('composer.json');
  if (composer === undefined) return decline(`${label} reads composer.json, which is not in the build context where the install runs.`);
  if (/"type"\s*:\s*"path"/.test(composer)) return readsSources(`composer.json has a path repository, which the COPY brings.`);
  return needs(['composer.json', 'composer.lock', 'auth.json'], ['vendor']);
}
