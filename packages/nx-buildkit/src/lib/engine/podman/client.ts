import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '../../errors';
import { InspectedImage, parseImageInspect } from '../../image/identity/image-identity';
import { parseReference, splitReference } from '../../image/identity/image-ref';
import { fetchManifestDigest } from '../registry-manifest-copy';
import { ApiEngineClient, EngineClient } from '../client';
import { EngineDoor } from '../engine-door';
import { describeEndpoint, EngineEndpoint } from '../endpoint';
import { registryCredentials, RegistryCredentials } from '../registry-auth';
import { dockerConfigDir } from '../docker-config';
import { readTextFromDisk } from '../../context/ignore-file';

export const PODMAN_CLI_MISSING =
  'The "podman" command was not found ("engine" is "podman"). Install Podman (Debian/Ubuntu package "podman") and make sure "podman" is on PATH, or set "engine" to "docker".';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The engine client for podman. Look-ups go through Podman's Docker-compatible API when its service runs
 * (`podman system service`), else through the podman CLI. Measured here (podman 4.3.1, 2026-12-05, 2 busy cores):
 * listing the images takes 11–58 ms over the API socket and 200–440 ms as a `podman images --format json` process,
 * so a no-op run asks the API when it can. The compat API answers /_ping and /images/json as Docker's does (labels
 * included, so the inputs-hash label is read the same way); tags are written through the libpod endpoint, which names
 * an unqualified image `localhost/<name>` as `podman build --tag` does (the compat one would name it
 * `docker.io/library/<name>`). Podman 4.3's API has no /distribution (404 for any reference): registry look-ups ask
 * the registry itself, with the credentials `podman login` stored. Builds and pushes are podman processes; they and
 * each registry request are counted with the API round trips in `calls` (engine-door.ts).
 */
export function connectPodman(env: Env = process.env): EngineClient {
  const socket = podmanSocket(env, process.getuid?.() ?? -1, existsSync);
  return socket ? new PodmanApiClient({ kind: 'unix', socketPath: socket.path, source: socket.source }, env) : new PodmanCliClient(env);
}

/**
 * Where podman's API service listens, when it does: CONTAINER_HOST (unix://…; the podman CLI then talks to it too);
 * else the socket `podman system service` makes by default: $XDG_RUNTIME_DIR/podman/podman.sock, or
 * /run/podman/podman.sock for root. Undefined when none exists: the CLI answers instead.
 */
export function podmanSocket(env: Env, uid: number, exists: (path: string) => boolean): { path: string; source: string } | undefined {
  if (env.CONTAINER_HOST) return env.CONTAINER_HOST.startsWith('unix://') ? { path: env.CONTAINER_HOST.slice('unix://'.length), source: 'CONTAINER_HOST' } : undefined;
  const candidates = [...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')] : []), ...(uid === 0 ? ['/run/podman/podman.sock'] : [])];
  const path = candidates.find(exists);
  return path ? { path, source: "podman's service socket" } : undefined;
}

/** Where podman reads registry credentials, in its order, ending with the docker CLI's config (podman reads it too). */
export function podmanAuthFiles(env: Env, uid: number, home: string): string[] {
  if (env.REGISTRY_AUTH_FILE) return [env.REGISTRY_AUTH_FILE];
  return [
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')] : uid >= 0 ? [`/run/containers/${uid}/auth.json`] : []),
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'),
    join(dockerConfigDir(env, home), 'config.json'),
  ];
}

/** The first credentials stored for the registry in podman's files; anonymous when none holds any. */
export function podmanCredentials(registry: string, env: Env, readFile: (path: string) => string | undefined, uid: number, home: string): RegistryCredentials {
  for (const file of podmanAuthFiles(env, uid, home)) {
    const found = registryCredentials(registry, env, readFile, home, file);
    if (found.kind !== 'anonymous') return found;
  }
  return { kind: 'anonymous' };
}

/**
 * Podman names an image built or tagged without a registry `localhost/<name>`, and finds it again by `<name>`: the
 * short name is added beside each such tag, so `api:nxb-…` is found as Docker would find it.
 */
export function withShortNames(images: readonly InspectedImage[]): InspectedImage[] {
  return images.map((image) => {
    const short = image.repoTags.filter((tag) => tag.startsWith('localhost/')).map((tag) => tag.slice('localhost/'.length));
    return short.length ? { ...image, repoTags: [...image.repoTags, ...short] } : image;
  });
}

/**
 * `podman images --format json`: tags are in `Names` (RepoTags is null there) and the ID has no `sha256:` prefix;
 * read into the shape the API listing has.
 */
export function parsePodmanImageList(output: string): InspectedImage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.trim() || '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const asApi = parsed.map((item) => {
    if (!item || typeof item !== 'object') return item;
    const raw = item as { Id?: unknown; Names?: unknown; RepoTags?: unknown };
    return { ...raw, Id: typeof raw.Id === 'string' && !raw.Id.startsWith('sha256:') ? `sha256:${raw.Id}` : raw.Id, RepoTags: raw.RepoTags ?? raw.Names };
  });
  return parseImageInspect(JSON.stringify(asApi));
}

class PodmanApiClient extends ApiEngineClient {
  readonly kind = 'podman' as const;

  constructor(
    endpoint: Extract<EngineEndpoint, { kind: 'unix' }>,
    private readonly podmanEnv: Env,
  ) {
    super(endpoint, podmanEnv, 'podman');
  }

  override async ping(): Promise<void> {
    const response = await this.request('GET', '/_ping').catch((error: Error) => ({ status: 0, body: error.message }));
    if (response.status !== 200) {
      throw new UserFacingError(
        `Podman's API service is not answering at ${describeEndpoint(this.endpoint)} (from ${this.endpoint.source}: ${response.body.trim() || `HTTP ${response.status}`}). Start it ("podman system service --time=0 &"), or remove the stale socket so the podman CLI is used, then rerun.`,
      );
    }
  }

  override async listImages(): Promise<InspectedImage[]> {
    return withShortNames(await super.listImages());
  }

  override async inspectImage(refOrId: string): Promise<InspectedImage | undefined> {
    const image = await super.inspectImage(refOrId);
    return image && withShortNames([image])[0];
  }

  override async tag(imageId: string, ref: string): Promise<void> {
    const { repository, tag = 'latest' } = splitReference(ref);
    const response = await this.request('POST', `/v4.0.0/libpod/images/${encodeURIComponent(imageId)}/tag?repo=${encodeURIComponent(repository)}&tag=${encodeURIComponent(tag)}`);
    if (response.status !== 201 && response.status !== 200) throw new UserFacingError(`Could not tag "${imageId}" as "${ref}" with podman: ${response.body.trim()}`);
  }

  override distribution(ref: string): Promise<{ found: true; digest: string } | { found: false }> {
    return lookUpInRegistry(this, ref, this.podmanEnv);
  }
}

class PodmanCliClient extends EngineDoor implements EngineClient {
  readonly kind = 'podman' as const;
  readonly endpoint: EngineEndpoint;

  constructor(private readonly env: Env) {
    super('podman');
    this.endpoint = { kind: 'cli', host: env.CONTAINER_HOST || 'podman', source: env.CONTAINER_HOST ? 'CONTAINER_HOST' : 'the podman CLI (no API service socket)' };
  }

  async ping(): Promise<void> {
    const version = await this.run(['version', '--format', '{{.Client.Version}}']);
    if (version.spawnError) throw new UserFacingError(PODMAN_CLI_MISSING);
    if (version.exitCode !== 0) throw new UserFacingError(`podman does not answer ("podman version" failed: ${version.stderr.trim().split('\n').pop() ?? ''}). Check "podman info", then rerun.`);
  }

  async listImages(): Promise<InspectedImage[]> {
    const result = await this.run(['images', '--format', 'json']);
    if (result.exitCode !== 0) throw new UserFacingError(`podman could not list its images: ${result.stderr.trim()}`);
    return withShortNames(parsePodmanImageList(result.stdout));
  }

  async tag(imageId: string, ref: string): Promise<void> {
    const result = await this.run(['tag', imageId, ref]);
    if (result.exitCode !== 0) throw new UserFacingError(`Could not tag "${imageId}" as "${ref}" with podman: ${result.stderr.trim()}`);
  }

  distribution(ref: string): Promise<{ found: true; digest: string } | { found: false }> {
    return lookUpInRegistry(this, ref, this.env);
  }
}

/** The credentials podman would use for a registry (see podmanAuthFiles). */
export function podmanCredentialsOf(env: Env): (registry: string) => RegistryCredentials {
  return (registry) => podmanCredentials(registry, env, readTextFromDisk, process.getuid?.() ?? -1, homedir());
}

/** A registry look-up asked of the registry itself, its requests counted by the client that makes them. */
async function lookUpInRegistry(engine: EngineClient, ref: string, env: Env): Promise<{ found: true; digest: string } | { found: false }> {
  const registry = parseReference(ref).name.split('/')[0];
  try {
    return await fetchManifestDigest(engine, ref, podmanCredentialsOf(env)(registry));
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    throw new UserFacingError(`Could not reach the registry "${registry}" for "${ref}" (${(error as Error).message}). Check the "registry" option and that the registry is running.`);
  }
}

/** Fails with one clear message when the podman CLI is missing; asked once, before the first build of a run. */
export async function assertPodmanInstalled(engine: EngineClient): Promise<void> {
  const version = await engine.run(['version', '--format', '{{.Client.Version}}']);
  if (version.spawnError) throw new UserFacingError(PODMAN_CLI_MISSING);
  if (version.exitCode !== 0) throw new UserFacingError(`"podman version" failed: ${version.stderr.trim().split('\n').pop() ?? ''}. Check "podman info", then rerun.`);
}
