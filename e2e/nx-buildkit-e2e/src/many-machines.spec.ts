import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { run, runOk } from './support/processes';
import { startRegistry, TestRegistry } from './support/registry';
import { SecondEngine, startSecondEngine } from './support/second-engine';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hashTag: string;
  skippedBecause?: 'local' | 'registry';
  steps?: { total: number; cached: number };
}

const PROJECTS = ['api', 'base', 'child', 'web', 'worker'] as const;
/**
 * The split the workspace gets: groups ordered by their first target, dealt in turn. child starts FROM base's image,
 * so they form one group: [api] → 1, [base, child] → 2, [web] → 1, [worker] → 2.
 */
const SHARD_1 = ['api', 'web'];
const SHARD_2 = ['base', 'child', 'worker'];

/**
 * Many machines, one registry: CI shards on engines of their own (each a dockerd in a network namespace of its own,
 * with the containerd image store, so the docker driver can export a layer cache), all pushing to one registry on
 * 127.0.0.1. The base image is in the registry, as official images are; no engine has it at first.
 */
describe('many machines, one registry: shards, the registry layer cache, remote engines', () => {
  let registry: TestRegistry;
  let ws: TestWorkspace;
  const engines: SecondEngine[] = [];
  const unique = randomBytes(4).toString('hex');
  let baseRef: string;

  async function freshEngine(): Promise<SecondEngine> {
    const engine = await startSecondEngine({ registryPorts: [Number(registry.host.split(':')[1])], containerdStore: true });
    engines.push(engine);
    return engine;
  }

  const record = (project: string) => ws.readJson<BuildRecord>(`dist/docker/${project}/docker-build.json`);
  const shard = (which: string, engine: SecondEngine, extra: string[] = []) =>
    ws.nx(['run-many', '-t', 'docker-build', `--shard=${which}`, '--output-style=static', ...extra], engine.env);
  const builtIn = (output: string) => PROJECTS.filter((p) => new RegExp(`^${p}\\s+built\\b`, 'm').test(output));
  const otherShardIn = (output: string) => PROJECTS.filter((p) => new RegExp(`^${p}\\s+other shard \\(\\d/2\\)$`, 'm').test(output));

  async function inRegistry(project: string, tag: string): Promise<boolean> {
    const response = await fetch(`http://127.0.0.1:${registry.host.split(':')[1]}/v2/${ws.imagePrefix}-${project}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json' },
    });
    return response.status === 200;
  }

  beforeAll(async () => {
    registry = await startRegistry();
    ws = createTestWorkspace(`shards-${unique}`);
    baseRef = `${registry.host}/${ws.imagePrefix}-debian:bookworm-slim`;
    await runOk('docker', ['tag', 'debian:bookworm-slim', baseRef]);
    await runOk('docker', ['push', '--quiet', baseRef]);
    writeJson(join(ws.root, 'nx.json'), {
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}`, registry: registry.host, push: true } }],
    });
    const project = (name: string, dockerfile: string, files: Record<string, string> = {}) => {
      writeJson(join(ws.root, 'apps', name, 'project.json'), { name });
      ws.write(`apps/${name}/Dockerfile`, dockerfile);
      for (const [path, content] of Object.entries(files)) ws.write(`apps/${name}/${path}`, content);
    };
    // api's RUN is the layer a code change must not redo: it comes back from the registry cache on a fresh engine.
    project('api', `FROM ${baseRef}\nRUN echo "deps ${unique}" > /deps && sleep 1\nCOPY main.py /app/main.py\n`, { 'main.py': `print("${unique}", 1)\n` });
    project('base', `FROM ${baseRef}\nRUN echo "base ${unique}" > /base-marker\n`);
    project('child', `FROM ${registry.host}/${ws.imagePrefix}-base\nCOPY c.txt /c.txt\n`, { 'c.txt': `child ${unique}\n` });
    project('web', `FROM ${baseRef}\nCOPY w.txt /w.txt\n`, { 'w.txt': `web ${unique}\n` });
    project('worker', `FROM ${baseRef}\nCOPY k.txt /k.txt\n`, { 'k.txt': `worker ${unique}\n` });
  });

  afterAll(async () => {
    await ws?.cleanup();
    for (const engine of engines) await engine.stop();
    await registry?.stop();
    await run('docker', ['rmi', baseRef]);
  });

  it('two shards on two machines build every image exactly once, each image with the base it starts FROM', async () => {
    const [first, second] = [await freshEngine(), await freshEngine()];
    const one = await shard('1/2', first);
    expect(one.exitCode).toBe(0);
    const two = await shard('2/2', second);
    expect(two.exitCode).toBe(0);
    expect(builtIn(one.stdout)).toEqual(SHARD_1);
    expect(otherShardIn(one.stdout)).toEqual(SHARD_2);
    expect(builtIn(two.stdout)).toEqual(SHARD_2);
    expect(otherShardIn(two.stdout)).toEqual(SHARD_1);
    expect(one.stdout).toMatch(/^3 images left to other shards$/m);
    for (const p of PROJECTS) {
      expect(record(p).status).toBe('built');
      expect(await inRegistry(p, record(p).hashTag)).toBe(true);
    }
    // The engines that built them can export cache (containerd store): each image's layer cache is in the registry.
    for (const p of PROJECTS) expect(await inRegistry(p, 'buildcache')).toBe(true);
    // An image of another shard is not touched: shard 1's engine has none of shard 2's images.
    const images = (await runOk('docker', ['image', 'ls', '--format', '{{.Repository}}'], { env: first.env })).stdout;
    for (const p of SHARD_2) expect(images).not.toContain(`${ws.imagePrefix}-${p}`);
  });

  it('rerunning any shard on an empty engine skips every one of its images through the registry', async () => {
    const empty = await freshEngine();
    for (const which of ['1/2', '2/2']) {
      const result = await shard(which, empty);
      expect(result.exitCode === 0 ? '' : result.output).toBe('');
      expect(builtIn(result.stdout)).toEqual([]);
    }
    for (const p of PROJECTS) expect(record(p)).toMatchObject({ status: 'skipped', skippedBecause: 'registry' });
  });

  it('after a code change, the shard that owns the image rebuilds it on an empty engine from the registry layer cache', async () => {
    ws.write('apps/api/main.py', `print("${unique}", 2)\n`);
    const empty = await freshEngine();
    const result = await shard('1/2', empty);
    expect(result.exitCode).toBe(0);
    expect(builtIn(result.stdout)).toEqual(['api']);
    // The RUN before the COPY was not run again: BuildKit took it from <registry>/<image>:buildcache.
    const { steps } = record('api');
    expect(steps?.total).toBe(2);
    expect(steps?.cached).toBeGreaterThan(0);
    expect(result.stdout).not.toMatch(/^#\d+ .*deps/m);
  });

  it('on the classic image store it reads the registry cache, builds, and says once what to enable to write it', async () => {
    ws.write('apps/web/w.txt', `web ${unique} 2\n`);
    ws.write('apps/worker/k.txt', `worker ${unique} 2\n`);
    // The main engine: the docker driver on the classic store, which cannot export cache.
    const result = await ws.nx(['run-many', '-t', 'docker-build', '--projects=web,worker', '--output-style=static']);
    expect(result.exitCode).toBe(0);
    expect(builtIn(result.stdout)).toEqual(['web', 'worker']);
    expect(result.stdout.match(/registry layer cache is read but not written/g)).toHaveLength(1);
    expect(result.stdout).toMatch(/containerd-snapshotter.*"builder"/);
  });

  it('builds, skips and pushes on an engine named by a docker context, and through the builder option', async () => {
    const remote = await freshEngine();
    const context = `nxb-remote-${unique}`;
    await runOk('docker', ['context', 'create', context, '--docker', `host=unix://${remote.socket}`]);
    try {
      ws.write('apps/web/w.txt', `web ${unique} 3\n`);
      const built = await ws.nx(['run', 'web:docker-build'], { DOCKER_CONTEXT: context });
      expect(built.exitCode === 0 ? '' : built.output).toBe('');
      expect(record('web').status).toBe('built');
      expect(await inRegistry('web', record('web').hashTag)).toBe(true);
      // The image was built by the remote engine, not by the main one.
      expect((await runOk('docker', ['image', 'ls', '-q', `${registry.host}/${ws.imagePrefix}-web`], { env: remote.env })).stdout.trim()).not.toBe('');
      const skipped = await ws.nx(['run', 'web:docker-build'], { DOCKER_CONTEXT: context });
      expect(skipped.exitCode).toBe(0);
      expect(record('web').status).toBe('skipped');

      // The builder option names a buildx builder. That context's own builder is the docker driver, which buildx
      // refuses to use from another context: the run says so in our words, with the two ways that work.
      ws.write('apps/web/w.txt', `web ${unique} 4\n`);
      const viaBuilder = await ws.nx(['run', 'web:docker-build', `--builder=${context}`]);
      expect(viaBuilder.exitCode).not.toBe(0);
      expect(viaBuilder.output).toContain(`The builder "${context}" is the docker driver of the docker context "${context}"`);
      expect(viaBuilder.output).toContain(`DOCKER_CONTEXT=${context}`);
      expect(viaBuilder.output).not.toMatch(/^ERROR: use `docker --context/m);
      // The current builder named explicitly (here the main engine's): builds, pushes, and skips through the registry.
      const named = await ws.nx(['run', 'web:docker-build', '--builder=default']);
      expect(named.exitCode === 0 ? '' : named.output).toBe('');
      expect(record('web').status).toBe('built');
      expect(await inRegistry('web', record('web').hashTag)).toBe(true);
      await ws.nx(['run', 'web:docker-build', '--builder=default']);
      expect(record('web').status).toBe('skipped');
    } finally {
      await run('docker', ['context', 'rm', '-f', context]);
    }
  });
});
