import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectEngine } from './client';
import { copyManifestToTags, copyTarget, parseChallenge, tokenUrl } from './registry-manifest-copy';

describe('copyTarget', () => {
  it.each([
    ['127.0.0.1:5000/shop/api:1.0.0', { registry: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', secure: false, repository: 'shop/api', tag: '1.0.0' }],
    ['localhost:5000/api:nxb-0123456789abcdef', { registry: 'localhost:5000', apiHost: 'localhost:5000', secure: false, repository: 'api', tag: 'nxb-0123456789abcdef' }],
    ['ghcr.io/acme/api:1', { registry: 'ghcr.io', apiHost: 'ghcr.io', secure: true, repository: 'acme/api', tag: '1' }],
    ['python:3.11', { registry: 'docker.io', apiHost: 'registry-1.docker.io', secure: true, repository: 'library/python', tag: '3.11' }],
    ['registry.internal:5000/api:1', { registry: 'registry.internal:5000', apiHost: 'registry.internal:5000', secure: true, repository: 'api', tag: '1' }],
  ])('%s', (ref, expected) => {
    expect(copyTarget(ref)).toEqual(expected);
  });

  it('has nothing to tag for a digest reference', () => {
    expect(copyTarget(`127.0.0.1:5000/api@sha256:${'a'.repeat(64)}`)).toBeUndefined();
  });
});

describe('parseChallenge and tokenUrl', () => {
  it('reads a Bearer challenge and asks its realm to read and write the repository', () => {
    const challenge = parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/api:pull"');
    expect(challenge).toEqual({ scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/api:pull' } });
    expect(tokenUrl(challenge as NonNullable<typeof challenge>, 'acme/api')).toBe('https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fapi%3Apull%2Cpush');
  });

  it('reads a Basic challenge, and nothing from a header of another scheme', () => {
    expect(parseChallenge(['Basic realm="Registry Realm"'])).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});

/**
 * The Docker token flow, end to end over HTTP on 127.0.0.1: a registry that answers 401 with a Bearer challenge and a
 * token service that hands out a token for the stored credentials. (The real registry of the e2e suite speaks Basic;
 * no token server is available on this machine, so the Bearer side is played here by a small server.)
 */
const anyEngine = () => connectEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });

describe('copyManifestToTags through a token-authenticated registry', () => {
  const manifest = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
  const stored = new Map<string, Buffer>([['nxb-1', manifest]]);
  const seen: string[] = [];
  let server: Server;
  let host: string;
  let config: string;

  const readBody = (req: IncomingMessage) => new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.url?.startsWith('/token')) {
        const ok = req.headers.authorization === `Basic ${Buffer.from('ci:s3cret').toString('base64')}` && req.url.includes('scope=repository%3Aacme%2Fapi%3Apull%2Cpush');
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' }).end(ok ? '{"token":"t0k"}' : '{}');
        return;
      }
      if (req.headers.authorization !== 'Bearer t0k') {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/token",service="test",scope="repository:acme/api:pull"` }).end();
        return;
      }
      const tag = (req.url ?? '').split('/manifests/')[1];
      if (req.method === 'GET') {
        const body = stored.get(tag);
        res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }).end(body);
      } else {
        stored.set(tag, await readBody(req));
        res.writeHead(201).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    config = mkdtempSync(join(tmpdir(), 'nxb-docker-config-'));
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [host]: { auth: Buffer.from('ci:s3cret').toString('base64') } } }));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gets a token with the stored credentials once, then copies the manifest as it is under each tag', async () => {
    const engine = connectEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const left = await copyManifestToTags(engine, `${host}/acme/api:nxb-1`, [`${host}/acme/api:1.0.0`, `${host}/acme/api:latest`, `${host}/other:1`], { DOCKER_CONFIG: config });
    expect(left).toEqual([`${host}/other:1`]);
    expect(stored.get('1.0.0')?.equals(manifest)).toBe(true);
    expect(stored.get('latest')?.equals(manifest)).toBe(true);
    expect(seen.filter((line) => line.startsWith('GET /token'))).toHaveLength(1);
    // The password went to the token service only; the registry saw the token.
    expect(seen.filter((line) => line.includes('Basic') && !line.startsWith('GET /token'))).toEqual([]);
    // Every request the copy made (the refused GET, the token, the GET again, two PUTs) is counted by the run's client.
    expect(seen).toHaveLength(5);
    expect(engine.calls).toBe(seen.length);
  });

  it('leaves the tags to the docker CLI when the credentials are refused', async () => {
    const wrong = mkdtempSync(join(tmpdir(), 'nxb-docker-config-'));
    writeFileSync(join(wrong, 'config.json'), JSON.stringify({ auths: { [host]: { auth: Buffer.from('ci:nope').toString('base64') } } }));
    expect(await copyManifestToTags(anyEngine(), `${host}/acme/api:nxb-1`, [`${host}/acme/api:2`], { DOCKER_CONFIG: wrong })).toEqual([`${host}/acme/api:2`]);
  });

  it('leaves them to the CLI when a credential helper holds the credentials', async () => {
    const helper = mkdtempSync(join(tmpdir(), 'nxb-docker-config-'));
    writeFileSync(join(helper, 'config.json'), JSON.stringify({ credsStore: 'pass' }));
    const before = seen.length;
    expect(await copyManifestToTags(anyEngine(), `${host}/acme/api:nxb-1`, [`${host}/acme/api:3`], { DOCKER_CONFIG: helper })).toEqual([`${host}/acme/api:3`]);
    expect(seen.length).toBe(before);
  });
});
