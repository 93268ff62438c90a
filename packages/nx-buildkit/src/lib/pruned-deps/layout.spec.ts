import { libraryInstallManifest, withLibraryWorkspaces, workspaceModulePath } from './layout';
import { workspaceLibrariesOf, WorkspacePackage } from './workspace-libraries';

describe('pruned-deps layout', () => {
  it('puts every library under workspace_modules/<name>, where Nx links it', () => {
    expect(workspaceModulePath('@demo/lib')).toBe('workspace_modules/@demo/lib');
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
