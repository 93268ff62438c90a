import { releaseImagesOf } from './release-images';

const schemes = { versionSchemes: { production: '{shortCommitSha}' } };
const build = (options: Record<string, unknown>) => ({ executor: 'nx-buildkit:build', options });

describe('releaseImagesOf', () => {
  it("releases the build's image in the build's registry by default, pushed under the release tags only", () => {
    const images = releaseImagesOf('api', { 'docker-build': build({ image: 'api', registry: 'localhost:5000', tags: ['latest'], dockerfile: 'apps/api/Dockerfile' }), 'docker-lint': { executor: 'nx-buildkit:lint' } }, schemes, ['2612.01.abc1234', 'latest']);
    expect(images).toEqual([
      {
        buildTarget: 'docker-build',
        repository: 'localhost:5000/api',
        builtRepository: 'localhost:5000/api',
        buildOptions: { image: 'localhost:5000/api', dockerfile: 'apps/api/Dockerfile', push: true, tags: ['2612.01.abc1234', 'latest'] },
        builtTags: ['latest'],
      },
    ]);
  });

  it('keeps the names of the tags the build target applies, latest when it names none, for an image the release must build', () => {
    const builtTags = (options: Record<string, unknown>) => releaseImagesOf('api', { 'docker-build': build({ image: 'api', ...options }) }, { ...schemes, registryUrl: 'localhost:5000' }, ['1'])[0].builtTags;
    expect(builtTags({})).toEqual(['latest']);
    expect(builtTags({ tags: [] })).toEqual(['latest']);
    expect(builtTags({ tags: ['edge', 'ghcr.io/acme/api:main', 'edge'] })).toEqual(['edge', 'main']);
    expect(builtTags({ tags: 'a, b' })).toEqual(['a', 'b']);
  });

  it('puts registryUrl and repositoryName of nx.json before the build options', () => {
    const [image] = releaseImagesOf('api', { 'docker-build': build({ image: 'api', registry: 'localhost:5000' }) }, { ...schemes, registryUrl: 'ghcr.io/acme', repositoryName: 'backend' }, ['1']);
    expect(image.repository).toBe('ghcr.io/acme/backend');
    // A local build is still found under the name the build target gave it.
    expect(image.builtRepository).toBe('localhost:5000/api');
  });

  it('releases each image of a project with several, and refuses one repositoryName for them', () => {
    const targets = { 'docker-build-prod': build({ image: 'api-prod' }), 'docker-build-worker': build({ image: 'api-worker' }) };
    expect(releaseImagesOf('api', targets, { ...schemes, registryUrl: 'localhost:5000' }, ['1']).map((image) => image.repository)).toEqual(['localhost:5000/api-prod', 'localhost:5000/api-worker']);
    expect(() => releaseImagesOf('api', targets, { ...schemes, repositoryName: 'api' }, ['1'])).toThrow(
      'Project "api" builds 2 images (docker-build-prod, docker-build-worker), but "release.docker.repositoryName" names one repository ("api"). Remove it: each image is released under its own image name.',
    );
  });

  it('says what to set when the release image names no registry', () => {
    expect(() => releaseImagesOf('api', { 'docker-build': build({ image: 'api' }) }, schemes, ['1'])).toThrow(
      'Project "api": the release image "api" names no registry, and release tags are written in a registry. Set "release.docker.registryUrl" in nx.json (e.g. "ghcr.io/acme") or "registry" in the docker-build options.',
    );
  });

  it('says so when the project builds no image', () => {
    expect(() => releaseImagesOf('web', { build: { executor: 'nx:run-commands' } }, schemes, ['1'])).toThrow(/Project "web" has no nx-buildkit:build target/);
  });
});
