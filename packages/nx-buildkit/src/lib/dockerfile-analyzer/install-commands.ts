import { programName, SimpleCommand } from './shell-commands';

/** Package managers whose install steps the analyzer recognises. */
export type PackageManager =
  | 'npm'
  | 'pnpm'
  | 'yarn'
  | 'bun'
  | 'pip'
  | 'uv'
  | 'poetry'
  | 'pipenv'
  | 'apt'
  | 'apk'
  | 'dnf'
  | 'go'
  | 'bundler'
  | 'gem'
  | 'maven'
  | 'gradle'
  | 'composer'
  | 'cargo'
  | 'dotnet';

export interface InstallCommand {
  readonly manager: PackageManager;
  /** What it does: `ci`, `install`, `sync`, `pip install`, `mod download`, `dependency:go-offline`… */
  readonly action: string;
  /** The words after the action (flags and package names). */
  readonly args: readonly string[];
  readonly command: SimpleCommand;
}

export interface ManagerCache {
  /** Cache folders for root, as the official images lay them out; a cache mount on them keeps downloads out of the image. */
  readonly targets: readonly string[];
  /** An existing mount whose target or id matches this counts as the manager's cache mount. */
  readonly matches: RegExp;
  /** Extra mount options the cache needs (apt locks its cache: concurrent builds must not share it). */
  readonly sharing?: 'locked';
}

/**
 * Where each manager keeps its download cache. For go, maven, gradle, cargo and dotnet the "cache" is the
 * dependency store that later build steps read; such a mount has to be repeated on those steps.
 */
export const MANAGER_CACHES: Readonly<Record<PackageManager, ManagerCache | undefined>> = {
  npm: { targets: ['/root/.npm'], matches: /(^|[/._-])npm([/._-]|$)|\.npm/ },
  pnpm: { targets: ['/root/.local/share/pnpm/store'], matches: /pnpm/ },
  yarn: { targets: ['/usr/local/share/.cache/yarn'], matches: /yarn/ },
  bun: { targets: ['/root/.bun/install/cache'], matches: /bun/ },
  pip: { targets: ['/root/.cache/pip'], matches: /(^|[/._-])pip([/._-]|$)/ },
  uv: { targets: ['/root/.cache/uv'], matches: /(^|[/._-])uv([/._-]|$)/ },
  // Only the download caches: poetry's default virtualenvs live beside them, and they must stay in the image.
  poetry: { targets: ['/root/.cache/pypoetry/cache', '/root/.cache/pypoetry/artifacts'], matches: /poetry/ },
  pipenv: { targets: ['/root/.cache/pipenv'], matches: /pipenv|(^|[/._-])pip([/._-]|$)/ },
  apt: { targets: ['/var/cache/apt', '/var/lib/apt/lists'], matches: /\/var\/(cache|lib)\/apt|(^|[/._-])apt([/._-]|$)/, sharing: 'locked' },
  // `apk add --no-cache` is the idiom of Alpine images: nothing is left behind, there is nothing to mount.
  apk: undefined,
  dnf: { targets: ['/var/cache/dnf'], matches: /dnf|yum/, sharing: 'locked' },
  go: { targets: ['/go/pkg/mod'], matches: /go\/pkg\/mod|gomod|go-mod|(^|[/._-])go([/._-]|$)/ },
  bundler: { targets: ['/usr/local/bundle/cache'], matches: /bundle|gem/ },
  gem: undefined,
  maven: { targets: ['/root/.m2'], matches: /\.m2|maven/ },
  gradle: { targets: ['/root/.gradle'], matches: /gradle/ },
  composer: { targets: ['/root/.composer/cache'], matches: /composer/ },
  cargo: { targets: ['/usr/local/cargo/registry'], matches: /cargo/ },
  dotnet: { targets: ['/root/.nuget/packages'], matches: /nuget/ },
};

const NPM_INSTALL = new Set(['install', 'i', 'ci', 'clean-install', 'install-clean', 'isntall', 'add', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal']);

/** The install a simple command runs, if it is one. */
export function detectInstall(command: SimpleCommand): InstallCommand | undefined {
  const words = command.words;
  const program = programName(words[0]);
  const rest = words.slice(1);
  const make = (manager: PackageManager, action: string, args: readonly string[]): InstallCommand => ({ manager, action, args, command });
  const sub = firstPositional(rest, OPTIONS_WITH_VALUE[program] ?? OPTIONS_WITH_VALUE[/^pip[0-9.]*$/.test(program) ? 'pip' : program]);

  switch (program) {
    case 'npm':
      return sub && NPM_INSTALL.has(sub.word) ? make('npm', sub.word === 'i' ? 'install' : sub.word, rest.slice(sub.index + 1)) : undefined;
    case 'pnpm':
      return sub && ['install', 'i', 'add', 'fetch'].includes(sub.word) ? make('pnpm', sub.word === 'i' ? 'install' : sub.word, rest.slice(sub.index + 1)) : undefined;
    case 'yarn':
      // A bare `yarn` (flags allowed) installs.
      if (!sub) return make('yarn', 'install', rest);
      // `yarn workspaces focus <workspace>` (Yarn 2+) installs one workspace's dependencies.
      if (sub.word === 'workspaces' && rest[sub.index + 1] === 'focus') return make('yarn', 'workspaces focus', rest.slice(sub.index + 2));
      return ['install', 'add'].includes(sub.word) ? make('yarn', sub.word, rest.slice(sub.index + 1)) : undefined;
    case 'bun':
      return sub && ['install', 'i', 'add'].includes(sub.word) ? make('bun', 'install', rest.slice(sub.index + 1)) : undefined;
    case 'corepack':
      // `corepack pnpm install` runs the manager through corepack.
      return sub && ['pnpm', 'yarn', 'npm'].includes(sub.word) ? detectInstall({ ...command, words: rest.slice(sub.index) }) : undefined;
    case 'poetry':
      return sub && ['install', 'sync', 'add'].includes(sub.word) ? make('poetry', sub.word, rest.slice(sub.index + 1)) : undefined;
    case 'pipenv':
      return sub && ['install', 'sync'].includes(sub.word) ? make('pipenv', sub.word, rest.slice(sub.index + 1)) : undefined;
    case 'uv': {
      if (sub?.word === 'sync' || sub?.word === 'add') return make('uv', sub.word, rest.slice(sub.index + 1));
      if (sub?.word === 'pip') {
        const next = firstPositional(rest.slice(sub.index + 1));
        if (next && (next.word === 'install' || next.word === 'sync')) return make('uv', `pip ${next.word}`, rest.slice(sub.index + 2 + next.index));
      }
      return undefined;
    }
    case 'apt-get':
    case 'apt':
    case 'aptitude':
      return sub && (sub.word === 'install' || sub.word === 'build-dep') ? make('apt', sub.word, rest.slice(sub.index + 1)) : undefined;
    case 'apk':
      return sub?.word === 'add' ? make('apk', 'add', rest.slice(sub.index + 1)) : undefined;
    case 'dnf':
    case 'yum':
    case 'microdnf':
      return sub?.word === 'install' ? make('dnf', 'install', rest.slice(sub.index + 1)) : undefined;
    case 'go':
      if (sub?.word === 'mod' && firstPositional(rest.slice(sub.index + 1))?.word === 'download') return make('go', 'mod download', rest.slice(sub.index + 2));
      return sub?.word === 'get' ? make('go', 'get', rest.slice(sub.index + 1)) : undefined;
    case 'bundle':
    case 'bundler':
      if (!sub) return make('bundler', 'install', rest);
      return sub.word === 'install' ? make('bundler', 'install', rest.slice(sub.index + 1)) : undefined;
    case 'gem':
      return sub?.word === 'install' ? make('gem', 'install', rest.slice(sub.index + 1)) : undefined;
    case 'mvn':
    case 'mvnw': {
      const goal = rest.find((word) => /(^|:)(go-offline|resolve|resolve-plugins|resolve-dependencies)$/.test(word));
      return goal ? make('maven', goal, rest) : undefined;
    }
    case 'gradle':
    case 'gradlew': {
      const task = rest.find((word) => /dependencies$/i.test(word) || word === '--refresh-dependencies');
      return task ? make('gradle', task, rest) : undefined;
    }
    case 'composer':
      return sub?.word === 'install' ? make('composer', 'install', rest.slice(sub.index + 1)) : undefined;
    case 'cargo':
      return sub?.word === 'fetch' ? make('cargo', 'fetch', rest.slice(sub.index + 1)) : undefined;
    case 'dotnet':
      return sub?.word === 'restore' ? make('dotnet', 'restore', rest.slice(sub.index + 1)) : undefined;
  }

  if (/^pip[0-9.]*$/.test(program)) {
    return sub?.word === 'install' ? make('pip', 'install', rest.slice(sub.index + 1)) : undefined;
  }
  if (/^python[0-9.]*$/.test(program)) {
    const m = rest.indexOf('-m');
    if (m >= 0 && /^pip[0-9.]*$/.test(rest[m + 1] ?? '')) {
      const pipArgs = rest.slice(m + 2);
      const pipSub = firstPositional(pipArgs, OPTIONS_WITH_VALUE.pip);
      if (pipSub?.word === 'install') return make('pip', 'install', pipArgs.slice(pipSub.index + 1));
    }
  }
  return undefined;
}

/** `apt-get update` (also `apt update`). */
export function isAptUpdate(command: SimpleCommand): boolean {
  const program = programName(command.words[0]);
  return (program === 'apt-get' || program === 'apt' || program === 'aptitude') && firstPositional(command.words.slice(1), OPTIONS_WITH_VALUE['apt-get'])?.word === 'update';
}

/**
 * Options written before the subcommand that take their value as the next word (`yarn --network-timeout 600000`,
 * `npm --prefix app ci`, `apt-get -o Acquire::Retries=3 install`): that word is the option's, not the subcommand.
 * Only the options that appear before a subcommand in Dockerfiles are listed; `--name=value` needs no entry.
 */
export const OPTIONS_WITH_VALUE: Readonly<Record<string, ReadonlySet<string>>> = {
  npm: new Set(['--prefix', '-C', '--cache', '--registry', '--loglevel', '--userconfig', '--globalconfig', '-w', '--workspace', '--omit', '--include', '--fetch-retries', '--fetch-timeout', '--location']),
  pnpm: new Set(['-C', '--dir', '-F', '--filter', '--store-dir', '--reporter', '--loglevel', '--registry', '--network-concurrency', '--child-concurrency', '--workspace-concurrency', '--config']),
  yarn: new Set(['--network-timeout', '--cache-folder', '--modules-folder', '--cwd', '--mutex', '--registry', '--network-concurrency', '--global-folder', '--link-folder', '--use-yarnrc']),
  bun: new Set(['--cwd', '-c', '--config']),
  pip: new Set(['--cache-dir', '--log', '--proxy', '--timeout', '--retries', '--trusted-host', '--cert', '--client-cert', '--exists-action', '--python']),
  uv: new Set(['--cache-dir', '--directory', '--project', '--python', '-p', '--config-file', '--color']),
  poetry: new Set(['-C', '--directory', '-P', '--project']),
  'apt-get': new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file']),
  apt: new Set(['-o', '--option', '-t', '--target-release', '--default-release', '-c', '--config-file']),
  apk: new Set(['-X', '--repository', '-p', '--root', '--repositories-file', '--arch', '--cache-dir', '--keys-dir', '--wait', '--timeout']),
  dnf: new Set(['--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot', '-c', '--config']),
  yum: new Set(['--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot', '-c', '--config']),
  microdnf: new Set(['--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot', '--config']),
  composer: new Set(['-d', '--working-dir']),
  bundle: new Set(['--gemfile', '--path', '--jobs', '-j', '--retry']),
  gem: new Set(['--source', '-s', '--install-dir', '-i', '--bindir', '-n']),
};

/**
 * The first word that is not an option, skipping the values of the options listed for the tool. An option that
 * takes a value and is not listed makes its value read as the subcommand, and the command is then not recognised.
 */
function firstPositional(words: readonly string[], optionsWithValue?: ReadonlySet<string>): { word: string; index: number } | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    if (!word.startsWith('-')) return { word, index };
    if (optionsWithValue?.has(word)) index++;
  }
  return undefined;
}

export function managerLabel(install: InstallCommand): string {
  const program = programName(install.command.words[0]);
  return `${program === 'python' || program === 'python3' ? 'pip' : program} ${install.action}`;
}

/**
 * A mount named for the manager but not on its folder: Yarn 1 run as root caches in its global folder,
 * /usr/local/share/.cache/yarn, so a mount on /root/.cache/yarn (excalidraw) stays empty — unless YARN_CACHE_FOLDER
 * points there.
 */
export function isMisplacedMount(install: InstallCommand, target: string, text: string): boolean {
  return install.manager === 'yarn' && /^\/root\/\.cache\/yarn\/?$/.test(target) && !/YARN_CACHE_FOLDER|XDG_CACHE_HOME|cache-folder/.test(text);
}

/** Whether an existing cache mount is taken for the manager's cache: its target or its id names it. */
export function mountCoversCache(manager: PackageManager, mount: { readonly target: string; readonly id?: string }): boolean {
  const cache = MANAGER_CACHES[manager];
  return cache !== undefined && (cache.matches.test(mount.target) || (mount.id !== undefined && cache.matches.test(mount.id)));
}
