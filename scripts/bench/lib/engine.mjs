// The Docker engine side of the bench: versions, the images the bench made, and a cold build cache.
import { cpus, totalmem, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { output, run } from './run.mjs';

/** Every image the bench makes is named with this prefix, so cleanup removes exactly them. */
export const IMAGE_PREFIX = 'nxb-bench-';

/** The four base images the generated Dockerfiles start FROM (local stand-ins here): never removed. */
export const BASE_IMAGES = ['debian:bookworm-slim', 'python:3.11-slim-bookworm', 'node:20-bookworm-slim', 'nginx:1.27-bookworm'];

export async function assertBaseImages() {
  for (const image of BASE_IMAGES) {
    const found = await run('docker', ['image', 'inspect', '--format', '{{.Id}}', image], { allowFailure: true });
    if (found.exitCode !== 0) throw new Error(`Base image "${image}" is missing. Run "bash scripts/base-images.sh" (npm run bench does) and rerun.`);
  }
}

/** Removes every image whose repository starts with the prefix (all tags, so nothing can be skipped by an old hash tag). */
export async function removeImages(prefix = IMAGE_PREFIX) {
  const listed = await output('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
  const refs = listed.split('\n').filter((ref) => ref && ref.split('/').pop().startsWith(prefix));
  // A few hundred refs per call keeps the argument list short.
  for (let i = 0; i < refs.length; i += 200) await run('docker', ['image', 'rm', '--force', ...refs.slice(i, i + 200)], { allowFailure: true });
  return refs.length;
}

/** Empties BuildKit's cache (layers and cache mounts) — what a fresh CI runner has. Images, base images included, stay. */
export async function pruneBuildCache() {
  await run('docker', ['builder', 'prune', '--all', '--force']);
}

export async function versions() {
  const [engine, client, buildx] = await Promise.all([
    output('docker', ['version', '--format', '{{.Server.Version}}']),
    output('docker', ['version', '--format', '{{.Client.Version}}']),
    output('docker', ['buildx', 'version']),
  ]);
  const builder = await run('docker', ['buildx', 'inspect'], { allowFailure: true });
  const driver = /Driver:\s*(\S+)/.exec(builder.stdout)?.[1];
  const storage = await output('docker', ['info', '--format', '{{.Driver}}']);
  return { dockerEngine: engine, dockerCli: client, buildx: buildx.split(' ').slice(1).join(' '), builderDriver: driver ?? 'unknown', storageDriver: storage, node: process.version };
}

export function machine() {
  const cpuList = cpus();
  let osName = 'unknown';
  try {
    osName = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? osName;
  } catch {
    // Not Linux: the kernel release below still says something.
  }
  return { cores: cpuList.length, cpuModel: cpuList[0]?.model?.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), os: osName, kernel: release() };
}
