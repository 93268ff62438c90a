import { pnpmWorkspaceGlobs } from './workspace-packages';

describe('pnpmWorkspaceGlobs', () => {
  it('reads the packages list in block form, quoted or not, without negations, comments or trailing slashes', () => {
    const yaml = ["packages:", "  - 'apps/*'", '  - "libs/*/"', '  - tools # the scripts', "  - '!apps/legacy'", 'catalog:', '  react: 19.0.0', ''].join('\n');
    expect(pnpmWorkspaceGlobs(yaml)).toEqual(['apps/*', 'libs/*', 'tools']);
  });

  it('is empty without a packages list', () => {
    expect(pnpmWorkspaceGlobs('onlyBuiltDependencies:\n  - esbuild\n')).toEqual([]);
  });
});
