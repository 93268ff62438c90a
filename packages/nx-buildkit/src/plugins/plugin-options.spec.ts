import { DEFAULT_DOCKERFILE_NAMES } from '../lib/image/options/default-dockerfile';
import { normalizePluginOptions, PluginOptionsError } from './plugin-options';

describe('normalizePluginOptions', () => {
  it('fills in the defaults for a plugin registered as a plain string', () => {
    expect(normalizePluginOptions(undefined)).toEqual({
      targetName: 'docker-build',
      dockerfileNames: ['Dockerfile', 'Dockerfile.prod', 'Dockerfile.frontend'],
      context: 'auto',
      image: undefined,
      registry: undefined,
      platforms: undefined,
      tags: undefined,
      push: undefined,
      buildTargetName: 'build',
      lintTargetName: 'docker-lint',
      release: true,
    });
  });

  it('adds extra Dockerfile names after the defaults, once each', () => {
    expect(normalizePluginOptions({ dockerfiles: ['worker.Dockerfile', 'Dockerfile'] }).dockerfileNames).toEqual([...DEFAULT_DOCKERFILE_NAMES, 'worker.Dockerfile']);
  });

  it('keeps valid executor defaults', () => {
    expect(normalizePluginOptions({ image: 'ghcr.io/acme/{projectName}', registry: 'localhost:5000', platforms: ['linux/arm64'], tags: ['v1'], push: false })).toMatchObject({
      image: 'ghcr.io/acme/{projectName}',
      registry: 'localhost:5000',
      platforms: ['linux/arm64'],
      tags: ['v1'],
      push: false,
    });
  });

  it.each([
    [[], 'must be an object'],
    [{ targetname: 'x' }, 'Unknown option "targetname" in the "nx-buildkit" plugin options in nx.json. Known options: targetName,'],
    [{ targetName: 'docker build' }, 'Invalid "targetName" "docker build" in the "nx-buildkit" plugin options in nx.json: use a target name such as "docker-build"'],
    [{ buildTargetName: '' }, 'Invalid "buildTargetName" ""'],
    [{ dockerfiles: 'Dockerfile.worker' }, 'Invalid "dockerfiles" in the "nx-buildkit" plugin options in nx.json: expected a list of strings.'],
    [{ dockerfiles: ['apps/api/Dockerfile'] }, 'Invalid entry "apps/api/Dockerfile" in "dockerfiles"'],
    [{ context: 'root' }, 'Invalid "context" "root" in the "nx-buildkit" plugin options in nx.json: use "auto", "project" or "workspace".'],
    [{ registry: 'http://localhost:5000' }, 'Invalid "registry" "http://localhost:5000"'],
    [{ image: 'acme/{projectName}@sha256:abc' }, 'Invalid "image" "acme/{projectName}@sha256:abc"'],
    [{ platforms: ['amd64'] }, 'Invalid platform "amd64" in "platforms"'],
    [{ tags: ['-x'] }, 'Invalid tag "-x" in "tags"'],
    [{ push: 'yes' }, 'Invalid "push" in the "nx-buildkit" plugin options in nx.json: expected true or false.'],
    [{ engine: 'buildah' }, 'Invalid "engine" "buildah" in the "nx-buildkit" plugin options in nx.json: use "docker" or "podman".'],
  ])('rejects %j naming the option and the fix', (options, message) => {
    expect(() => normalizePluginOptions(options)).toThrow(PluginOptionsError);
    expect(() => normalizePluginOptions(options)).toThrow(message);
  });
});
