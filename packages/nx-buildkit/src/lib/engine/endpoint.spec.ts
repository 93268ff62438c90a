import { createHash } from 'node:crypto';
import { resolveEngineEndpoint } from './endpoint';

const home = '/home/u';
const files = (entries: Record<string, string>) => (path: string) => entries[path];

describe('resolveEngineEndpoint', () => {
  it('uses the local socket by default', () => {
    expect(resolveEngineEndpoint({ env: {}, readFile: files({}), home })).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock', source: 'the default socket' });
  });

  it('follows DOCKER_HOST: a unix socket, tcp, tcp with TLS from DOCKER_CERT_PATH', () => {
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'unix:///tmp/b/sock' }, readFile: files({}), home })).toMatchObject({ kind: 'unix', socketPath: '/tmp/b/sock' });
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, readFile: files({}), home })).toEqual({ kind: 'tcp', host: '10.0.0.5', port: 2375, tls: undefined, source: 'DOCKER_HOST' });
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'tcp://builder.internal', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, readFile: files({}), home })).toEqual({
      kind: 'tcp',
      host: 'builder.internal',
      port: 2376,
      tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', verify: true },
      source: 'DOCKER_HOST',
    });
  });

  it('hands an ssh:// engine to the docker CLI', () => {
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'ssh://ci@builder' }, readFile: files({}), home })).toEqual({ kind: 'cli', host: 'ssh://ci@builder', source: 'DOCKER_HOST' });
  });

  it("reads the current docker context's endpoint (config.json currentContext, or DOCKER_CONTEXT)", () => {
    const id = createHash('sha256').update('remote').digest('hex');
    const tree = files({
      '/home/u/.docker/config.json': JSON.stringify({ currentContext: 'remote' }),
      [`/home/u/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Name: 'remote', Endpoints: { docker: { Host: 'unix:///run/remote.sock' } } }),
    });
    expect(resolveEngineEndpoint({ env: {}, readFile: tree, home })).toEqual({ kind: 'unix', socketPath: '/run/remote.sock', source: 'docker context "remote"' });
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'default' }, readFile: tree, home })).toMatchObject({ socketPath: '/var/run/docker.sock' });
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'unix:///x.sock' }, readFile: tree, home })).toMatchObject({ socketPath: '/x.sock' });
  });
});
