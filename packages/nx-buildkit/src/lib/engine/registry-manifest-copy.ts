import { createHash } from 'node:crypto';
import { registryCredentials, RegistryCredentials } from './registry-auth';
import { UserFacingError } from '../errors';
import { parseReference } from '../image/identity/image-ref';
import type { EngineClient } from './client';
import { MAX_MANIFEST_BYTES, MAX_SMALL_BODY_BYTES, REGISTRY_DEADLINE_MS, RegistryHttpAnswer, RegistryHttpError } from './registry-http';
import { readTextFromDisk } from '../context/ignore-file';

/** Who makes the HTTP exchanges: the run's engine client, which counts them. */
type RegistryRequester = Pick<EngineClient, 'registryRequest'>;

/**
 * Tags an image in its registry by copying its manifest, byte for byte, under another tag of the same repository
 * (GET then PUT, the Registry HTTP API): the new tag has the hash tag's digest. `docker buildx imagetools create`
 * (buildx 0.13, no --prefer-index=false) wraps a single-platform manifest in a new index instead, so the tags never
 * match the hash tag's digest and a no-op would write them again on every run.
 *
 * Any registry, with the credentials `docker login` stored in config.json: Basic, or a Bearer token from the
 * registry's token service (the Docker token flow that ghcr.io, Docker Hub, GitLab and Harbor use). Loopback
 * registries are spoken to over plain HTTP, as Docker does; the others over HTTPS. Where it cannot — credentials in a
 * helper, an identity token, a registry it cannot reach (an "insecure" one the engine is told to speak HTTP to), a
 * refusal — the caller uses imagetools, which knows all of that.
 */

/** Where a reference's manifests live: the API host, whether it speaks HTTPS, the repository and the tag. */
export interface CopyTarget {
  /** The registry as references name it (`ghcr.io`, `localhost:5000`, `docker.io`). */
  readonly registry: string;
  /** The host the API answers on (`registry-1.docker.io` for Docker Hub). */
  readonly apiHost: string;
  readonly secure: boolean;
  readonly repository: string;
  readonly tag: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/** The registry API location of a tag reference; undefined for a digest reference (nothing to tag). */
export function copyTarget(ref: string): CopyTarget | undefined {
  const parsed = parseReference(ref);
  if (!parsed.tag || parsed.digest) return undefined;
  const slash = parsed.name.indexOf('/');
  const registry = parsed.name.slice(0, slash);
  return {
    registry,
    apiHost: registry === 'docker.io' ? 'registry-1.docker.io' : registry,
    secure: !LOOPBACK.test(registry),
    repository: parsed.name.slice(slash + 1),
    tag: parsed.tag,
  };
}

/** The manifest media types a registry may hold for an image: OCI and Docker, single-platform and index. */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** What the registry said the credentials must look like (`WWW-Authenticate`). */
export interface AuthChallenge {
  readonly scheme: 'basic' | 'bearer';
  readonly params: Readonly<Record<string, string>>;
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/api:pull"` → scheme and params. */
export function parseChallenge(header: string | string[] | undefined): AuthChallenge | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(Basic|Bearer)\b\s*(.*)$/i.exec(value ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const pair of match[2].matchAll(/([a-zA-Z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[pair[1].toLowerCase()] = pair[2] ?? pair[3] ?? '';
  return { scheme: match[1].toLowerCase() as AuthChallenge['scheme'], params };
}

/**
 * Whether stored credentials may be sent to a token service (the challenge's realm): over HTTPS always; over plain
 * HTTP only when the registry itself is spoken to over plain HTTP (a loopback registry, see copyTarget) and the realm
 * is on the loopback too. Anything else would put the password on the network in clear, or hand it to any host a
 * registry names. Docker's client (distribution's token handler) sends the credentials to whatever realm the
 * registry names, in any scheme; this one is stricter. Registries the engine is told to speak plain HTTP to
 * ("insecure-registries", not on the loopback) are never spoken to here at all: they go through the docker CLI.
 * Returns why not, or undefined when they may.
 */
export function realmRefusal(realm: URL, registry: Pick<CopyTarget, 'secure'>): string | undefined {
  if (realm.protocol === 'https:') return undefined;
  if (realm.protocol === 'http:' && !registry.secure && LOOPBACK.test(realm.host)) return undefined;
  return `its token service ${realm.origin} is not HTTPS${registry.secure ? '' : ' nor on this machine'}, and nx-buildkit sends registry credentials only over HTTPS (or plain HTTP on the loopback)`;
}

/** The token service's URL for a challenge, asking to read and write the repository. */
export function tokenUrl(challenge: AuthChallenge, repository: string): string | undefined {
  const { realm, service } = challenge.params;
  if (!realm) return undefined;
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return undefined;
  }
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', `repository:${repository}:pull,push`);
  return url.toString();
}

/**
 * Copies `source`'s manifest to each target of the same repository. Returns the targets it did not copy (another
 * repository or registry, credentials only the CLI can use, a refusal, a registry it cannot reach): the caller tags
 * those another way. Throws when the registry answers with an error for a copy it should accept.
 */
export async function copyManifestToTags(
  engine: RegistryRequester,
  source: string,
  targets: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  /** Where the credentials are (podman keeps its own auth.json); default: what `docker login` stored. */
  credentialsOf: (registry: string) => RegistryCredentials = (registry) => registryCredentials(registry, env, readTextFromDisk),
): Promise<string[]> {
  const from = copyTarget(source);
  if (!from) return [...targets];
  const sameRepository = targets.filter((target) => {
    const to = copyTarget(target);
    return to !== undefined && to.registry === from.registry && to.repository === from.repository;
  });
  if (sameRepository.length === 0) return [...targets];
  const credentials = credentialsOf(from.registry);
  if (credentials.kind === 'helper' || credentials.kind === 'identitytoken') return [...targets];
  const session = new RegistrySession(engine, from, credentials);

  let manifest: Answer;
  try {
    manifest = await session.send('GET', `/v2/${from.repository}/manifests/${from.tag}`, { Accept: MANIFEST_TYPES }, MAX_MANIFEST_BYTES, `the manifest of ${source}`);
  } catch (error) {
    // A loopback registry that does not answer is an error; another host may be one the engine speaks HTTP to. A
    // refusal to send credentials, an oversized answer or a deadline passed are errors wherever the registry is.
    if (!from.secure || error instanceof UserFacingError || error instanceof RegistryHttpError) throw error;
    return [...targets];
  }
  if (manifest.status === 401 || manifest.status === 403) return [...targets];
  if (manifest.status !== 200) throw new Error(`the registry ${from.registry} answered ${manifest.status} for the manifest of ${source}`);
  const contentType = String(manifest.headers['content-type']);
  const copied = new Set<string>();
  for (const target of sameRepository) {
    const to = copyTarget(target) as CopyTarget;
    const put = await session.send('PUT', `/v2/${to.repository}/manifests/${to.tag}`, { 'Content-Type': contentType }, MAX_SMALL_BODY_BYTES, `tagging ${target}`, manifest.body);
    // Writing needs credentials these are not: what is left goes the other way.
    if (put.status === 401 || put.status === 403) break;
    if (put.status !== 201) throw new Error(`the registry ${to.registry} answered ${put.status} when tagging ${target}`);
    copied.add(target);
  }
  return targets.filter((target) => !copied.has(target));
}

/**
 * The manifest digest a tag has in its registry, asked of the registry itself (GET, the digest from the
 * Docker-Content-Digest header, else the sha256 of the manifest's bytes); `found: false` when it has no such tag.
 * For an engine that cannot be asked (podman 4.3's API has no /distribution: its compat API answers 404 for any
 * reference, measured). Credentials only the engine's CLI could use are an error naming the fix.
 */
export async function fetchManifestDigest(engine: RegistryRequester, ref: string, credentials: RegistryCredentials): Promise<{ found: true; digest: string } | { found: false }> {
  const target = copyTarget(ref);
  if (!target) throw new UserFacingError(`"${ref}" names no tag to look up in a registry.`);
  if (credentials.kind === 'helper' || credentials.kind === 'identitytoken') {
    throw new UserFacingError(`The credentials for "${target.registry}" are in a credential helper or an identity token, which nx-buildkit cannot use with podman. Log in with "podman login ${target.registry}" (stored in podman's auth.json), then rerun.`);
  }
  const session = new RegistrySession(engine, target, credentials);
  const answer = await session.send('GET', `/v2/${target.repository}/manifests/${target.tag}`, { Accept: MANIFEST_TYPES }, MAX_MANIFEST_BYTES, `the manifest of ${ref}`);
  if (answer.status === 404) return { found: false };
  if (answer.status === 401 || answer.status === 403) throw new UserFacingError(`The registry "${target.registry}" refused the credentials for "${ref}" (HTTP ${answer.status}). Run "podman login ${target.registry}" with valid credentials, then rerun.`);
  if (answer.status !== 200) throw new UserFacingError(`The registry "${target.registry}" answered HTTP ${answer.status} for "${ref}". Check the "registry" option and that the registry is running.`);
  const header = answer.headers['docker-content-digest'];
  const digest = typeof header === 'string' && /^sha256:[0-9a-f]{64}$/.test(header) ? header : `sha256:${createHash('sha256').update(answer.body).digest('hex')}`;
  return { found: true, digest };
}

type Answer = RegistryHttpAnswer;

/**
 * One repository's conversation: a request answered 401 is asked again once with what the challenge wants — Basic
 * credentials, or a Bearer token fetched from the realm for pull and push — and later requests carry it.
 */
class RegistrySession {
  private authorization?: string;

  constructor(
    private readonly engine: RegistryRequester,
    private readonly target: CopyTarget,
    private readonly credentials: Exclude<RegistryCredentials, { kind: 'helper' } | { kind: 'identitytoken' }>,
  ) {}

  async send(method: 'GET' | 'PUT', path: string, headers: Record<string, string>, maxBodyBytes: number, what: string, body?: Buffer): Promise<Answer> {
    const url = `${this.target.secure ? 'https' : 'http'}://${this.target.apiHost}${path}`;
    const exchange = { method, body, maxBodyBytes, deadlineMs: REGISTRY_DEADLINE_MS, what };
    const answer = await this.engine.registryRequest(url, { ...exchange, headers: { ...headers, ...(this.authorization && { Authorization: this.authorization }) } });
    if (answer.status !== 401) return answer;
    const authorization = await this.authorize(parseChallenge(answer.headers['www-authenticate']));
    if (!authorization || authorization === this.authorization) return answer;
    this.authorization = authorization;
    return this.engine.registryRequest(url, { ...exchange, headers: { ...headers, Authorization: authorization } });
  }

  private async authorize(challenge: AuthChallenge | undefined): Promise<string | undefined> {
    const basic = this.credentials.kind === 'basic' ? `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}` : undefined;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return basic;
    const url = tokenUrl(challenge, this.target.repository);
    if (!url) return undefined;
    const refusal = basic ? realmRefusal(new URL(url), this.target) : undefined;
    if (refusal) throw new UserFacingError(`The registry "${this.target.registry}" asks for a token, but ${refusal}. Fix the registry's token realm, or tag with "docker buildx imagetools create".`);
    const answer = await this.engine.registryRequest(url, { method: 'GET', headers: basic ? { Authorization: basic } : {}, maxBodyBytes: MAX_SMALL_BODY_BYTES, deadlineMs: REGISTRY_DEADLINE_MS, what: `a token from ${new URL(url).origin}` });
    if (answer.status !== 200) return undefined;
    try {
      const { token, access_token: accessToken } = JSON.parse(answer.body.toString('utf8')) as { token?: string; access_token?: string };
      return token || accessToken ? `Bearer ${token || accessToken}` : undefined;
    } catch {
      return undefined;
    }
  }
}
