import { rootConfigsToCopy } from './root-configs';

function workspace(files: Record<string, string>) {
  const read = (path: string) => files[path];
  const children = (dir: string) =>
    Object.keys(files)
      .filter((path) => path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes('/'))
      .map((path) => path.slice(dir.length + 1));
  return { read, children };
}

describe('rootConfigsToCopy', () => {
  it('leaves out the solution tsconfig.json that no project config extends (Nx TS-solution workspaces)', () => {
    const { read, children } = workspace({
      'tsconfig.base.json': '{ "compilerOptions": {} }',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json", "references": [{ "path": "./apps/web" }, { "path": "./libs/ui" }] }',
      'apps/web/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "references": [{ "path": "./tsconfig.app.json" }] }',
      'apps/web/tsconfig.app.json': '{ "extends": "../../tsconfig.base.json" }',
      'libs/ui/tsconfig.json': '{ "extends": "../../tsconfig.base.json" }',
    });
    expect(rootConfigsToCopy(read, children, ['apps/web', 'libs/ui'])).toEqual(['tsconfig.base.json']);
  });

  it('copies the root tsconfig.json when a project config extends it, directly or through another config', () => {
    const direct = workspace({
      'tsconfig.base.json': '{}',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json" }',
      'apps/web/tsconfig.json': '{ "extends": "../../tsconfig.json" }',
    });
    expect(rootConfigsToCopy(direct.read, direct.children, ['apps/web'])).toEqual(['tsconfig.base.json', 'tsconfig.json']);
    const chained = workspace({
      'tsconfig.base.json': '{}',
      'tsconfig.json': '{}',
      'configs/tsconfig.react.json': '{ "extends": ["../tsconfig.json"] }',
      'libs/ui/tsconfig.lib.json': '{ "extends": "../../configs/tsconfig.react.json" }',
    });
    expect(rootConfigsToCopy(chained.read, chained.children, ['apps/web', 'libs/ui/'])).toEqual(['tsconfig.base.json', 'tsconfig.json']);
  });

  it('copies the root tsconfig.json when there is no tsconfig.base.json (it holds the paths then)', () => {
    const { read, children } = workspace({ 'tsconfig.json': '{ "compilerOptions": { "paths": {} } }', 'apps/web/tsconfig.json': '{}' });
    expect(rootConfigsToCopy(read, children, ['apps/web'])).toEqual(['tsconfig.json']);
  });

  it('copies nothing when the workspace has no root config, and survives a config that is not JSON or extends in a loop', () => {
    expect(rootConfigsToCopy(() => undefined, () => [], ['apps/web'])).toEqual([]);
    const { read, children } = workspace({
      'tsconfig.base.json': '{}',
      'tsconfig.json': '{ "extends": "./apps/web/tsconfig.json" }',
      'apps/web/tsconfig.json': '{ "extends": "../../tsconfig.json" }',
      'apps/web/tsconfig.broken.json': '{ not json',
    });
    expect(rootConfigsToCopy(read, children, ['apps/web'])).toEqual(['tsconfig.base.json', 'tsconfig.json']);
  });
});
