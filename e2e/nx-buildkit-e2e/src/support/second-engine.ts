import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, runOk } from './processes';

export interface SecondEngine {
  /** Environment for the docker CLI / the nx-buildkit executor to talk to this engine: `{ DOCKER_HOST: 'unix://<dir>/sock' }`. */
  readonly env: Record<string, string>;
  /** Absolute path of the engine's unix socket. */
  readonly socket: string;
  /** Stops dockerd and the socat forwarders, deletes the veth pair and the netns, removes the folder. Idempotent, never throws. */
  stop(): Promise<void>;
}

/**
 * Starts an empty dockerd (data root, exec root, pidfile and socket of its own, in a temp folder) in a network namespace
 * of its own: a fresh CI runner or a remote builder next to the main engine.
 *
 * The namespace matters: a second dockerd in the host's namespace deletes or fights over the main engine's docker0.
 * In its own namespace its default bridge lives there, so `RUN` works and the host's docker0 is untouched. It is
 * entered with `nsenter --net` (`ip netns exec` remounts /sys and dockerd then fails: "Devices cgroup isn't mounted").
 *
 * registryPorts: TCP ports of registries listening on the host's 127.0.0.1. Each one is made reachable inside the
 * namespace as `localhost:<port>` (which Docker trusts without TLS): a veth pair with a private /30 between host and
 * namespace, socat on the host's veth address forwarding to 127.0.0.1:<port>, and socat on the namespace's
 * 127.0.0.1:<port> forwarding to the host's veth address. So both engines name the registry `localhost:<port>`.
 * Client-side look-ups (`docker buildx imagetools …`) run in the host namespace and reach 127.0.0.1 directly.
 */
/**
 * containerdStore: the engine keeps images in the containerd image store (`features.containerd-snapshotter`), where
 * the `docker` driver can export a layer cache (`--cache-to type=registry…`); the classic store cannot.
 */
export async function startSecondEngine(options: { registryPorts?: number[]; containerdStore?: boolean } = {}): Promise<SecondEngine> {
  const ports = [...new Set(options.registryPorts ?? [])];
  const id = randomBytes(4).toString('hex');
  const netns = `nxb-${id}`;
  const nsPath = `/var/run/netns/${netns}`;
  // Interface names are limited to 15 characters: nxbh + 8 hex = 12.
  const hostVeth = `nxbh${id}`;
  const nsVeth = `nxbn${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'nxb-engine-'));
  const socket = join(dir, 'sock');
  const logFile = join(dir, 'dockerd.log');

  let netnsCreated = false;
  let vethCreated = false;
  let dockerd: ChildProcess | undefined;
  const forwarders: Forwarder[] = [];
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // dockerd first: its containers and BuildKit hold the namespace and the mounts under the folder.
      if (dockerd) await terminate(dockerd, 20_000);
      // What dockerd started and may leave behind after a SIGKILL (or a crash): its containerd and the shims, named by
      // the folder on their command lines, and the containers' processes, whose mounts come from the folder.
      await killAll(processesMentioning(dir), 5_000);
      const orphans = containerProcessesOf(dir);
      const cgroups = orphans.flatMap(cgroupDirsOf);
      await killAll(orphans, 0);
      for (const cgroup of cgroups) removeEmptyCgroup(cgroup);
      for (const { child } of forwarders) {
        const forked = descendants(child.pid);
        await terminate(child, 5_000);
        await killAll(forked, 2_000);
      }
      await unmountUnder(dir);
      if (vethCreated) await run('ip', ['link', 'del', hostVeth]);
      if (netnsCreated) await run('ip', ['netns', 'del', netns]);
      try {
        await rm(dir, { recursive: true, force: true });
      } catch (error) {
        console.warn(`second engine: could not remove ${dir}: ${(error as Error).message}`);
      }
    })().catch((error: unknown) => console.warn(`second engine: stop failed: ${(error as Error).message}`));
    return stopping;
  };

  try {
    await runOk('ip', ['netns', 'add', netns]);
    netnsCreated = true;
    await runOk('nsenter', [`--net=${nsPath}`, 'ip', 'link', 'set', 'lo', 'up']);

    if (ports.length > 0) {
      const subnet = await freeSubnet();
      const hostAddr = `10.250.${subnet}.1`;
      const nsAddr = `10.250.${subnet}.2`;
      await runOk('ip', ['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', nsVeth]);
      vethCreated = true;
      await runOk('ip', ['link', 'set', nsVeth, 'netns', netns]);
      await runOk('ip', ['addr', 'add', `${hostAddr}/30`, 'dev', hostVeth]);
      await runOk('ip', ['link', 'set', hostVeth, 'up']);
      await runOk('nsenter', [`--net=${nsPath}`, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsVeth]);
      await runOk('nsenter', [`--net=${nsPath}`, 'ip', 'link', 'set', nsVeth, 'up']);
      for (const port of ports) {
        forwarders.push(
          startForwarder('socat', [`TCP-LISTEN:${port},bind=${hostAddr},fork,reuseaddr`, `TCP:127.0.0.1:${port}`]),
          startForwarder('nsenter', [
            `--net=${nsPath}`,
            'socat',
            `TCP-LISTEN:${port},bind=127.0.0.1,fork,reuseaddr`,
            `TCP:${hostAddr}:${port}`,
          ]),
        );
      }
      for (const port of ports) await waitForRegistryInside(nsPath, port, forwarders);
    }

    // A config file of its own, so that a host-wide /etc/docker/daemon.json does not apply.
    writeFileSync(join(dir, 'daemon.json'), `${JSON.stringify(options.containerdStore ? { features: { 'containerd-snapshotter': true } } : {})}\n`);
    const log = openSync(logFile, 'a');
    try {
      dockerd = spawn(
        'nsenter',
        [
          `--net=${nsPath}`,
          'dockerd',
          '--config-file', join(dir, 'daemon.json'),
          '--data-root', join(dir, 'data'),
          '--exec-root', join(dir, 'exec'),
          '--pidfile', join(dir, 'pid'),
          '-H', `unix://${socket}`,
          '--iptables=false',
          '--ip6tables=false',
        ],
        { stdio: ['ignore', log, log] },
      );
    } finally {
      closeSync(log);
    }
    const started = dockerd;
    await new Promise<void>((resolve, reject) => {
      started.once('spawn', resolve);
      started.once('error', reject);
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null) {
        throw new Error(`second dockerd exited with ${started.exitCode ?? started.signalCode}:\n${tail(logFile)}`);
      }
      if (await ping(socket)) break;
      if (Date.now() > deadline) throw new Error(`second dockerd did not answer on ${socket} within 60 s:\n${tail(logFile)}`);
      await sleep(200);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { env: { DOCKER_HOST: `unix://${socket}` }, socket, stop };
}

interface Forwarder {
  readonly child: ChildProcess;
  /** The command line and what it wrote to stderr, for errors. */
  describe(): string;
}

function startForwarder(file: string, args: string[]): Forwarder {
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk));
  child.on('error', (error) => (stderr += String(error)));
  return { child, describe: () => `${file} ${args.join(' ')}: ${stderr.trim() || '(no output)'}` };
}

/** Waits until `GET /v2/` through both forwarders, from inside the namespace, gets an HTTP answer. */
async function waitForRegistryInside(nsPath: string, port: number, forwarders: Forwarder[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last = '';
  for (;;) {
    const dead = forwarders.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (dead) throw new Error(`socat forwarder exited: ${dead.describe()}`);
    const result = await run(
      'nsenter',
      [`--net=${nsPath}`, 'socat', '-t', '2', '-T', '5', '-', `TCP:127.0.0.1:${port},connect-timeout=2`],
      { input: `GET /v2/ HTTP/1.0\r\nHost: localhost:${port}\r\n\r\n` },
    );
    if (result.stdout.startsWith('HTTP/')) return;
    last = result.output.trim() || 'no HTTP answer';
    if (Date.now() > deadline) {
      throw new Error(`registry 127.0.0.1:${port} not reachable from the namespace as localhost:${port} (is it listening?): ${last}`);
    }
    await sleep(100);
  }
}

/** A third octet n for 10.250.n.0/30 that no address or route of the host uses (concurrent test runs pick others). */
async function freeSubnet(): Promise<number> {
  const used = new Set<number>();
  const seen = `${(await run('ip', ['-4', '-o', 'addr', 'show'])).stdout}\n${(await run('ip', ['-4', 'route', 'show', 'table', 'all'])).stdout}`;
  for (const match of seen.matchAll(/\b10\.250\.(\d+)\./g)) used.add(Number(match[1]));
  for (let attempt = 0; attempt < 1000; attempt++) {
    const n = randomInt(1, 251);
    if (!used.has(n)) return n;
  }
  throw new Error('no free 10.250.n.0/30 subnet for the second engine');
}

function ping(socketPath: string): Promise<boolean> {
  if (!existsSync(socketPath)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** SIGTERM, wait up to timeoutMs for the exit, then SIGKILL and wait again. */
async function terminate(child: ChildProcess, timeoutMs: number): Promise<void> {
  const exited = () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
  if (exited()) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (await Promise.race([done.then(() => true), sleep(timeoutMs).then(() => false)])) return;
  child.kill('SIGKILL');
  await Promise.race([done, sleep(5_000)]);
}

/** SIGTERM to processes that are not our children (containerd, shims, forked socats), SIGKILL after timeoutMs. */
async function killAll(pids: number[], timeoutMs: number): Promise<void> {
  if (pids.length === 0) return;
  signalAll(pids, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  signalAll(pids.filter(alive), 'SIGKILL');
  const killDeadline = Date.now() + 2_000;
  while (pids.some(alive) && Date.now() < killDeadline) await sleep(100);
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  const stat = readProc(pid, 'stat');
  return stat !== undefined && !/^\d+ \(.*\) Z /s.test(stat);
}

function readProc(pid: number | string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/** Processes whose command line names this folder: containerd (--config <dir>/exec/…) and its shims (-address <dir>/exec/…). */
function processesMentioning(dir: string): number[] {
  return allPids().filter((pid) => readProc(pid, 'cmdline')?.split('\0').some((arg) => arg === dir || arg.includes(`${dir}/`)) && alive(pid));
}

/**
 * Processes in a mount namespace other than ours whose root filesystem comes from the folder (a container's rootfs
 * overlay names its layers under <dir>/data). Only the mount on `/` counts: a main-engine container with a bind mount
 * of the host's /tmp may see the folder's mounts too, and must not be touched.
 */
function containerProcessesOf(dir: string): number[] {
  const ownMountNamespace = readLink('/proc/self/ns/mnt');
  return allPids().filter((pid) => {
    const mountNamespace = readLink(`/proc/${pid}/ns/mnt`);
    if (mountNamespace === undefined || mountNamespace === ownMountNamespace) return false;
    const rootMounts = (readProc(pid, 'mountinfo') ?? '').split('\n').filter((line) => line.split(' ')[4] === '/');
    return rootMounts.some((line) => line.includes(`${dir}/`)) && alive(pid);
  });
}

/** The cgroup folders a process is in (`/docker/<id>` per hierarchy), read from /proc/<pid>/cgroup. */
function cgroupDirsOf(pid: number): string[] {
  const hierarchies = ['', ...readdirSyncSafe('/sys/fs/cgroup')];
  return (readProc(pid, 'cgroup') ?? '')
    .split('\n')
    .map((line) => line.slice(line.indexOf(':', line.indexOf(':') + 1) + 1))
    .filter((path) => /^\/.+\/./.test(path))
    .flatMap((path) => hierarchies.map((hierarchy) => join('/sys/fs/cgroup', hierarchy, path)));
}

/** rmdir only: the kernel refuses a cgroup that still has processes or children, so nothing of the main engine goes. */
function removeEmptyCgroup(path: string): void {
  try {
    if (existsSync(path)) rmdirSync(path);
  } catch {
    // in use or not a cgroup of ours
  }
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

function readdirSyncSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** All descendants of pid (socat's forked per-connection children), found through /proc/<pid>/stat's ppid field. */
function descendants(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const parents = new Map<number, number>();
  for (const candidate of allPids()) {
    const match = /^\d+ \(.*\) \S+ (\d+) /s.exec(readProc(candidate, 'stat') ?? '');
    if (match) parents.set(candidate, Number(match[1]));
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent === current && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Unmounts whatever is still mounted under dir (dockerd removes its overlay and netns mounts on a clean shutdown). */
async function unmountUnder(dir: string): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const mounts = mountPointsUnder(dir);
    if (mounts.length === 0) return;
    for (const mountPoint of mounts) {
      const result = await run('umount', [mountPoint]);
      if (result.exitCode !== 0) await run('umount', ['-l', mountPoint]);
    }
  }
}

function mountPointsUnder(dir: string): string[] {
  const mountInfo = readProc('self', 'mountinfo') ?? '';
  const points = mountInfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => point !== undefined)
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  // Deepest first, so nested mounts go before the ones they sit on.
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
