import { relocatedConfigBases } from './relocated-config-bases';

function workspace(files: Record<string, string>) {
  const read = (path: string) => files[path];
  const children = (dir: string) => Object.keys(files).filter((path) => path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes('/')).map((path) => path.slice(dir.length + 1));
  return { read, children };
}

describe('relocatedConfigBases', () => {
  it("copies the base an Nx library's tsconfig files extend to where the relative path lands from the linked copy, once", () => {
    const { read, children } = workspace({
      'tsconfig.base.json': '{ "compilerOptions": { "composite": true } }',
      'packages/shared/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "files": [] }',
      // Comments and a trailing comma, as tsconfig files have them.
      'packages/shared/tsconfig.lib.json': '{\n  // the library build\n  "extends": "../../tsconfig.base.json",\n}',
      'packages/shared/package.json': '{}',
    });
    expect(relocatedConfigBases(read, children, 'packages/shared/', 'apps/web/workspace_modules/@acme/shared/')).toEqual([
      { source: 'tsconfig.base.json', destination: 'apps/web/workspace_modules/tsconfig.base.json' },
    ]);
  });

  it('follows the chain from each base, and leaves out packages, bases inside the library, missing ones and ones that would land above the work directory', () => {
    const { read, children } = workspace({
      'tsconfig.base.json': '{ "extends": ["./tsconfig.strict.json", "@tsconfig/node20/tsconfig.json"] }',
      'tsconfig.strict.json': '{}',
      'libs/ui/tsconfig.json': '{ "extends": ["./tsconfig.own.json", "../../tsconfig.base.json", "../../missing.json"] }',
      'libs/ui/tsconfig.own.json': '{}',
      'libs/ui/tsconfig.escape.json': '{ "extends": "../../../../../outside.json" }',
    });
    expect(relocatedConfigBases(read, children, 'libs/ui', 'web/workspace_modules/ui')).toEqual([
      { source: 'tsconfig.base.json', destination: 'web/tsconfig.base.json' },
      { source: 'tsconfig.strict.json', destination: 'web/tsconfig.strict.json' },
    ]);
  });

  it('copies nothing when the library keeps its own path', () => {
    const { read, children } = workspace({ 'tsconfig.base.json': '{}', 'libs/ui/tsconfig.json': '{ "extends": "../../tsconfig.base.json" }' });
    expect(relocatedConfigBases(read, children, 'libs/ui/', 'libs/ui/')).toEqual([]);
  });
});
