import { dirname } from 'node:path';

/**
 * The Nx this plugin is built for (its peerDependencies). Checked before anything else loads: against an older Nx,
 * the first failure is deep inside (`Cannot find module '@nx/devkit/internal'`), and Nx 16 even reports it as a
 * TypeScript error about its own compiler options (TS5023), which names neither the cause nor the fix.
 */
export const SUPPORTED_NX_MAJOR = 24;

export interface FoundNx {
  /** Version of each package as installed, undefined when it is not found. */
  readonly nx?: string;
  readonly devkit?: string;
  /** Where @nx/devkit was found, for the message. */
  readonly devkitPath?: string;
}

/** One line saying what was found and what is needed, or undefined when both packages are Nx 24. */
export function unsupportedNxMessage(found: FoundNx, pluginVersion: string): string | undefined {
  const major = (version: string | undefined) => (version === undefined ? undefined : Number(/^(\d+)\./.exec(version)?.[1]));
  const wrong = [
    { name: 'nx', version: found.nx },
    { name: '@nx/devkit', version: found.devkit },
  ].filter(({ version }) => version !== undefined && major(version) !== SUPPORTED_NX_MAJOR);
  if (wrong.length === 0) return undefined;
  const seen = wrong.map(({ name, version }) => `${name} ${version}${name === '@nx/devkit' && found.devkitPath ? ` (${found.devkitPath})` : ''}`).join(' and ');
  return `nx-buildkit ${pluginVersion} needs Nx ${SUPPORTED_NX_MAJOR} (nx and @nx/devkit ${SUPPORTED_NX_MAJOR}.x), but this workspace has ${seen}: upgrade with \`npx nx migrate ${SUPPORTED_NX_MAJOR}\` (and install @nx/devkit ${SUPPORTED_NX_MAJOR}), or remove nx-buildkit from nx.json's plugins.`;
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

/** Throws the one-line message when the installed Nx is not the supported one. */
export function requireSupportedNx(): void {
  const own = (() => {
    try {
      return (require('../../package.json') as { version?: string }).version ?? '';
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
