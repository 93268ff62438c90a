import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildRecord } from '../../../packages/nx-buildkit/src/lib/image/record';
import { startPodman, TestPodman } from './support/podman';
import { registryDigest, startRegistry, TestRegistry } from './support/registry';
import { addProject, createTestWorkspace, imageExists, TestWorkspace, writeJson } from './support/workspace';

/**
 * Podman as the engine, through the real nx CLI: `podman build` (cache mount, secret, build arg, target), a push to
 * the same 127.0.0.1 registry the other suites use, a no-op answered by Podman's API service with no podman process,
 * a fresh podman store that skips through the registry, Docker and Podman builds of the same inputs told apart, and
 * podman chosen by itself where docker is not on PATH.
 */
describe('podman engine', () => {
  let registry: TestRegistry;
  let pod: TestPodman;
  let ws: TestWorkspace;
  let shimDir: string;
  let callLog: string;
  const TOKEN = { NXB_E2E_TOKEN: 's3cret' };

  const record = (project: string): BuildRecord => ws.readJson<BuildRecord>(`dist/docker/${project}/docker-build.json`);
  const nx = (args: string[], env: Record<string, string> = {}) => ws.nx(args, { ...pod.env, ...TOKEN, ...env });

  beforeAll(async () => {
    registry = await startRegistry();
    pod = await startPodman();
    await pod.loadFromDocker('debian:bookworm-slim');
    ws = createTestWorkspace('podman');
    // The plugin-level default: every inferred target of this workspace builds with podman.
    writeJson(join(ws.root, 'nx.json'), {
      $schema: './node_modules/nx/schemas/nx-schema.json',
      defaultBase: 'main',
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}`, registry: registry.host, push: true, engine: 'podman', lintTargetName: false, release: false } }],
    });
    ws.write('apps/api/project.json', JSON.stringify({ name: 'api', targets: { 'docker-build': { options: { target: 'runtime', buildArgs: { GREETING: 'from-podman' }, secrets: ['id=token,env=NXB_E2E_TOKEN'] } } } }));
    ws.write(
      'apps/api/Dockerfile',
      [
        'FROM debian:bookworm-slim AS base',
        'ARG GREETING=unset',
        'RUN --mount=type=cache,target=/var/cache/nxb echo "$GREETING" > /greeting && touch /var/cache/nxb/seen',
        'RUN --mount=type=secret,id=token test "$(cat /run/secrets/token)" = s3cret && echo secret-was-there > /secret-check',
        'FROM base AS runtime',
        'COPY app.txt /app.txt',
        'HEALTHCHECK CMD test -f /app.txt',
        'CMD ["cat", "/app.txt"]',
        // Never built: the target stops at runtime.
        'FROM base AS broken',
        'RUN false',
        '',
      ].join('\n'),
    );
    ws.write('apps/api/app.txt', 'api 1\n');
    ws.write('apps/api/.dockerignore', 'project.json\n');
    // A logging podman first on PATH: every podman process the executor starts is written down.
    shimDir = mkdtempSync(join(tmpdir(), 'nxb-podman-log-'));
    callLog = join(shimDir, 'calls.log');
    writeFileSync(join(shimDir, 'podman'), `#!/bin/sh\necho "$1" >> "${callLog}"\nexec /usr/bin/podman "$@"\n`);
    chmodSync(join(shimDir, 'podman'), 0o755);
  });

  afterAll(async () => {
    await ws?.cleanup();
    await pod?.stop();
    await registry?.stop();
    rmSync(shimDir, { recursive: true, force: true });
  });

  const withShim = () => ({ PATH: `${shimDir}:${process.env.PATH}` });
  const podmanCalls = () => readFileSync(callLog, 'utf8').split('\n').filter(Boolean);
  const repository = () => `${ws.imagePrefix}-api`;

  it('builds with podman build (build arg, cache mount, secret, target) and pushes to the registry', async () => {
    writeFileSync(callLog, '');
    const result = await nx(['run', 'api:docker-build', '--verbose'], withShim());
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/api +built/);
    // What podman leaves undone of what the options ask, once, before the build: the registry layer cache.
    expect(result.output).toMatch(/nx-buildkit: podman does not do the registry layer cache/);
    expect(podmanCalls()).toEqual(expect.arrayContaining(['build', 'push']));
    expect(result.output).toMatch(/nx-buildkit: \d+ podman calls/);

    const built = record('api');
    expect(built).toMatchObject({ status: 'built', engine: 'podman', pushed: true });
    const ref = `${registry.host}/${repository()}`;
    // One manifest under the hash tag and latest, as the record says.
    expect(built.digest).toMatch(/^sha256:/);
    expect(await registryDigest(registry.host, repository(), built.hashTag)).toBe(built.digest);
    expect(await registryDigest(registry.host, repository(), 'latest')).toBe(built.digest);
    // The image is in podman's store, not Docker's, and is what the Dockerfile's runtime stage makes.
    expect(await imageExists(`${ref}:${built.hashTag}`)).toBe(false);
    const inspect = JSON.parse((await pod.podman(['image', 'inspect', `${ref}:${built.hashTag}`])).stdout)[0];
    expect(inspect.Labels['org.nx-buildkit.inputs-hash']).toBe(built.hash);
    // Docker's image format: the HEALTHCHECK is kept (podman's default OCI format would drop it).
    expect(JSON.stringify(inspect.Healthcheck)).toContain('test -f /app.txt');
    expect(await pod.readFiles(`${ref}:latest`, ['/greeting', '/secret-check', '/app.txt'])).toEqual(['from-podman\n', 'secret-was-there\n', 'api 1\n']);
    // The secret's value is in no record.
    expect(JSON.stringify(built)).not.toContain('s3cret');
  });

  it('a no-op asks Podman\'s API service and the registry: no podman process, no build', async () => {
    writeFileSync(callLog, '');
    const result = await nx(['run', 'api:docker-build', '--verbose'], withShim());
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/api +skipped +\(unchanged/);
    expect(podmanCalls()).toEqual([]);
    // A ping, the base image and the hash tag asked by reference (one image: lib/image/local-images.ts), the hash tag
    // and latest looked up in the registry.
    const calls = Number(/nx-buildkit: (\d+) podman calls/.exec(result.output)?.[1]);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(5);
    expect(record('api')).toMatchObject({ status: 'skipped', skippedBecause: 'local', engine: 'podman' });
  });

  it('an empty podman store skips through the registry, and a change rebuilds', async () => {
    const { hashTag } = record('api');
    const ref = `${registry.host}/${repository()}`;
    expect((await pod.podman(['rmi', '--force', `${ref}:${hashTag}`, `${ref}:latest`])).exitCode).toBe(0);
    writeFileSync(callLog, '');
    const fresh = await nx(['run', 'api:docker-build'], withShim());
    expect(fresh.exitCode).toBe(0);
    expect(fresh.output).toMatch(/api +skipped +\(unchanged in registry/);
    expect(podmanCalls()).not.toContain('build');
    expect(record('api')).toMatchObject({ status: 'skipped', skippedBecause: 'registry', hashTag });

    ws.write('apps/api/app.txt', 'api 2\n');
    const changed = await nx(['run', 'api:docker-build']);
    expect(changed.exitCode).toBe(0);
    expect(changed.output).toMatch(/api +built/);
    expect(record('api').hashTag).not.toBe(hashTag);
  });

  it('a Docker build and a Podman build of the same inputs are two images, and neither run claims the other\'s', async () => {
    const podmanBuilt = record('api');
    // Per-target override on the command line: the same target, the same files, built by Docker (buildx).
    const docker = await nx(['run', 'api:docker-build', '--engine=docker']);
    expect(docker.exitCode).toBe(0);
    expect(docker.output).toMatch(/api +built/);
    const dockerBuilt = record('api');
    expect(dockerBuilt.engine).toBe('docker');
    expect(dockerBuilt.hashTag).not.toBe(podmanBuilt.hashTag);
    // Both are in the registry, each under its own hash tag.
    expect(await registryDigest(registry.host, repository(), podmanBuilt.hashTag)).toBe(podmanBuilt.digest);
    expect(await registryDigest(registry.host, repository(), dockerBuilt.hashTag)).toBeDefined();
    expect(await registryDigest(registry.host, repository(), dockerBuilt.hashTag)).not.toBe(podmanBuilt.digest);

    // Back on podman: its own image is found again, and latest points at it once more.
    const again = await nx(['run', 'api:docker-build']);
    expect(again.exitCode).toBe(0);
    expect(again.output).toMatch(/api +skipped/);
    expect(record('api')).toMatchObject({ engine: 'podman', hashTag: podmanBuilt.hashTag });
    expect(await registryDigest(registry.host, repository(), 'latest')).toBe(podmanBuilt.digest);
  });

  it('picks podman by itself where docker is not on PATH, and refuses what podman cannot build in one line', async () => {
    ws.write('apps/solo/Dockerfile', 'FROM debian:bookworm-slim\nCOPY solo.txt /solo.txt\n');
    ws.write('apps/solo/solo.txt', 'solo\n');
    // A target of its own name: the inferred docker-build of this folder carries the plugin's engine, this one none.
    addProject(ws, 'solo', 'apps/solo', { image: `${ws.imagePrefix}-solo` }, 'image');
    // /usr/local/bin holds the docker CLI here; node and podman are in /usr/bin.
    const noDocker = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
    const result = await nx(['run', 'solo:image'], noDocker);
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/solo:image +built/);
    expect(ws.readJson<BuildRecord>('dist/docker/solo/image.json').engine).toBe('podman');
    expect((await pod.podman(['image', 'exists', `${ws.imagePrefix}-solo:latest`])).exitCode).toBe(0);

    const multi = await nx(['run', 'solo:image', '--platforms=linux/amd64,linux/arm64'], noDocker);
    expect(multi.exitCode).not.toBe(0);
    expect(multi.output).toMatch(/podman cannot build "platforms" linux\/amd64,linux\/arm64 as one image here/);
    expect(multi.output).not.toMatch(/\n\s+at /);
  });

  it('one batch run uses one engine: a target of the other engine fails alone, with one line saying what to do', async () => {
    // api and solo's inferred docker-build take podman from the plugin options; solo:image has none and docker is on PATH.
    const result = await nx(['run-many', '-t', 'docker-build', 'image']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/builds with (docker|podman), the other images of this run with (podman|docker): one run uses one engine\. Run it on its own/);
    expect(result.output).not.toMatch(/\n\s+at /);
    // Its status line names both engines; the run's own images were handled as usual.
    expect(result.output).toMatch(/failed +engine (docker|podman) in a (podman|docker) run/);
    expect(result.output).toMatch(/ (skipped|built) /);
  });
});
