export type PackageManagerName = 'npm' | 'pnpm' | 'yarn';

export interface PackageManagerSetup {
  readonly name: PackageManagerName;
  readonly lockfile: string;
  /** RUN line prefix that makes the manager available in a node image (corepack ships with Node). */
  readonly enable?: string;
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
export function installRunLine(pm: PackageManagerSetup, production = false): string {
  const command = production ? pm.installProduction : pm.install;
  const withEnable = pm.enable ? `${pm.enable} && ${command}` : command;
  return `RUN --mount=type=cache,target=${pm.cacheTarget} ${withEnable}`;
}
