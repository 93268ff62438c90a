import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRegistry {
  /** `localhost:<port>`: the engine trusts localhost registries over plain HTTP. */
  readonly host: string;
  stop(): Promise<void>;
}

/** Starts Debian's docker-registry (registry:2) on 127.0.0.1 with storage in a temp folder of its own. */
export async function startRegistry(options: { htpasswd?: string } = {}): Promise<TestRegistry> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'nxb-registry-'));
  const auth = options.htpasswd
    ? `auth:\n  htpasswd:\n    realm: nxb-test\n    path: ${join(dir, 'htpasswd')}\n`
    : '';
  if (options.htpasswd) writeFileSync(join(dir, 'htpasswd'), options.htpasswd);
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (response.status === 200 || response.status === 401) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    host: `localhost:${port}`,
    // Idempotent: a test may stop the registry to see what an unreachable one does, and afterAll stops it again.
    stop: async () => {
      const exited = () => child.exitCode !== null || child.signalCode !== null;
      if (!exited()) {
        const done = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a client accepts when it asks for a tag: image indexes and manifests, OCI and Docker. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The registry's URL for an API path (`<repository>/manifests/<tag>`), over 127.0.0.1 as the host names it. */
export function registryApiUrl(host: string, path: string): string {
  return `http://${host.replace('localhost', '127.0.0.1')}/v2/${path}`;
}

/** The manifest digest the registry holds for a tag (its HTTP API, no docker involved); undefined when there is none. */
export async function registryDigest(host: string, repository: string, tag: string): Promise<string | undefined> {
  const response = await fetch(registryApiUrl(host, `${repository}/manifests/${tag}`), { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
  return response.status === 200 ? (response.headers.get('docker-content-digest') ?? undefined) : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
