import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { buildEmitsPackageJson, configEnablesGeneratePackageJson } from './emits-package-json';

describe('configEnablesGeneratePackageJson', () => {
  it('finds the option as @nx/nest and @nx/node write it in webpack.config.js', () => {
    expect(configEnablesGeneratePackageJson("new NxAppWebpackPlugin({\n  target: 'node',\n  generatePackageJson: true,\n  sourceMap: true,\n})")).toBe(true);
  });
  it('is false when the option is off, absent, or only in a comment', () => {
    expect(configEnablesGeneratePackageJson('new NxAppWebpackPlugin({ generatePackageJson: false })')).toBe(false);
    expect(configEnablesGeneratePackageJson("new NxAppWebpackPlugin({ target: 'node' })")).toBe(false);
    expect(configEnablesGeneratePackageJson('// generatePackageJson: true,\nnew NxAppWebpackPlugin({})')).toBe(false);
    expect(configEnablesGeneratePackageJson('/* generatePackageJson: true */ new NxAppWebpackPlugin({})')).toBe(false);
  });
  it('keeps a URL in a string from being read as a comment', () => {
    expect(configEnablesGeneratePackageJson("const u = 'http://x';\nnew NxAppWebpackPlugin({ generatePackageJson: true })")).toBe(true);
  });
});

describe('buildEmitsPackageJson', () => {
  it('reads the target option first: an executor build that sets it, or turns it off', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('apps/api/webpack.config.js', 'new NxAppWebpackPlugin({ generatePackageJson: true })');
    expect(buildEmitsPackageJson(tree, 'apps/api', { executor: '@nx/esbuild:esbuild', options: { generatePackageJson: true } })).toBe(true);
    expect(buildEmitsPackageJson(tree, 'apps/api', { executor: '@nx/webpack:webpack', options: { generatePackageJson: false } })).toBe(false);
  });
  it("reads a build inferred from the project's webpack or rspack config", () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('apps/nest-api/webpack.config.js', 'new NxAppWebpackPlugin({ generatePackageJson: true })');
    tree.write('apps/other/rspack.config.ts', 'export default withNx({ generatePackageJson: true })');
    tree.write('apps/plain/webpack.config.js', 'new NxAppWebpackPlugin({})');
    const inferred = { command: 'webpack-cli build', options: { cwd: 'apps/x', args: ['--node-env=production'] } };
    expect(buildEmitsPackageJson(tree, 'apps/nest-api', inferred)).toBe(true);
    expect(buildEmitsPackageJson(tree, 'apps/other', inferred)).toBe(true);
    expect(buildEmitsPackageJson(tree, 'apps/plain', inferred)).toBe(false);
    expect(buildEmitsPackageJson(tree, 'apps/none', inferred)).toBe(false);
    expect(buildEmitsPackageJson(tree, 'apps/nest-api', undefined)).toBe(false);
  });
});
