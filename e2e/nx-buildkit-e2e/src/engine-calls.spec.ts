import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './support/processes';
import { startRegistry, TestRegistry } from './support/registry';
import { addProject, createTestWorkspace, TestWorkspace } from './support/workspace';

/**
 * What a no-op run costs the engine must not grow with the number of images: counted as docker processes (a logging
 * shim first on PATH) and as the engine client's own counter, printed with --verbose, which counts API round trips,
 * docker processes and registry requests alike.
 */
describe('what a no-op run asks of the engine stays bounded, whatever the number of images', () => {
  let shimDir: string;
  let log: string;

  beforeAll(async () => {
    shimDir = mkdtempSync(join(tmpdir(), 'nxb-docker-log-'));
    log = join(shimDir, 'calls.log');
    const realDocker = (await run('sh', ['-c', 'command -v docker'])).stdout.trim();
    writeFileSync(join(shimDir, 'docker'), `#!/bin/sh\necho "$*" >> "${log}"\nexec "${realDocker}" "$@"\n`);
    chmodSync(join(shimDir, 'docker'), 0o755);
  });

  afterAll(() => {
    rmSync(shimDir, { recursive: true, force: true });
  });

  /** A workspace of n small images, all built once. */
  async function workspaceOf(n: number, extra: Record<string, unknown> = {}): Promise<TestWorkspace> {
    const ws = createTestWorkspace(`calls-${n}`);
    for (let i = 0; i < n; i++) {
      ws.write(`apps/img${i}/Dockerfile`, 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
      ws.write(`apps/img${i}/app.txt`, `${ws.imagePrefix} ${i}\n`);
      ws.write(`apps/img${i}/.dockerignore`, 'project.json\n');
      addProject(ws, `img${i}`, `apps/img${i}`, { image: `${ws.imagePrefix}-img${i}`, tags: ['latest', 'e2e'], ...extra });
    }
    const first = await ws.nx(['run-many', '-t', 'docker-build']);
    expect(first.exitCode).toBe(0);
    return ws;
  }

  /** Runs nx with the shim on PATH: docker processes started and engine calls reported. */
  async function counted(ws: TestWorkspace, args: string[]): Promise<{ processes: string[]; apiCalls: number[]; output: string }> {
    writeFileSync(log, '');
    const result = await ws.nx([...args, '--verbose'], { PATH: `${shimDir}:${process.env.PATH}` });
    expect(result.exitCode).toBe(0);
    const processes = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const apiCalls = [...result.output.matchAll(/nx-buildkit: (\d+) engine calls \(API round trips, docker processes and registry requests\)/g)].map((m) => Number(m[1]));
    return { processes, apiCalls, output: result.output };
  }

  /** A no-op run: nothing built. With no docker process, every call counted is an API round trip or a registry request. */
  async function noOp(ws: TestWorkspace, args: string[]): Promise<{ processes: string[]; apiCalls: number[]; output: string }> {
    const result = await counted(ws, args);
    expect(result.output).not.toMatch(/\bbuilt\b +\d/);
    return result;
  }

  let small: TestWorkspace;
  let large: TestWorkspace;
  let larger: TestWorkspace;

  beforeAll(async () => {
    small = await workspaceOf(2);
    large = await workspaceOf(6);
    larger = await workspaceOf(7);
  });

  afterAll(async () => {
    await small?.cleanup();
    await large?.cleanup();
    await larger?.cleanup();
  });

  it('batch mode: no docker process at all; a few images are asked for by reference, more through one listing whatever their number', async () => {
    const two = await noOp(small, ['run-many', '-t', 'docker-build']);
    const six = await noOp(large, ['run-many', '-t', 'docker-build']);
    const seven = await noOp(larger, ['run-many', '-t', 'docker-build']);
    expect(two.processes).toEqual([]);
    expect(six.processes).toEqual([]);
    expect(two.apiCalls).toHaveLength(1);
    // Up to four images (lib/image/local-images.ts): a ping, their one base image and each one's hash tag.
    expect(two.apiCalls[0]).toBe(1 + 1 + 2);
    // More: a ping and one listing: every base identity, hash tag and tag check of the run comes from it.
    expect(six.apiCalls[0]).toBeLessThanOrEqual(3);
    expect(seven.apiCalls).toEqual(six.apiCalls);
  });

  it('one process per image (--batch=false): the same small number of API round trips for each image, no docker process', async () => {
    const six = await noOp(large, ['run-many', '-t', 'docker-build', '--batch=false']);
    expect(six.processes).toEqual([]);
    expect(six.apiCalls).toHaveLength(6);
    // Each process: a ping, its base image and its hash tag, asked by reference (a tag the image lacks would add one).
    expect(Math.max(...six.apiCalls)).toBeLessThanOrEqual(3);
  });

  it('a no-op with push reads the registry through the engine and writes nothing to it: no docker process', async () => {
    const registry: TestRegistry = await startRegistry();
    const pushed = await workspaceOf(3, { registry: registry.host, push: true });
    try {
      const noop = await noOp(pushed, ['run-many', '-t', 'docker-build']);
      expect(noop.processes).toEqual([]);
      expect(noop.output).toMatch(/skipped/);
      // A ping, the base and each hash tag asked by reference, and per image the hash tag and its two tags looked up
      // in the registry: reads only.
      expect(noop.apiCalls[0]).toBeLessThanOrEqual(1 + 1 + 3 + 3 * 3);
    } finally {
      await pushed.cleanup();
      await registry.stop();
    }
  });

  it('a build starts one docker process (buildx build, no version check first) and counts the API round trips', async () => {
    small.write('apps/img0/app.txt', `${small.imagePrefix} 0 changed\n`);
    const build = await counted(small, ['run', 'img0:docker-build']);
    expect(build.output).toMatch(/img0 +built/);
    expect(build.processes).toEqual([expect.stringMatching(/^buildx build /)]);
    expect(build.apiCalls).toHaveLength(1);
    // A ping, the base image and the hash tag asked by reference, the hash tag written, the new image's size for the
    // report, and the docker process the shim saw; no listing.
    expect(build.apiCalls[0]).toBe(1 + 2 + 1 + 1 + build.processes.length);
  });

  it("the executor's bundle loads through the V8 code cache its first run wrote beside it, made from that bundle", () => {
    // `small` has run batch no-ops and a build by now: the batch executor's bundle was loaded, and its cache written.
    const folder = join(small.root, 'node_modules/nx-buildkit/src/executors/build');
    const caches = readdirSync(folder).filter((name) => /^\.batch\.bundle\.js\.v8-.+\.cache$/.test(name));
    expect(caches).toEqual([`.batch.bundle.js.v8-${process.versions.v8}-${process.arch}.cache`]);
    const cache = readFileSync(join(folder, caches[0]));
    const bundleHash = createHash('sha256').update(readFileSync(join(folder, 'batch.bundle.js'), 'utf8')).digest();
    expect(cache.subarray(0, 32).equals(bundleHash)).toBe(true);
    expect(cache.length).toBeGreaterThan(10_000);
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('with the docker CLI itself on PATH, a build starts the buildx plugin as the CLI would, without the CLI and its plugin check in front', async () => {
    // A DOCKER_CONFIG of its own whose cli-plugins folder holds a logging docker-buildx: the CLI looks there first, and
    // so does nx-buildkit. PATH has the real docker CLI, not the shim (a wrapper script is always gone through).
    const config = mkdtempSync(join(tmpdir(), 'nxb-plugin-config-'));
    try {
      const plugins = (await run('docker', ['info', '--format', '{{range .ClientInfo.Plugins}}{{.Name}} {{.Path}}{{"\\n"}}{{end}}'])).stdout;
      const realPlugin = /^buildx (\S+)$/m.exec(plugins)?.[1];
      expect(realPlugin).toBeDefined();
      const pluginLog = join(config, 'plugin.log');
      mkdirSync(join(config, 'cli-plugins'));
      writeFileSync(
        join(config, 'cli-plugins', 'docker-buildx'),
        `#!/bin/sh\necho "$* | parent=$(cat /proc/$PPID/comm) | cli=$DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND" >> "${pluginLog}"\nexec "${realPlugin}" "$@"\n`,
      );
      chmodSync(join(config, 'cli-plugins', 'docker-buildx'), 0o755);

      // The docker CLI first asks the plugin for its metadata, then starts it: what this test must tell apart.
      const throughCli = await run('docker', ['buildx', 'version'], { env: { DOCKER_CONFIG: config } });
      expect(throughCli.exitCode).toBe(0);
      expect(readFileSync(pluginLog, 'utf8')).toMatch(/^docker-cli-plugin-metadata /m);
      writeFileSync(pluginLog, '');

      small.write('apps/img1/app.txt', `${small.imagePrefix} 1 changed for the plugin\n`);
      const build = await small.nx(['run', 'img1:docker-build'], { DOCKER_CONFIG: config });
      expect(build.exitCode).toBe(0);
      expect(build.output).toMatch(/img1 +built/);
      const started = readFileSync(pluginLog, 'utf8').split('\n').filter(Boolean);
      expect(started).toEqual([expect.stringMatching(/^buildx build .* \| parent=node \| cli=\/\S*\/docker$/)]);
      const image = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', `${small.imagePrefix}-img1:latest`]);
      expect(image.exitCode).toBe(0);
    } finally {
      rmSync(config, { recursive: true, force: true });
    }
  });
});
