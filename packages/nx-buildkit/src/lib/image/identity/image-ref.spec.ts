import {
  canonicalReference,
  hasRegistryHost,
  isValidRegistry,
  isValidRepository,
  isValidTag,
  parseReference,
  qualifyRepository,
  repositoryFromProjectName,
  splitReference,
} from './image-ref';

describe('isValidRepository', () => {
  it.each(['api', 'acme/api', 'a/b/c/d', 'a__b', 'a---b', 'a.b_c-d', 'ghcr.io/acme/api', 'localhost:5000/api', 'localhost/api', '[::1]:5000/api', 'Registry.Example.com:443/acme/api'])(
    'accepts %s',
    (repository) => expect(isValidRepository(repository)).toBe(true),
  );

  it.each(['', 'Api', 'acme/Api', 'api:1', 'api@sha256:abc', '-api', 'api-', 'a..b', 'a_-b', 'acme//api', '/api', 'api/', 'my app', 'localhost:5000', 'https://ghcr.io/api'])(
    'rejects %j',
    (repository) => expect(isValidRepository(repository)).toBe(false),
  );

  it('rejects names longer than 255 characters', () => {
    expect(isValidRepository('a'.repeat(255))).toBe(true);
    expect(isValidRepository('a'.repeat(256))).toBe(false);
  });
});

describe('isValidTag', () => {
  it.each(['latest', '1.2.3', 'v1_2-rc.1', '_x', 'X', 'a'.repeat(128)])('accepts %s', (tag) => expect(isValidTag(tag)).toBe(true));

  it.each(['', '.x', '-x', 'a b', 'a:b', 'a/b', 'a@b', 'a'.repeat(129)])('rejects %j', (tag) => expect(isValidTag(tag)).toBe(false));
});

describe('isValidRegistry', () => {
  it.each(['localhost:5000', 'docker.io', 'ghcr.io/acme', 'registry:5000/a/b', '[::1]:5000'])('accepts %s', (registry) =>
    expect(isValidRegistry(registry)).toBe(true),
  );

  it.each(['', 'https://ghcr.io', 'ghcr.io/', 'ghcr.io/Acme', 'host:port', 'a b'])('rejects %j', (registry) => expect(isValidRegistry(registry)).toBe(false));
});

describe('splitReference', () => {
  it.each<[string, { repository: string; tag?: string }]>([
    ['api', { repository: 'api' }],
    ['api:1.2', { repository: 'api', tag: '1.2' }],
    ['acme/api:latest', { repository: 'acme/api', tag: 'latest' }],
    ['localhost:5000/api', { repository: 'localhost:5000/api' }],
    ['localhost:5000/api:1', { repository: 'localhost:5000/api', tag: '1' }],
    ['localhost:5000/acme/api:dev', { repository: 'localhost:5000/acme/api', tag: 'dev' }],
    ['api:', { repository: 'api', tag: '' }],
  ])('%s', (ref, expected) => {
    expect(splitReference(ref)).toEqual(expected);
  });
});

describe('repositoryFromProjectName', () => {
  it.each([
    ['@acme/api', 'acme-api'],
    ['api', 'api'],
    ['My App', 'my-app'],
    ['@scope/a.b_c', 'scope-a.b_c'],
    ['apps/web//admin', 'apps-web-admin'],
    ['--x--', 'x'],
    ['APP__x', 'app-x'],
    ['café', 'caf'],
    ['@@', 'image'],
  ])('%s → %s', (project, repository) => {
    expect(repositoryFromProjectName(project)).toBe(repository);
  });

  it('always gives a valid repository', () => {
    for (const name of ['@acme/api', 'a.-_b', '_private', 'x.y.z', 'UPPER-lower', '@a/b/c', '1-2-3', 'émoji🙂name']) {
      expect(isValidRepository(repositoryFromProjectName(name))).toBe(true);
    }
  });
});

describe('qualifyRepository', () => {
  it('prefixes the registry', () => {
    expect(qualifyRepository('api', 'localhost:5000')).toBe('localhost:5000/api');
    expect(qualifyRepository('acme/api', 'ghcr.io')).toBe('ghcr.io/acme/api');
    expect(qualifyRepository('api', 'ghcr.io/acme/')).toBe('ghcr.io/acme/api');
  });

  it('leaves the image alone without a registry or when it already names it', () => {
    expect(qualifyRepository('api', undefined)).toBe('api');
    expect(qualifyRepository('api', '')).toBe('api');
    expect(qualifyRepository('localhost:5000/api', 'localhost:5000')).toBe('localhost:5000/api');
    // a registry is a whole leading component (or components), not a string prefix
    expect(qualifyRepository('ghcr.io.mirror/api', 'ghcr.io')).toBe('ghcr.io/ghcr.io.mirror/api');
  });
});

describe('hasRegistryHost', () => {
  it.each<[string, boolean]>([
    ['ghcr.io/acme/api', true],
    ['localhost:5000/api', true],
    ['localhost/api', true],
    ['registry:5000/api', true],
    ['acme/api', false],
    ['api', false],
    ['localhost', false],
  ])('%s → %s', (repository, expected) => {
    expect(hasRegistryHost(repository)).toBe(expected);
  });
});

describe('parseReference', () => {
  it('qualifies Docker Hub names as Docker does, with latest implied', () => {
    expect(parseReference('python')).toEqual({ name: 'docker.io/library/python', tag: 'latest', digest: undefined });
    expect(parseReference('python:3.11-slim-bookworm')).toEqual({ name: 'docker.io/library/python', tag: '3.11-slim-bookworm', digest: undefined });
    expect(parseReference('docker.io/python:3.11').name).toBe('docker.io/library/python');
    expect(parseReference('index.docker.io/library/python:3.11').name).toBe('docker.io/library/python');
    expect(parseReference('bitnami/redis:7').name).toBe('docker.io/bitnami/redis');
  });

  it('keeps a registry host with a port, and a port is not a tag', () => {
    expect(parseReference('localhost:5000/base/busybox:1')).toEqual({ name: 'localhost:5000/base/busybox', tag: '1', digest: undefined });
    expect(parseReference('localhost:5000/base/busybox')).toEqual({ name: 'localhost:5000/base/busybox', tag: 'latest', digest: undefined });
    expect(parseReference('ghcr.io/acme/api:2').name).toBe('ghcr.io/acme/api');
  });

  it('reads a pinned digest, with or without a tag, and implies no tag beside a digest', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    expect(parseReference(`python@${digest}`)).toEqual({ name: 'docker.io/library/python', tag: undefined, digest });
    expect(parseReference(`localhost:5000/x:1@${digest}`)).toEqual({ name: 'localhost:5000/x', tag: '1', digest });
  });

  it('gives every spelling of one image one canonical reference', () => {
    expect(new Set(['python', 'python:latest', 'docker.io/python', 'docker.io/library/python:latest'].map(canonicalReference))).toEqual(
      new Set(['docker.io/library/python:latest']),
    );
    expect(canonicalReference('api-base')).toBe('docker.io/library/api-base:latest');
  });
});
