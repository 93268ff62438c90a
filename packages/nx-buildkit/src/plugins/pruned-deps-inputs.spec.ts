import { prunedDepsInputs } from './pruned-deps-inputs';
import type { WorkspaceFiles } from './workspace-files';

function filesOf(contents: Record<string, unknown>): WorkspaceFiles {
  const text = (path: string) => (path in contents ? (typeof contents[path] === 'string' ? (contents[path] as string) : JSON.stringify(contents[path])) : undefined);
  return { readText: text, exists: (path) => path in contents };
}

const WORKSPACE = {
  'apps/a/package.json': { name: '@demo/a', dependencies: { '@demo/shared': '*', 'is-number': '7.0.0' }, devDependencies: { vite: '8.3.8' } },
  'apps/b/package.json': { name: '@demo/b', dependencies: { '@demo/shared': '*', ms: '2.1.3' } },
  'libs/shared/package.json': { name: '@demo/shared', dependencies: { '@demo/tokens': '*', 'is-odd': '3.0.1' }, devDependencies: { jest: '30.0.0' } },
  'libs/tokens/package.json': { name: '@demo/tokens', optionalDependencies: { 'left-pad': '1.3.0' } },
};

describe('prunedDepsInputs', () => {
  it("lists the app's and its libraries' manifests and their npm packages, never another app's or the root lockfile", () => {
    expect(prunedDepsInputs('apps/a', ['apps/b', 'libs/shared', 'libs/tokens'], filesOf(WORKSPACE))).toEqual([
      '{projectRoot}/package.json',
      '{workspaceRoot}/libs/shared/package.json',
      '{workspaceRoot}/libs/tokens/package.json',
      // The app's devDependencies install (a Vite build needs them); a library's are its own build's.
      { externalDependencies: ['is-number', 'is-odd', 'left-pad', 'vite'] },
    ]);
  });

  it('adds .yarnrc.yml, which the pruned folder carries for yarn 2+', () => {
    expect(prunedDepsInputs('apps/b', ['apps/a', 'libs/shared', 'libs/tokens'], filesOf({ ...WORKSPACE, '.yarnrc.yml': 'nodeLinker: node-modules\n' }))).toContain('{workspaceRoot}/.yarnrc.yml');
  });

  it('adds nothing for a project without a package.json (the executor then says what is missing)', () => {
    expect(prunedDepsInputs('apps/c', ['apps/a'], filesOf(WORKSPACE))).toEqual([]);
  });
});
