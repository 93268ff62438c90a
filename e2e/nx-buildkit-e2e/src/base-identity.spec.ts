import { randomBytes } from 'node:crypto';
import { run, runOk } from './support/processes';
import { startRegistry, TestRegistry } from './support/registry';
import { SecondEngine, startSecondEngine } from './support/second-engine';
import { addProject, createTestWorkspace, TestWorkspace } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  hashTag: string;
  skippedBecause?: 'local' | 'registry';
  bases?: Record<string, string>;
  error?: string;
}

/**
 * Two machines and one registry, as CI has them: machine A is the main engine, machine B an empty engine in a
 * network namespace of its own (a fresh runner) with a fresh checkout. The base image is label-free, as official
 * images are, and is hosted in the registry; neither machine built it.
 */
describe('base images identified as the registry knows them, on two machines', () => {
  let registry: TestRegistry;
  let machineB: SecondEngine;
  let wsA: TestWorkspace;
  let image: string;
  let baseRef: string;
  const recordPath = 'dist/docker/app/docker-build.json';
  const unique = randomBytes(4).toString('hex');

  /** The same checkout on each machine: same files, same options. */
  function writeCheckout(ws: TestWorkspace): void {
    ws.write('apps/app/Dockerfile', `FROM ${baseRef}\nCOPY app.txt /app.txt\nCMD ["cat", "/app.txt"]\n`);
    ws.write('apps/app/.dockerignore', 'project.json\n');
    ws.write('apps/app/app.txt', `app ${unique}\n`);
    addProject(ws, 'app', 'apps/app', { image, registry: registry.host, push: true, tags: ['1.0.0'] });
  }

  /** A fresh checkout for machine B: no dist/, no records. */
  function freshCheckout(): TestWorkspace {
    const ws = createTestWorkspace('base-b');
    writeCheckout(ws);
    return ws;
  }

  /** Builds a label-free base on the main engine and pushes it under baseRef; returns its registry digest. */
  async function pushBase(version: string): Promise<string> {
    await runOk('docker', ['build', '--quiet', '--tag', baseRef, '-'], { input: `FROM debian:bookworm-slim\nRUN echo ${version} > /base-version\n` });
    expect(JSON.parse((await runOk('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', baseRef])).stdout)).toBeNull();
    await runOk('docker', ['push', '--quiet', baseRef]);
    return registryDigest(baseRef);
  }

  async function registryDigest(ref: string): Promise<string> {
    const inspected = await runOk('docker', ['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', ref]);
    return (JSON.parse(inspected.stdout) as { digest: string }).digest;
  }

  const onB = (args: string[]) => run('docker', args, { env: machineB.env });

  beforeAll(async () => {
    registry = await startRegistry();
    machineB = await startSecondEngine({ registryPorts: [Number(registry.host.split(':')[1])] });
    wsA = createTestWorkspace('base-a');
    image = `${wsA.imagePrefix}-app`;
    baseRef = `${registry.host}/${wsA.imagePrefix}/base:1`;
    writeCheckout(wsA);
  });

  afterAll(async () => {
    await wsA?.cleanup();
    await machineB?.stop();
    await registry?.stop();
  });

  let firstBaseDigest: string;
  let firstHash: string;

  it('machine A builds and pushes; the record names the base by its registry digest', async () => {
    firstBaseDigest = await pushBase(`v1-${unique}`);
    const result = await wsA.nx(['run', 'app:docker-build']);
    expect(result.exitCode).toBe(0);
    const record = wsA.readJson<BuildRecord>(recordPath);
    expect(record.status).toBe('built');
    expect(record.bases).toEqual({ [baseRef]: firstBaseDigest });
    firstHash = record.hash;
  });

  it('machine A computes the same hash with the base absent locally (resolved from the registry, not pulled)', async () => {
    await runOk('docker', ['image', 'rm', baseRef]);
    const result = await wsA.nx(['run', 'app:docker-build']);
    expect(result.exitCode).toBe(0);
    const record = wsA.readJson<BuildRecord>(recordPath);
    expect(record.status).toBe('skipped');
    expect(record.hash).toBe(firstHash);
    expect(record.bases).toEqual({ [baseRef]: firstBaseDigest });
    expect((await run('docker', ['image', 'inspect', baseRef])).exitCode).not.toBe(0);
  });

  it('machine B (empty engine, fresh checkout) skips through the registry: BuildKit does not run, nothing is pulled', async () => {
    expect((await onB(['image', 'ls', '-aq'])).stdout.trim()).toBe('');
    const wsB = freshCheckout();
    try {
      const result = await wsB.nx(['run', 'app:docker-build'], machineB.env);
      expect(result.exitCode).toBe(0);
      const record = wsB.readJson<BuildRecord>(recordPath);
      expect(record.status).toBe('skipped');
      expect(record.skippedBecause).toBe('registry');
      expect(record.hash).toBe(firstHash);
      expect(result.stdout).not.toMatch(/building/);
      expect((await onB(['image', 'ls', '-aq'])).stdout.trim()).toBe('');
      expect((await onB(['system', 'df', '--format', '{{.Type}} {{.TotalCount}}'])).stdout).toMatch(/^Build Cache 0$/m);
    } finally {
      await wsB.cleanup();
    }
  });

  let secondBaseDigest: string;

  it('after a new base is pushed under the same tag, a fresh machine rebuilds on the new base', async () => {
    secondBaseDigest = await pushBase(`v2-${unique}`);
    expect(secondBaseDigest).not.toBe(firstBaseDigest);
    // Machine A still has nothing of the base; machine B never had it.
    await runOk('docker', ['image', 'rm', baseRef]);
    const wsB = freshCheckout();
    try {
      const result = await wsB.nx(['run', 'app:docker-build'], machineB.env);
      expect(result.exitCode).toBe(0);
      const record = wsB.readJson<BuildRecord>(recordPath);
      expect(record.status).toBe('built');
      expect(record.hash).not.toBe(firstHash);
      expect(record.bases).toEqual({ [baseRef]: secondBaseDigest });
      const inImage = await onB(['run', '--rm', `${registry.host}/${image}:1.0.0`, 'cat', '/base-version']);
      expect(inImage.stdout.trim()).toBe(`v2-${unique}`);
    } finally {
      await wsB.cleanup();
    }
  });

  it('machine A, without the old base, computes the new hash and skips what machine B pushed', async () => {
    const result = await wsA.nx(['run', 'app:docker-build']);
    expect(result.exitCode).toBe(0);
    const record = wsA.readJson<BuildRecord>(recordPath);
    expect(record.bases).toEqual({ [baseRef]: secondBaseDigest });
    expect(record.status).toBe('skipped');
    expect(record.skippedBecause).toBe('registry');
  });

  it('with pull and the registry down, does not skip: says in one line why, and builds (which then fails)', async () => {
    addProject(wsA, 'app', 'apps/app', { image, registry: registry.host, push: true, tags: ['1.0.0'], pull: true });
    await registry.stop();
    const result = await wsA.nx(['run', 'app:docker-build']);
    expect(result.output).toMatch(/app: cannot tell whether it is unchanged \(base image "[^"]+": Could not reach the registry[^\n]*\); building instead of skipping\./);
    expect(wsA.readJson<BuildRecord>(recordPath).status).not.toBe('skipped');
  });
});
