import { imageDependencies, ImageTarget, producedReferences } from './image-dependencies';

describe('producedReferences', () => {
  it('qualifies the repository with the registry and applies each tag (latest by default)', () => {
    expect(producedReferences({ image: 'api' })).toEqual(['api:latest']);
    expect(producedReferences({ image: 'api', registry: 'localhost:5000', tags: ['1.0', 'ghcr.io/acme/api:edge'] })).toEqual(['localhost:5000/api:1.0', 'ghcr.io/acme/api:edge']);
    expect(producedReferences({})).toEqual([]);
  });
});

describe('imageDependencies', () => {
  const target = (project: string, produces: string[], consumes: string[]): ImageTarget => ({ project, target: 'docker-build', produces, consumes });

  it('links a Dockerfile FROM another project image to that project, with :latest implied', () => {
    const base = target('base', ['acme-base:latest'], ['debian:bookworm-slim']);
    const api = target('api', ['acme-api:latest'], ['acme-base']);
    const web = target('web', ['acme-web:latest'], ['nginx:1.27-bookworm']);
    const deps = imageDependencies([base, api, web]);
    expect(deps.get(api)).toEqual([{ project: 'base', target: 'docker-build' }]);
    expect(deps.has(base)).toBe(false);
    expect(deps.has(web)).toBe(false);
  });

  it('does not link a different tag of the same repository, nor a project to itself', () => {
    const base = target('base', ['acme-base:2'], []);
    const api = target('api', ['acme-api:latest'], ['acme-base:1', 'acme-api:latest']);
    expect(imageDependencies([base, api]).has(api)).toBe(false);
  });
});
