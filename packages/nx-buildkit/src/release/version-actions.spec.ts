import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import BuildkitVersionActions from './version-actions';

/** A project without build targets: versioning needs no engine, and the log says the image is not known. */
function actionsFor(versionSchemes: Record<string, string>) {
  const node = { name: 'api', type: 'app', data: { root: 'apps/api', targets: {} } };
  return new BuildkitVersionActions({ name: 'images' } as never, node as never, { dockerOptions: { versionSchemes } } as never);
}

describe('BuildkitVersionActions', () => {
  beforeEach(() => {
    process.env.NXB_TEST_BUILD = '42';
  });
  afterEach(() => {
    delete process.env.NXB_TEST_BUILD;
  });

  it('versions from the scheme a keyword or no specifier selects, and says what it could not find', async () => {
    const actions = actionsFor({ production: '{projectName}-{env.NXB_TEST_BUILD}' });
    const { newVersion, logText } = await actions.calculateNewVersion(null, 'patch');
    expect(newVersion).toBe('api-42');
    expect(logText).toBe('🐳 api-42; the image and its inputs hash are not known yet: Project "api" has no nx-buildkit:build target, so there is no image to release. Add a Dockerfile to its root, or a target that runs nx-buildkit:build. [docker version scheme "production"]');
    // The first call loads the release step's modules (Nx's project graph code among them): ~3.7 s here, and past
    // jest's default 5 s when CI shares the machine.
  }, 20_000);

  it('takes an explicit version as it is', async () => {
    expect((await actionsFor({ production: '{shortCommitSha}' }).calculateNewVersion(null, '3.1.0')).newVersion).toBe('3.1.0');
  });

  it('refuses a version with a token left unresolved', async () => {
    await expect(actionsFor({ production: '{env.NXB_TEST_UNSET}' }).calculateNewVersion(null, 'production')).rejects.toThrow(
      /Project "api": the version scheme "production" leaves \{env\.NXB_TEST_UNSET\} unresolved/,
    );
  });

  it('writes only the version file, through the Tree, and reads no manifest', async () => {
    const tree = createTreeWithEmptyWorkspace();
    const before = tree.listChanges().length;
    const actions = actionsFor({ production: '{shortCommitSha}' });
    expect(actions.validManifestFilenames).toBeNull();
    expect(await actions.readCurrentVersionFromSourceManifest()).toBeNull();
    await actions.updateProjectVersion(tree, '2612.01.3a95d8c');
    expect(tree.listChanges().slice(before).map((change) => change.path)).toEqual(['dist/docker/api/release-version.json']);
    expect(JSON.parse(tree.read('dist/docker/api/release-version.json', 'utf-8') as string)).toEqual({ project: 'api', version: '2612.01.3a95d8c' });
  });
});
