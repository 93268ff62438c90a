import { describeLocalDependencies, findLocalDependencies, unreachableLocalDependencies } from './local-dependencies';

describe('local-path dependencies an image would install', () => {
  const manifest = {
    dependencies: { express: '5.3.0', vendored: 'file:vendor/vendored-1.0.0.tgz', '@acme/shared': 'file:libs/shared' },
    devDependencies: { tool: 'link:../tool', berry: 'portal:../berry' },
  };

  it('finds file:, link: and portal: specs, restricted to the packages the image installs, workspace libraries left out', () => {
    expect(findLocalDependencies(manifest, 'package.json', { except: new Set(['@acme/shared']) }).map((dep) => dep.name)).toEqual(['berry', 'tool', 'vendored']);
    expect(findLocalDependencies(manifest, 'package.json', { only: new Set(['vendored', 'express']) })).toEqual([{ name: 'vendored', spec: 'file:vendor/vendored-1.0.0.tgz', manifest: 'package.json' }]);
    expect(findLocalDependencies(undefined, 'package.json')).toEqual([]);
  });

  it('names each one, where it is declared, and the fix, in one line', () => {
    const message = describeLocalDependencies('web', findLocalDependencies(manifest, 'package.json', { only: new Set(['vendored']) }));
    expect(message).toBe(
      'Project "web"\'s image would install a dependency from a local path, which the install inside the image cannot read (npm ci fails with ENOENT): "vendored": "file:vendor/vendored-1.0.0.tgz" (package.json). Publish it to a registry and depend on a version, or make it a library of this workspace that the app imports.',
    );
    expect(message).not.toContain('\n');
  });
});

describe('local-path dependencies the build cannot install', () => {
  const manifests: Record<string, object> = {
    'dist/apps/api/package.json': { dependencies: { express: '5.3.0', vendored: 'file:vendor/vendored-1.0.0.tgz' } },
    'apps/a/package.json': { dependencies: { shared: 'file:../../libs/shared', outside: 'link:../../../elsewhere' } },
    'deps://package.json': { dependencies: { '@demo/shared': 'file:./workspace_modules/@demo/shared' } },
    'node_modules/x/package.json': { dependencies: { y: 'file:../y' } },
  };
  const files = [...Object.keys(manifests), 'libs/shared/index.js', 'deps://workspace_modules/@demo/shared/package.json', 'dist/apps/api/main.js'];

  it('names those whose target the build does not send, and only those', () => {
    expect(unreachableLocalDependencies(files, (key) => manifests[key]).map((dep) => `${dep.manifest}: ${dep.name}`)).toEqual([
      'dist/apps/api/package.json: vendored',
      'apps/a/package.json: outside',
    ]);
  });
});
