import { targetNamesFor, variantOf } from './target-names';

describe('variantOf', () => {
  it.each([
    ['Dockerfile', 'default'],
    ['Dockerfile.prod', 'prod'],
    ['Dockerfile.frontend', 'frontend'],
    ['Dockerfile-worker', 'worker'],
    ['worker.Dockerfile', 'worker'],
    ['api.dockerfile', 'api'],
    ['Containerfile', 'containerfile'],
    ['Dockerfile.Prod_EU', 'prod-eu'],
  ])('%s → %s', (fileName, variant) => {
    expect(variantOf(fileName)).toBe(variant);
  });
});

describe('targetNamesFor', () => {
  it('names a single Dockerfile after the target, whatever the file', () => {
    expect([...targetNamesFor(['Dockerfile.prod'], 'docker-build')]).toEqual([['Dockerfile.prod', { target: 'docker-build', variant: 'prod' }]]);
  });

  it('suffixes each of several Dockerfiles with its variant', () => {
    expect([...targetNamesFor(['Dockerfile.prod', 'Dockerfile.frontend', 'Dockerfile'], 'docker-build')]).toEqual([
      ['Dockerfile.prod', { target: 'docker-build-prod', variant: 'prod' }],
      ['Dockerfile.frontend', { target: 'docker-build-frontend', variant: 'frontend' }],
      ['Dockerfile', { target: 'docker-build-default', variant: 'default' }],
    ]);
  });

  it('falls back to whole file names where two files share a variant', () => {
    expect([...targetNamesFor(['Dockerfile.api', 'api.Dockerfile', 'Dockerfile.web'], 'image')]).toEqual([
      ['Dockerfile.api', { target: 'image-dockerfile-api', variant: 'dockerfile-api' }],
      ['api.Dockerfile', { target: 'image-api-dockerfile', variant: 'api-dockerfile' }],
      ['Dockerfile.web', { target: 'image-web', variant: 'web' }],
    ]);
  });
});
