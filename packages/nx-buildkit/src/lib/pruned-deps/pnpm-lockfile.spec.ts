import { linkWorkspaceLibraries, PnpmLockfile, pnpmWorkspaceYaml } from './pnpm-lockfile';
import type { WorkspacePackage } from './workspace-libraries';

const dep = (specifier: string, version: string) => ({ specifier, version });

const packages = {
  'is-number@6.0.0': { resolution: { integrity: 'sha512-6' } },
  'is-number@7.0.0': { resolution: { integrity: 'sha512-7' } },
  'is-odd@3.0.1': { resolution: { integrity: 'sha512-o' } },
  'left-pad@1.3.0': { resolution: { integrity: 'sha512-l' } },
};
const snapshots = { 'is-number@6.0.0': {}, 'is-number@7.0.0': {}, 'is-odd@3.0.1': { dependencies: { 'is-number': '6.0.0' } }, 'left-pad@1.3.0': {} };

/** The root lockfile: apps/a → libs/lib (is-odd) → libs/lib2 (left-pad); the lib has a devDependency of its own. */
const ROOT: PnpmLockfile = {
  lockfileVersion: '9.0',
  importers: {
    'apps/a': { dependencies: { '@demo/lib': dep('workspace:*', 'link:../../libs/lib'), 'is-number': dep('7.0.0', '7.0.0') } },
    'libs/lib': {
      dependencies: { '@demo/lib2': dep('workspace:*', 'link:../lib2'), 'is-odd': dep('3.0.1', '3.0.1') },
      devDependencies: { jest: dep('30.0.0', '30.0.0') },
    },
    'libs/lib2': { dependencies: { 'left-pad': dep('1.3.0', '1.3.0') } },
  },
  packages,
  snapshots,
};

/**
 * What Nx 24.0.6 writes for app a (measured): the libs as `file:` directory packages. With the manifest's
 * `workspace:*`, `pnpm install --frozen-lockfile` fails (ERR_PNPM_OUTDATED_LOCKFILE); with `file:` it installs, but
 * copies the lib into the store, so its sources would have to come before the install.
 */
const NX_PRUNED_FOR_A: PnpmLockfile = {
  lockfileVersion: '9.0',
  importers: {
    '.': {
      dependencies: {
        '@demo/lib': dep('file:./workspace_modules/@demo/lib', 'file:workspace_modules/@demo/lib'),
        'is-number': dep('7.0.0', '7.0.0'),
        'is-odd': dep('3.0.1', '3.0.1'),
        'left-pad': dep('1.3.0', '1.3.0'),
      },
    },
  },
  packages: {
    ...packages,
    '@demo/lib@file:workspace_modules/@demo/lib': { resolution: { directory: 'workspace_modules/@demo/lib', type: 'directory' } },
    '@demo/lib2@file:workspace_modules/@demo/lib2': { resolution: { directory: 'workspace_modules/@demo/lib2', type: 'directory' } },
  },
  snapshots: {
    ...snapshots,
    '@demo/lib@file:workspace_modules/@demo/lib': { dependencies: { '@demo/lib2': 'file:workspace_modules/@demo/lib2', 'is-odd': '3.0.1' } },
    '@demo/lib2@file:workspace_modules/@demo/lib2': { dependencies: { 'left-pad': '1.3.0' } },
  },
};

const libs: WorkspacePackage[] = [
  { name: '@demo/lib', root: 'libs/lib', manifest: { name: '@demo/lib', dependencies: { '@demo/lib2': 'workspace:*', 'is-odd': '3.0.1' }, devDependencies: { jest: '30.0.0' } } },
  { name: '@demo/lib2', root: 'libs/lib2', manifest: { name: '@demo/lib2', dependencies: { 'left-pad': '1.3.0' } } },
];
const appManifest = { name: '@demo/a', dependencies: { '@demo/lib': 'workspace:*', 'is-number': '7.0.0', 'is-odd': '3.0.1', 'left-pad': '1.3.0' } };

describe('linkWorkspaceLibraries', () => {
  it('makes each library a linked importer of a small workspace, and drops its file: package', () => {
    const fixed = linkWorkspaceLibraries(NX_PRUNED_FOR_A, ROOT, appManifest, libs);
    expect(fixed.importers).toEqual({
      '.': {
        dependencies: {
          '@demo/lib': dep('workspace:*', 'link:workspace_modules/@demo/lib'),
          'is-number': dep('7.0.0', '7.0.0'),
          'is-odd': dep('3.0.1', '3.0.1'),
          'left-pad': dep('1.3.0', '1.3.0'),
        },
      },
      // The lib's devDependencies are left out, as its install manifest is written without them.
      'workspace_modules/@demo/lib': { dependencies: { '@demo/lib2': dep('workspace:*', 'link:../lib2'), 'is-odd': dep('3.0.1', '3.0.1') } },
      'workspace_modules/@demo/lib2': { dependencies: { 'left-pad': dep('1.3.0', '1.3.0') } },
    });
    expect(Object.keys(fixed.packages ?? {})).toEqual(Object.keys(packages));
    expect(Object.keys(fixed.snapshots ?? {})).toEqual(Object.keys(snapshots));
  });

  it('names the library and the package when Nx left out a version the library needs', () => {
    const { 'is-odd@3.0.1': _dropped, ...withoutIsOdd } = snapshots;
    expect(() => linkWorkspaceLibraries({ ...NX_PRUNED_FOR_A, snapshots: withoutIsOdd }, ROOT, appManifest, libs)).toThrow(
      'The pruned pnpm lockfile lacks "is-odd@3.0.1", a dependency of the workspace library "@demo/lib" (libs/lib)',
    );
  });

  it('names the library and the fix when the root lockfile has no importer for it', () => {
    expect(() => linkWorkspaceLibraries(NX_PRUNED_FOR_A, { lockfileVersion: '9.0', importers: {} }, appManifest, libs)).toThrow(
      'The workspace\'s pnpm-lock.yaml has no importer "libs/lib" for the workspace library "@demo/lib": run "pnpm install" at the workspace root',
    );
  });

  it('writes a pnpm-workspace.yaml of the libraries', () => {
    expect(pnpmWorkspaceYaml(libs)).toBe("packages:\n  - 'workspace_modules/@demo/lib'\n  - 'workspace_modules/@demo/lib2'\n");
    expect(pnpmWorkspaceYaml([])).toBe('packages: []\n');
  });
});
