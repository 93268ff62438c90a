import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '../errors';
import { connectEngine } from './client';
import { createRemoteTags } from './registry';
import { MAX_MANIFEST_BYTES, registryExchange, RegistryHttpError } from './registry-http';
import { copyManifestToTags, realmRefusal } from './registry-manifest-copy';

/**
 * A registry stand-in on 127.0.0.1 that misbehaves in each way the client must survive: answers too big, answers
 * too slow (a byte at a time), a token realm elsewhere over plain HTTP, a redirect to blob storage. Real sockets, a
 * real HTTP server; only the registry's behaviour is played.
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ server: Server; host: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
async function standIn(handler: Handler) {
  const started = await serve(handler);
  servers.push(started.server);
  return started;
}

function dockerConfig(host: string, user = 'ci', password = 's3cret'): string {
  const dir = mkdtempSync(join(tmpdir(), 'nxb-docker-config-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } }));
  return dir;
}

/** A client of an engine that is not there: only its registry requests are used here. */
const anyEngine = () => connectEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });

const MANIFEST = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}');
const exchange = { method: 'GET' as const, headers: {}, maxBodyBytes: MAX_MANIFEST_BYTES, deadlineMs: 5_000, what: 'the manifest of test' };

describe('a response body is bounded', () => {
  it('by its Content-Length, before any of it is read', async () => {
    const { host } = await standIn((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(400 * 1024 * 1024) });
      res.write(Buffer.alloc(64 * 1024));
    });
    await expect(registryExchange(`http://${host}/v2/api/manifests/1`, exchange)).rejects.toThrow(`the manifest of test: ${host} answered with 400 MB, more than the 4 MB bound`);
  });

  it('as it streams, when no length is declared', async () => {
    const { host } = await standIn((_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 8 && res.write(chunk)) sent++;
        if (sent < 8) res.once('drain', pump);
      };
      pump();
    });
    await expect(registryExchange(`http://${host}/v2/api/manifests/1`, exchange)).rejects.toThrow(`the manifest of test: ${host} sent more than the 4 MB bound`);
  });

  it('and through the tagging path the bound is named in a one-line error', async () => {
    const { host } = await standIn((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(400 * 1024 * 1024), 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
      res.write('{');
    });
    const error = await createRemoteTags(anyEngine(), `${host}/api:nxb-1`, [`${host}/api:1`]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(`The registry "${host}" misbehaved while tagging "${host}/api:nxb-1": the manifest of ${host}/api:nxb-1: ${host} answered with 400 MB, more than the 4 MB bound. Check the registry, then rerun.`);
  });
});

describe('every exchange has a total deadline', () => {
  it('a server that sends a byte every 200 ms is cut at the deadline, which the error names', async () => {
    const { host } = await standIn((_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('{'), 200);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    await expect(registryExchange(`http://${host}/v2/api/manifests/1`, { ...exchange, deadlineMs: 1_000 })).rejects.toThrow(
      new RegistryHttpError(`the manifest of test: no complete answer from ${host} within the 1 s deadline`),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('the deadline covers redirects too', async () => {
    const { host } = await standIn((req, res) => {
      setTimeout(() => res.writeHead(307, { Location: `http://${req.headers.host}/again` }).end(), 300);
    });
    await expect(registryExchange(`http://${host}/start`, { ...exchange, deadlineMs: 1_000 })).rejects.toThrow(/more than 5 redirects|within the 1 s deadline/);
  });
});

describe('redirects to blob storage', () => {
  it('are followed, without the Authorization header the registry got', async () => {
    const storage = await standIn((_req, res) => res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }).end(MANIFEST));
    const stored = new Map<string, Buffer>();
    const basic = `Basic ${Buffer.from('ci:s3cret').toString('base64')}`;
    const registry = await standIn((req, res) => {
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end();
        return;
      }
      if (req.method === 'GET') {
        res.writeHead(307, { Location: `http://${storage.host}/blobs/manifest?signature=abc` }).end();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        stored.set(req.url ?? '', Buffer.concat(chunks));
        res.writeHead(201).end();
      });
    });
    const left = await copyManifestToTags(anyEngine(), `${registry.host}/acme/api:nxb-1`, [`${registry.host}/acme/api:1.0.0`], { DOCKER_CONFIG: dockerConfig(registry.host) });
    expect(left).toEqual([]);
    expect(stored.get('/v2/acme/api/manifests/1.0.0')?.equals(MANIFEST)).toBe(true);
    expect(storage.seen).toEqual(['GET /blobs/manifest?signature=abc -']);
    expect(registry.seen.filter((line) => line.endsWith(basic))).toEqual(['GET /v2/acme/api/manifests/nxb-1 ' + basic, 'PUT /v2/acme/api/manifests/1.0.0 ' + basic]);
  });

  it('stop after five hops', async () => {
    const { host, seen } = await standIn((req, res) => res.writeHead(302, { Location: `/hop${seen.length}` }).end());
    await expect(registryExchange(`http://${host}/start`, exchange)).rejects.toThrow('the manifest of test: more than 5 redirects');
  });
});

describe('credentials go to a token realm only over TLS, or plain HTTP on the loopback from a loopback registry', () => {
  it.each([
    ['https realm of an https registry', 'https://auth.example.com/token', true, undefined],
    ['https realm of a loopback registry', 'https://auth.example.com/token', false, undefined],
    ['http realm on the loopback of a loopback registry', 'http://127.0.0.1:5001/token', false, undefined],
    ['http realm of an https registry', 'http://auth.example.com/token', true, 'is not HTTPS'],
    ['http loopback realm of an https registry', 'http://127.0.0.1/token', true, 'is not HTTPS'],
    ['http realm elsewhere of a loopback registry', 'http://203.0.113.7/token', false, 'is not HTTPS nor on this machine'],
    ['another scheme', 'ftp://127.0.0.1/token', false, 'is not HTTPS'],
  ])('%s', (_name, realm, secure, refused) => {
    const refusal = realmRefusal(new URL(realm), { secure });
    if (refused === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toContain(refused);
  });

  it('a registry naming a plain-HTTP realm on another host gets no credentials: a one-line error, nothing sent there', async () => {
    const realmHost = '203.0.113.7:80';
    const registry = await standIn((_req, res) => res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${realmHost}/token",service="x"` }).end());
    const started = Date.now();
    const error = await copyManifestToTags(anyEngine(), `${registry.host}/acme/api:nxb-1`, [`${registry.host}/acme/api:1`], { DOCKER_CONFIG: dockerConfig(registry.host) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(
      `The registry "${registry.host}" asks for a token, but its token service http://203.0.113.7 is not HTTPS nor on this machine, and nx-buildkit sends registry credentials only over HTTPS (or plain HTTP on the loopback). Fix the registry's token realm, or tag with "docker buildx imagetools create".`,
    );
    // Refused before any connection (a connection to a TEST-NET address would hang until the deadline).
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(registry.seen.every((line) => line.endsWith(' -'))).toBe(true);
  });

  it('anonymous token requests may go to any realm (there is nothing to leak)', async () => {
    const token = await standIn((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"anon"}'));
    const registry = await standIn((req, res) => {
      if (req.headers.authorization !== 'Bearer anon') {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${token.host}/token"` }).end();
        return;
      }
      res.writeHead(req.method === 'GET' ? 200 : 201, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }).end(req.method === 'GET' ? MANIFEST : undefined);
    });
    const none = mkdtempSync(join(tmpdir(), 'nxb-docker-config-'));
    expect(await copyManifestToTags(anyEngine(), `${registry.host}/acme/api:nxb-1`, [`${registry.host}/acme/api:1`], { DOCKER_CONFIG: none })).toEqual([]);
    expect(token.seen).toEqual([expect.stringMatching(/^GET \/token\?scope=.* -$/)]);
  });
});
