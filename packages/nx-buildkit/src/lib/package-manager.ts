export type PackageManagerName = 'npm' | 'pnpm' | 'yarn';

export interface PackageManagerSetup {
  readonly name: PackageManagerName;
  readonly lockfile: string;
  /** RUN line prefix that makes the manager available in a node image (corepack ships with Node). */
  readonly enable?: string;
  /** A RUN of its own that installs the pinned manager before the dependency install (see pinnedPackageManager). */
  readonly installTool?: string;
  /** Install exactly what the lockfile says. */
  readonly install: string;
  /** Install production dependencies only. */
  readonly installProduction: string;
  /** Where the manager keeps its download cache inside the build container (a BuildKit cache mount). */
  readonly cacheTarget: string;
  /** Runs a package.json script, optionally in one workspace package. */
  runScript(script: string, workspace?: string): string;
}

const SETUPS: Record<PackageManagerName, PackageManagerSetup> = {
  npm: {
    name: 'npm',
    lockfile: 'package-lock.json',
    install: 'npm ci --no-audit --no-fund',
    installProduction: 'npm ci --omit=dev --no-audit --no-fund',
    cacheTarget: '/root/.npm',
    runScript: (script, workspace) => (workspace ? `npm run ${script} --workspace ${workspace}` : `npm run ${script}`),
  },
  pnpm: {
    name: 'pnpm',
    lockfile: 'pnpm-lock.yaml',
    enable: 'corepack enable pnpm',
    install: 'pnpm install --frozen-lockfile',
    installProduction: 'pnpm install --frozen-lockfile --prod',
    cacheTarget: '/root/.local/share/pnpm/store',
    runScript: (script, workspace) => (workspace ? `pnpm --filter ./${workspace} run ${script}` : `pnpm run ${script}`),
  },
  yarn: {
    name: 'yarn',
    lockfile: 'yarn.lock',
    enable: 'corepack enable yarn',
    install: 'yarn install --frozen-lockfile',
    installProduction: 'yarn install --frozen-lockfile --production',
    cacheTarget: '/usr/local/share/.cache/yarn',
    runScript: (script, workspace) => (workspace ? `yarn --cwd ${workspace} run ${script}` : `yarn run ${script}`),
  },
};

/** The package manager whose lockfile is present (npm when none is), as the lockfile decides what `ci` can install. */
export function detectPackageManager(exists: (file: string) => boolean): PackageManagerSetup {
  if (exists('pnpm-lock.yaml')) return SETUPS.pnpm;
  if (exists('yarn.lock')) return SETUPS.yarn;
  return SETUPS.npm;
}

export function packageManagerSetup(name: PackageManagerName): PackageManagerSetup {
  return SETUPS[name];
}

/** `RUN --mount=type=cache,… <command>` with the manager's cache mounted, and corepack enabled first if needed. */
export function installRunLine(pm: PackageManagerSetup, production = false, dir?: string): string {
  const command = production ? pm.installProduction : pm.install;
  const withEnable = pm.enable ? `${pm.enable} && ${command}` : command;
  return `RUN --mount=type=cache,target=${pm.cacheTarget} ${dir ? `cd ${dir} && ` : ''}${withEnable}`;
}

/** The RUN that installs a pinned manager (none when corepack or npm itself is used). */
export function installToolLines(pm: PackageManagerSetup): string[] {
  return pm.installTool ? [`RUN ${pm.installTool}`] : [];
}

/**
 * The manager a workspace pins (package.json `"packageManager": "pnpm@10.34.9"`) installed at exactly that version
 * with npm, which every node image has: corepack would fetch the same version, but checks registry signatures that
 * a registry mirror may not serve ("No compatible signature found in package metadata", measured behind one). Yarn
 * 2+ (a pinned major of 2 or more, or a lockfile with `__metadata`) installs with `--immutable`. Without a pin, the
 * setup is the one the lockfile chose.
 */
export function pinnedPackageManager(base: PackageManagerSetup, packageManagerField: string | undefined, lockfileText = ''): PackageManagerSetup {
  const pin = /^(npm|pnpm|yarn)@(\d+\.\d+\.\d+[^+]*)/.exec(packageManagerField ?? '');
  const version = pin && pin[1] === base.name ? pin[2] : undefined;
  const berry = base.name === 'yarn' && (version ? Number(version.split('.')[0]) >= 2 : /^__metadata:/m.test(lockfileText));
  const setup: PackageManagerSetup = berry
    ? { ...base, install: 'yarn install --immutable', installProduction: 'yarn install --immutable', cacheTarget: '/root/.yarn/berry/cache' }
    : base;
  if (!version || base.name === 'npm') return setup;
  const npmPackage = berry ? `@yarnpkg/cli-dist@${version}` : `${base.name}@${version}`;
  return { ...setup, enable: undefined, installTool: `npm install --global --no-audit --no-fund ${npmPackage}` };
}
