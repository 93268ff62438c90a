import { dirname } from 'node:path';

/**
 * The Nx majors this plugin supports (its peerDependencies), oldest and newest. Checked before anything else loads:
 * against an older Nx the first failure is deep inside (`Cannot find module '@nx/devkit/internal'`), and Nx 16 even
 * reports it as a TypeScript error about its own compiler options (TS5023), which names neither the cause nor the fix.
 * Where the supported majors differ in what the plugin uses, lib/nx/nx-internal-adapter.ts takes a path per major.
 */
export const OLDEST_NX_MAJOR = 21;
export const NEWEST_NX_MAJOR = 24;

export interface FoundNx {
  /** Version of each package as installed, undefined when it is not found. */
  readonly nx?: string;
  readonly devkit?: string;
  /** Where @nx/devkit was found, for the message. */
  readonly devkitPath?: string;
}

/** The major version of a semver string, undefined for anything that does not start with one. */
export function majorOf(version: string | undefined): number | undefined {
  const match = version === undefined ? null : /^(\d+)\./.exec(version);
  return match ? Number(match[1]) : undefined;
}

export function isSupportedNxMajor(major: number | undefined): boolean {
  return major !== undefined && major >= OLDEST_NX_MAJOR && major <= NEWEST_NX_MAJOR;
}

/**
 * One line saying what was found, the supported range and what to do; undefined when nx and @nx/devkit are both in
 * the range. Their majors may differ within it (each @nx/devkit accepts the nx majors around its own, and a workspace
 * whose nx was bumped ahead of its @nx/* plugins has exactly that): the adapter detects what each provides.
 */
export function unsupportedNxMessage(found: FoundNx, pluginVersion: string): string | undefined {
  const wrong = [
    { name: 'nx', version: found.nx },
    { name: '@nx/devkit', version: found.devkit },
  ].filter(({ version }) => version !== undefined && !isSupportedNxMajor(majorOf(version)));
  if (wrong.length === 0) return undefined;
  const seen = wrong.map(({ name, version }) => `${name} ${version}${name === '@nx/devkit' && found.devkitPath ? ` (${found.devkitPath})` : ''}`).join(' and ');
  const range = `Nx ${OLDEST_NX_MAJOR} to ${NEWEST_NX_MAJOR} (nx and @nx/devkit ${OLDEST_NX_MAJOR}.x–${NEWEST_NX_MAJOR}.x)`;
  const tooNew = wrong.every(({ version }) => (majorOf(version) ?? 0) > NEWEST_NX_MAJOR);
  const fix = tooNew
    ? `install a newer nx-buildkit that supports it, or stay on Nx ${NEWEST_NX_MAJOR} (\`npx nx migrate ${NEWEST_NX_MAJOR}\`)`
    : `upgrade to Nx ${OLDEST_NX_MAJOR} or later with \`npx nx migrate ${OLDEST_NX_MAJOR}\` (nx and @nx/devkit of one major), or remove nx-buildkit from nx.json's plugins`;
  return `nx-buildkit ${pluginVersion} supports ${range}, but this workspace has ${seen}: ${fix}.`;
}

/** The versions the plugin's own require() would load: from where the plugin is installed, as Node resolves them. */
export function findInstalledNx(): FoundNx {
  const version = (name: string): { version?: string; path?: string } => {
    try {
      const manifest = require.resolve(`${name}/package.json`);
      return { version: (require(manifest) as { version?: string }).version, path: dirname(manifest) };
    } catch {
      return {};
    }
  };
  const nx = version('nx');
  const devkit = version('@nx/devkit');
  return { nx: nx.version, devkit: devkit.version, devkitPath: devkit.path };
}

/** Throws the one-line message when the installed Nx is not a supported one. */
export function requireSupportedNx(): void {
  const own = (() => {
    try {
      return (require('../../../package.json') as { version?: string }).version ?? '';
    } catch {
      return '';
    }
  })();
  const message = unsupportedNxMessage(findInstalledNx(), own);
  if (!message) return;
  const error = new Error(message);
  // No stack: the message is the whole story, and Nx prints a stack under it otherwise.
  error.stack = message;
  throw error;
}

/**
 * Nx 22 added `preferBatch` (measured: absent from nx 21.6.11, present in 22.7.12): from 22 on the executor's batch
 * mode is the default; on 21 every image runs in a process of its own unless the run asks for batch mode.
 */
export const FIRST_NX_MAJOR_PREFERRING_BATCH = 22;

/** What a user of an Nx without preferBatch needs to know to build many images in one process; else undefined. */
export function batchModeHint(nxMajor: number | undefined): string | undefined {
  if (nxMajor === undefined || nxMajor >= FIRST_NX_MAJOR_PREFERRING_BATCH) return undefined;
  return `nx-buildkit: on Nx ${nxMajor} batch mode (every image of a run in one process, one engine connection) is not the default: pass --batch (\`nx affected -t docker-build --batch\`) or set NX_BATCH_MODE=true in CI.`;
}
