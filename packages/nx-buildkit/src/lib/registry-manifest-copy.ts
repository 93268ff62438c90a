import { request } from 'node:http';
import { parseReference } from './image-ref';

/**
 * Tags an image in its registry by copying its manifest, byte for byte, under another tag of the same repository
 * (GET then PUT, the Registry HTTP API): the new tag has the hash tag's digest. `docker buildx imagetools create`
 * (buildx 0.13, no --prefer-index=false) wraps a single-platform manifest in a new index instead, so the tags never
 * match the hash tag's digest and a no-op would write them again on every run.
 *
 * Only where it needs nothing the docker CLI knows better: a loopback registry (which Docker itself speaks plain HTTP
 * to) that lets us in without credentials. Elsewhere — another host, or a 401/403 — the caller uses imagetools.
 */

/** The repository's registry host and path, and the tag, when `ref` can be copied to directly; undefined otherwise. */
export function directCopyTarget(ref: string): { host: string; repository: string; tag: string } | undefined {
  const parsed = parseReference(ref);
  if (!parsed.tag || parsed.digest) return undefined;
  const slash = parsed.name.indexOf('/');
  const host = parsed.name.slice(0, slash);
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(host)) return undefined;
  return { host, repository: parsed.name.slice(slash + 1), tag: parsed.tag };
}

/** The manifest media types a registry may hold for an image: OCI and Docker, single-platform and index. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * Copies `source`'s manifest to each target of the same loopback repository. Returns the targets it did not copy
 * (another repository or registry, or a registry that wants credentials): the caller tags those another way.
 * Throws when the registry answers with an error for a copy it should accept.
 */
export async function copyManifestToTags(source: string, targets: readonly string[]): Promise<string[]> {
  const from = directCopyTarget(source);
  if (!from) return [...targets];
  const sameRepository = targets.filter((target) => {
    const to = directCopyTarget(target);
    return to !== undefined && to.host === from.host && to.repository === from.repository;
  });
  if (sameRepository.length === 0) return [...targets];
  const manifest = await send(from.host, 'GET', `/v2/${from.repository}/manifests/${from.tag}`, { Accept: MANIFEST_TYPES });
  if (manifest.status === 401 || manifest.status === 403) return [...targets];
  if (manifest.status !== 200) throw new Error(`the registry ${from.host} answered ${manifest.status} for the manifest of ${source}`);
  const contentType = String(manifest.headers['content-type']);
  const copied = new Set<string>();
  for (const target of sameRepository) {
    const to = directCopyTarget(target) as NonNullable<ReturnType<typeof directCopyTarget>>;
    const put = await send(to.host, 'PUT', `/v2/${to.repository}/manifests/${to.tag}`, { 'Content-Type': contentType }, manifest.body);
    // Writing needs credentials: what is left goes the other way.
    if (put.status === 401 || put.status === 403) break;
    if (put.status !== 201) throw new Error(`the registry ${to.host} answered ${put.status} when tagging ${target}`);
    copied.add(target);
  }
  return targets.filter((target) => !copied.has(target));
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function send(host: string, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  const [hostname, port] = host.startsWith('[') ? [host.slice(1, host.indexOf(']')), host.split(']:')[1]] : host.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: port ? Number(port) : 80, method, path, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) }, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${host} within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}
