import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from './support/processes';
import { MANIFEST_TYPES, registryApiUrl, registryDigest, startRegistry, TestRegistry } from './support/registry';
import { SecondEngine, startSecondEngine } from './support/second-engine';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  hashTag: string;
  digest?: string;
  skippedBecause?: 'local' | 'registry';
  platforms?: string[];
  platformDigests?: Record<string, string>;
  steps?: { total: number; cached: number };
}

const PLATFORMS = ['linux/amd64', 'linux/arm64'];
/** What `uname -m` prints on each platform: the RUN step ran as that architecture (arm64 under QEMU). */
const MACHINE = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64' } as const;
/** The arm64 half of the debian stand-in (scripts/base-images-arm64.sh), named as Docker Hub names it. */
const ARM64_DEBIAN = 'arm64v8/debian:bookworm-slim';

/**
 * Multi-platform images end to end, on an engine with the containerd image store (a dockerd in a network namespace of
 * its own) and QEMU registered by scripts/setup-emulation.sh: one image for linux/amd64 and linux/arm64, FROM a base
 * that is a two-platform index in the registry (as Docker Hub's debian is), with a RUN step whose output differs per
 * platform. Built, pushed as one index, skipped on a warm and on an empty engine, rebuilt for both platforms by a
 * change to a platform-independent file, released by its index digest. RUN steps are kept tiny: arm64 runs emulated.
 */
describe('multi-platform images: built under emulation, pushed as one index, skipped, released', () => {
  let registry: TestRegistry;
  let ws: TestWorkspace;
  let engine: SecondEngine;
  const engines: SecondEngine[] = [];
  const unique = randomBytes(4).toString('hex');
  let baseRef: string;
  const repository = () => `${ws.imagePrefix}-api`;
  const record = () => ws.readJson<BuildRecord>('dist/docker/api/docker-build.json');
  const git = (args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });

  async function freshEngine(): Promise<SecondEngine> {
    const started = await startSecondEngine({ registryPorts: [Number(registry.host.split(':')[1])], containerdStore: true });
    engines.push(started);
    return started;
  }

  async function manifest(digestOrTag: string): Promise<{ mediaType?: string; manifests?: { digest: string; platform?: { os: string; architecture: string } }[]; layers?: { digest: string }[]; config?: { digest: string } }> {
    const response = await fetch(registryApiUrl(registry.host, `${repository()}/manifests/${digestOrTag}`), { headers: { Accept: MANIFEST_TYPES } });
    expect(response.status).toBe(200);
    return (await response.json()) as never;
  }

  /** The content of /arch in one platform's image, read from its layers in the registry (nothing pulled or run). */
  async function archFileOf(platformDigest: string): Promise<string | undefined> {
    const dir = mkdtempSync(join(tmpdir(), 'nxb-layers-'));
    try {
      for (const layer of [...((await manifest(platformDigest)).layers ?? [])].reverse()) {
        const blob = await fetch(registryApiUrl(registry.host, `${repository()}/blobs/${layer.digest}`));
        const file = join(dir, 'layer.tar.gz');
        writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
        const extracted = await run('tar', ['-xzOf', file, 'arch']);
        if (extracted.exitCode === 0) return extracted.stdout.trim();
      }
      return undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  beforeAll(async () => {
    registry = await startRegistry();
    ws = createTestWorkspace(`multiarch-${unique}`);
    // The base as Docker Hub has it: one tag, an index of an amd64 and an arm64 image.
    baseRef = `${registry.host}/${ws.imagePrefix}-debian:bookworm-slim`;
    for (const [local, arch] of [['debian:bookworm-slim', 'amd64'], [ARM64_DEBIAN, 'arm64']] as const) {
      const missing = (await run('docker', ['image', 'inspect', local])).exitCode !== 0;
      if (missing) throw new Error(`The stand-in base image ${local} is missing: run scripts/base-images.sh and scripts/base-images-arm64.sh (npm test does).`);
      await runOk('docker', ['tag', local, `${baseRef}-${arch}`]);
      await runOk('docker', ['push', '--quiet', `${baseRef}-${arch}`]);
    }
    await runOk('docker', ['buildx', 'imagetools', 'create', '--tag', baseRef, `${baseRef}-amd64`, `${baseRef}-arm64`]);

    writeJson(join(ws.root, 'nx.json'), {
      ...ws.readJson<Record<string, unknown>>('nx.json'),
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}`, registry: registry.host, push: true, platforms: PLATFORMS } }],
      release: {
        projects: ['api'],
        projectsRelationship: 'independent',
        docker: { registryUrl: registry.host, preVersionCommand: '', versionSchemes: { production: '{currentDate|YYMM.DD}.{shortCommitSha}' } },
      },
    });
    writeJson(join(ws.root, 'apps/api/project.json'), { name: 'api', root: 'apps/api' });
    ws.write('apps/api/.dockerignore', 'project.json\n');
    ws.write('apps/api/Dockerfile', `FROM ${baseRef}\nRUN uname -m > /arch\nCOPY app.txt /app.txt\n`);
    ws.write('apps/api/app.txt', `${unique} v1\n`);
    await git(['init', '-q', '-b', 'main']);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'workspace']);
    engine = await freshEngine();
  });

  afterAll(async () => {
    await ws?.cleanup();
    for (const started of engines) await started.stop();
    await registry?.stop();
    for (const arch of ['amd64', 'arm64']) await run('docker', ['rmi', `${baseRef}-${arch}`]);
  });

  let first: BuildRecord;

  it('builds both platforms (the RUN step as each architecture) and pushes one index; the record and the report name each platform’s digest', async () => {
    const result = await ws.nx(['run', 'api:docker-build'], engine.env);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    first = record();
    expect(first).toMatchObject({ status: 'built', platforms: PLATFORMS });
    expect(result.stdout).toMatch(/^api +built .*pushed {2}linux\/amd64, linux\/arm64/m);
    // One index under the hash tag and latest, whose platform manifests are the ones recorded.
    expect(first.digest).toMatch(/^sha256:/);
    expect(await registryDigest(registry.host, repository(), first.hashTag)).toBe(first.digest);
    expect(await registryDigest(registry.host, repository(), 'latest')).toBe(first.digest);
    const index = await manifest(first.hashTag);
    expect(index.mediaType).toMatch(/index|manifest\.list/);
    const inIndex = Object.fromEntries(
      (index.manifests ?? []).filter((entry) => entry.platform && entry.platform.os !== 'unknown').map((entry) => [`${entry.platform?.os}/${entry.platform?.architecture}`, entry.digest]),
    );
    expect(first.platformDigests).toEqual(inIndex);
    expect(Object.keys(inIndex).sort()).toEqual(PLATFORMS);
    for (const platform of PLATFORMS) expect(await archFileOf(inIndex[platform])).toBe(MACHINE[platform as keyof typeof MACHINE]);
    const report = ws.read('dist/docker/report.html');
    for (const platform of PLATFORMS) expect(report).toContain(`<span class="platforms">${platform} <code title="${inIndex[platform]}">`);
  });

  it('a no-op finds the index and skips, on the warm engine and on a fresh empty one', async () => {
    // The containerd store keeps what it pushed (the index, under the hash tag): found locally, checked in the registry.
    const warm = await ws.nx(['run', 'api:docker-build'], engine.env);
    expect(warm.exitCode === 0 ? '' : warm.output).toBe('');
    expect(record()).toMatchObject({ status: 'skipped', skippedBecause: 'local', hash: first.hash, digest: first.digest, platformDigests: first.platformDigests });
    expect(warm.stdout).toMatch(/^api +skipped +\(unchanged, nxb-[0-9a-f]+\) {2}linux\/amd64, linux\/arm64$/m);

    // A fresh machine: an empty engine, and no record to take the platform digests from.
    ws.remove('dist/docker');
    const empty = await freshEngine();
    const fresh = await ws.nx(['run', 'api:docker-build'], empty.env);
    expect(fresh.exitCode === 0 ? '' : fresh.output).toBe('');
    expect(record()).toMatchObject({ status: 'skipped', skippedBecause: 'registry', hash: first.hash, digest: first.digest, platformDigests: first.platformDigests });
    expect(fresh.output).not.toMatch(/building/);
    expect(fresh.stdout).toMatch(/^api +skipped +\(unchanged in registry, nxb-[0-9a-f]+\) {2}linux\/amd64, linux\/arm64$/m);
  });

  it('refuses load with several platforms in one line, before building or tagging anything', async () => {
    ws.write('apps/api/app.txt', `${unique} not built\n`);
    const tagsBefore = await run('docker', ['image', 'ls', '--quiet'], { env: engine.env });
    const refused = await ws.nx(['run', 'api:docker-build', '--load'], engine.env);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toMatch(/^.*"load" is true in the "docker-build" options of project "api" with several platforms \(linux\/amd64, linux\/arm64\), but an engine's image holds one platform: .* Set "push": true with a "registry" to push one index, or load one platform for local use \(--platforms=linux\/amd64 --load\)\.$/m);
    expect(refused.output).not.toMatch(/building|^\s+at /m);
    expect((await run('docker', ['image', 'ls', '--quiet'], { env: engine.env })).stdout).toBe(tagsBefore.stdout);
    expect(await registryDigest(registry.host, repository(), 'latest')).toBe(first.digest);
  });

  it('a change to a platform-independent file rebuilds both platforms into a new index', async () => {
    ws.write('apps/api/app.txt', `${unique} v2\n`);
    const result = await ws.nx(['run', 'api:docker-build'], engine.env);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    const second = record();
    expect(second).toMatchObject({ status: 'built', platforms: PLATFORMS });
    expect(second.hash).not.toBe(first.hash);
    expect(second.digest).not.toBe(first.digest);
    for (const platform of PLATFORMS) {
      expect(second.platformDigests?.[platform]).toMatch(/^sha256:/);
      expect(second.platformDigests?.[platform]).not.toBe(first.platformDigests?.[platform]);
      expect(await archFileOf(second.platformDigests?.[platform] as string)).toBe(MACHINE[platform as keyof typeof MACHINE]);
    }
    // The emulated RUN before the COPY was not run again for either platform.
    expect(second.steps?.cached).toBeGreaterThanOrEqual(2);
    expect(await registryDigest(registry.host, repository(), 'latest')).toBe(second.digest);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'api v2']);
  });

  it('another platform set is another image: its own hash', async () => {
    const explained = await ws.nx(['run', 'api:docker-build', '--platforms=linux/arm64', '--explain'], engine.env);
    expect(explained.exitCode === 0 ? '' : explained.output).toBe('');
    expect(explained.output).toContain('platforms changed: linux/amd64,linux/arm64 → linux/arm64');
  });

  it('nx release tags the index CI pushed: the version tag has the index digest, nothing is built', async () => {
    const pushed = record();
    const result = await ws.nx(['release', 'production', '--yes'], engine.env);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    expect(result.output).not.toMatch(/building/);
    const version = (await git(['tag', '--list'])).stdout.trim().replace(/^api@/, '');
    expect(version).toMatch(/^\d{4}\.\d{2}\.[0-9a-f]{7}$/);
    expect(await registryDigest(registry.host, repository(), version)).toBe(pushed.digest);
    expect(result.output).toContain(`tagged ${registry.host}/${repository()}:${version} (${pushed.digest})`);
    expect((await manifest(version)).manifests?.map((entry) => entry.digest)).toEqual(expect.arrayContaining(Object.values(pushed.platformDigests ?? {})));
  });

  it('on the classic image store, several platforms fail in one line naming the two ways that work', async () => {
    ws.write('apps/api/app.txt', `${unique} classic\n`);
    // The main engine: the docker driver on the classic store.
    const result = await ws.nx(['run', 'api:docker-build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Several "platforms" need a builder that keeps multi-platform images, and this engine\'s docker driver uses the classic image store.');
    expect(result.output).toContain('containerd-snapshotter');
    expect(record().status).toBe('failed');
  });
});
