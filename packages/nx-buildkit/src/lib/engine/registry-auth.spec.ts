import { registryAuthFor } from './registry-auth';

const home = '/home/u';
const configOf = (config: unknown) => (path: string) => (path === '/home/u/.docker/config.json' ? JSON.stringify(config) : undefined);

describe('registryAuthFor', () => {
  it('is anonymous without a config file or an entry', () => {
    expect(registryAuthFor('localhost:5000', {}, () => undefined, home)).toEqual({ kind: 'anonymous' });
    expect(registryAuthFor('localhost:5000', {}, configOf({ auths: { 'ghcr.io': { auth: 'eDp5' } } }), home)).toEqual({ kind: 'anonymous' });
  });

  it('turns a docker login entry into the X-Registry-Auth header the engine expects', () => {
    const auth = registryAuthFor('localhost:5000', {}, configOf({ auths: { 'localhost:5000': { auth: Buffer.from('nxb:s3cret:x').toString('base64') } } }), home);
    expect(auth.kind).toBe('header');
    const header = auth.kind === 'header' ? auth.header : '';
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toEqual({ username: 'nxb', password: 's3cret:x', serveraddress: 'localhost:5000' });
  });

  it('reads DOCKER_CONFIG, and names Docker Hub as Docker does', () => {
    const read = (path: string) => (path === '/cfg/config.json' ? JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('a:b').toString('base64') } } }) : undefined);
    expect(registryAuthFor('docker.io', { DOCKER_CONFIG: '/cfg' }, read, home).kind).toBe('header');
  });

  it('leaves credential helpers to the docker CLI', () => {
    expect(registryAuthFor('ghcr.io', {}, configOf({ credHelpers: { 'ghcr.io': 'gh' } }), home)).toEqual({ kind: 'helper' });
    expect(registryAuthFor('ghcr.io', {}, configOf({ credsStore: 'desktop' }), home)).toEqual({ kind: 'helper' });
  });
});
