import { workspaceTargetOutputs } from './target-outputs';

describe('workspaceTargetOutputs', () => {
  it('lists declared outputs with tokens resolved, and Nx defaults for a build target without outputs', () => {
    const outputs = workspaceTargetOutputs({
      api: { root: 'apps/api', targets: { build: {}, lint: {}, test: { outputs: ['{workspaceRoot}/coverage/{projectRoot}'] } } },
      web: { root: 'apps/web', targets: { build: { outputs: ['{options.outputPath}'], options: { outputPath: 'dist/web' } } } },
    });
    expect(outputs).toEqual([
      { path: 'dist/apps/api', producer: 'api:build' },
      { path: 'apps/api/dist', producer: 'api:build' },
      { path: 'coverage/apps/api', producer: 'api:test' },
      { path: 'dist/web', producer: 'web:build' },
    ]);
  });

  it('lists nothing for projects without targets', () => {
    expect(workspaceTargetOutputs({ lib: { root: 'libs/lib' } })).toEqual([]);
  });
});
