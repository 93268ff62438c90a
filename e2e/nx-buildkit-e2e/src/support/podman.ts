import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { run, RunResult, runOk } from './processes';

/**
 * A podman of the test's own: its image store in a temp folder (CONTAINERS_STORAGE_CONF, kernel overlay as root) —
 * empty at the start, like a fresh CI runner's, and invisible to any other test run on the machine — and its own API
 * service (`podman system service`) on the socket podman makes by default under XDG_RUNTIME_DIR, where nx-buildkit
 * finds it. `env` is what a command needs to use this podman: the podman CLI and the executor alike.
 */
export interface TestPodman {
  readonly env: Readonly<Record<string, string>>;
  readonly socket: string;
  podman(args: readonly string[]): Promise<RunResult>;
  /**
   * The text of files in an image, copied out of a container that is created and never started: `podman run` fails
   * in this test host's container (runc may not set RLIMIT_NOFILE / RLIMIT_NPROC there: "operation not permitted"),
   * while builds, whose RUN steps Buildah starts itself, work.
   */
  readFiles(ref: string, paths: readonly string[]): Promise<string[]>;
  /** Copies an image of the Docker engine (the stand-in bases) into this podman's store: docker save, podman load. */
  loadFromDocker(ref: string): Promise<void>;
  stop(): Promise<void>;
}

/** GET /_ping over the socket; '' while nothing listens. */
function ping(socket: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', headers: { Host: 'podman' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', () => resolve(''));
    req.end();
  });
}

export async function startPodman(): Promise<TestPodman> {
  const dir = mkdtempSync(join(tmpdir(), 'nxb-podman-'));
  const runtimeDir = join(dir, 'xdg');
  mkdirSync(join(runtimeDir, 'podman'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'storage.conf'), `[storage]\ndriver = "overlay"\ngraphroot = "${join(dir, 'storage')}"\nrunroot = "${join(dir, 'run')}"\n`);
  const env = { CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'), XDG_RUNTIME_DIR: runtimeDir };
  const socket = join(runtimeDir, 'podman', 'podman.sock');
  const service: ChildProcess = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  service.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  const podman = (args: readonly string[]) => run('podman', args, { env });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (service.exitCode !== null) throw new Error(`podman system service exited with ${service.exitCode}: ${stderr}`);
    if ((await ping(socket)) === 'OK') break;
    if (Date.now() > deadline) throw new Error(`podman system service did not answer on ${socket} within 30 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    env,
    socket,
    podman,
    readFiles: async (ref, paths) => {
      const container = (await runOk('podman', ['create', ref], { env })).stdout.trim().split('\n').pop() as string;
      const out = mkdtempSync(join(dir, 'files-'));
      try {
        return await Promise.all(
          paths.map(async (path, i) => {
            await runOk('podman', ['cp', `${container}:${path}`, join(out, String(i))], { env });
            return readFileSync(join(out, String(i)), 'utf8');
          }),
        );
      } finally {
        await run('podman', ['rm', '--force', container], { env });
        rmSync(out, { recursive: true, force: true });
      }
    },
    loadFromDocker: async (ref) => {
      const archive = join(dir, 'image.tar');
      await runOk('docker', ['save', '--output', archive, ref]);
      await runOk('podman', ['load', '--quiet', '--input', archive], { env });
      rmSync(archive, { force: true });
    },
    stop: async () => {
      if (service.exitCode === null && service.signalCode === null) {
        const exited = new Promise((resolve) => service.once('exit', resolve));
        service.kill('SIGTERM');
        await exited;
      }
      // Layers are overlay mounts only while a container uses them: with every image removed, the folder can go.
      await podman(['rmi', '--all', '--force']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
