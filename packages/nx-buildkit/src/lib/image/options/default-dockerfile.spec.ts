import { DEFAULT_DOCKERFILE_NAMES, dockerfileCandidates, findDefaultDockerfiles } from './default-dockerfile';

describe('default Dockerfile lookup', () => {
  it('looks for Dockerfile, then Dockerfile.prod, then Dockerfile.frontend', () => {
    expect(DEFAULT_DOCKERFILE_NAMES).toEqual(['Dockerfile', 'Dockerfile.prod', 'Dockerfile.frontend']);
  });

  it('gives workspace-relative paths in that order, the workspace root as no prefix', () => {
    const present = new Set(['apps/api/Dockerfile.frontend', 'apps/api/Dockerfile', 'Dockerfile.prod']);
    expect(findDefaultDockerfiles('apps/api', (path) => present.has(path))).toEqual(['apps/api/Dockerfile', 'apps/api/Dockerfile.frontend']);
    expect(findDefaultDockerfiles('', (path) => present.has(path))).toEqual(['Dockerfile.prod']);
    expect(findDefaultDockerfiles('.', (path) => present.has(path))).toEqual(['Dockerfile.prod']);
    expect(findDefaultDockerfiles('apps/web', (path) => present.has(path))).toEqual([]);
  });

  it('takes other names after the defaults where the plugin adds them', () => {
    expect(dockerfileCandidates('apps/api', [...DEFAULT_DOCKERFILE_NAMES, 'Dockerfile.worker']).map((c) => c.path)).toEqual([
      'apps/api/Dockerfile',
      'apps/api/Dockerfile.prod',
      'apps/api/Dockerfile.frontend',
      'apps/api/Dockerfile.worker',
    ]);
  });
});
