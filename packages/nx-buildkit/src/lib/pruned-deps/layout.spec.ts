import { libraryInstallManifest, withLibraryWorkspaces, withoutDevDependencies, withOwnSections, workspaceModulePath } from './layout';
import { workspaceLibrariesOf, WorkspacePackage } from './workspace-libraries';

describe('pruned-deps layout', () => {
  it('puts every library under workspace_modules/<name>, where Nx links it', () => {
    expect(workspaceModulePath('@demo/lib')).toBe('workspace_modules/@demo/lib');
  });

  it("drops the app's devDependencies for a production-only install, and keeps the rest as it was", () => {
    const manifest = { name: '@demo/api', dependencies: { express: '5.1.0', '@demo/lib': '*' }, devDependencies: { '@nx/webpack': '23.2.1' }, peerDependencies: { webpack: '5.0.0' } };
    expect(withoutDevDependencies(manifest)).toEqual({ name: '@demo/api', dependencies: { express: '5.1.0', '@demo/lib': '*' }, peerDependencies: { webpack: '5.0.0' } });
    expect(manifest.devDependencies).toEqual({ '@nx/webpack': '23.2.1' });
  });

  it('installs a library without its devDependencies and scripts', () => {
    expect(libraryInstallManifest({ name: '@demo/lib', main: 'index.js', scripts: { prepare: 'tsc' }, dependencies: { a: '1.0.0' }, devDependencies: { jest: '30.0.0' } })).toEqual({
      name: '@demo/lib',
      main: 'index.js',
      dependencies: { a: '1.0.0' },
    });
  });

  it('declares the libraries as workspaces for yarn (yarn 1: `Couldn\'t find package "@demo/lib" on the "npm" registry` without), private', () => {
    expect(withLibraryWorkspaces({ name: '@demo/a', dependencies: { '@demo/lib': '*' } }, ['@demo/lib'])).toEqual({
      name: '@demo/a',
      private: true,
      dependencies: { '@demo/lib': '*' },
      workspaces: ['workspace_modules/@demo/lib'],
    });
    expect(withLibraryWorkspaces({ name: '@demo/a' }, [])).toEqual({ name: '@demo/a' });
  });
});

describe('withOwnSections', () => {
  it("keeps a devDependency of the app's own manifest out of the dependencies Nx added it to (pnpm's frozen install fails on both)", () => {
    // Nx 24.0.6 for a Vite app whose vite.config.js imports vite, declared in the app's devDependencies.
    const fromNx = { name: '@demo/a', dependencies: { '@demo/shared': 'workspace:*', 'is-number': '7.0.0', vite: '8.3.8' }, devDependencies: { vite: '8.3.8' } };
    const own = { name: '@demo/a', dependencies: { '@demo/shared': 'workspace:*', 'is-number': '7.0.0' }, devDependencies: { vite: '8.3.8' } };
    expect(withOwnSections(fromNx, own)).toEqual(own);
  });

  it('leaves a package the app declares in both sections where it is', () => {
    const both = { name: '@demo/a', dependencies: { vite: '8.3.8' }, devDependencies: { vite: '8.3.8' } };
    expect(withOwnSections(both, both)).toEqual(both);
  });
});

describe('workspaceLibrariesOf', () => {
  const pkg = (name: string, root: string, manifest: WorkspacePackage['manifest']): [string, WorkspacePackage] => [name, { name, root, manifest: { name, ...manifest } }];
  const packages = new Map([
    pkg('@demo/ui', 'libs/ui', { dependencies: { '@demo/tokens': 'workspace:*' }, devDependencies: { '@demo/test-utils': 'workspace:*' } }),
    pkg('@demo/tokens', 'libs/tokens', {}),
    pkg('@demo/test-utils', 'libs/test-utils', {}),
    pkg('@demo/build-tool', 'tools/build', {}),
    pkg('@demo/other', 'libs/other', {}),
  ]);

  it("follows the app's sections and the libraries' runtime dependencies, transitively", () => {
    const libs = workspaceLibrariesOf({ name: '@demo/web', dependencies: { '@demo/ui': '*', react: '19.0.0' }, devDependencies: { '@demo/build-tool': '*' } }, packages);
    expect(libs.map((lib) => lib.name)).toEqual(['@demo/build-tool', '@demo/tokens', '@demo/ui']);
  });
});
