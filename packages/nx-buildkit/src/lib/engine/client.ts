import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DOCKER_CLI_MISSING } from './buildx-installed';
import { UserFacingError } from '../errors';
import { InspectedImage, parseImageInspect } from '../image/identity/image-identity';
import { splitReference } from '../image/identity/image-ref';
import type { ProcessResult, RunOptions } from './run-process';
import type { RegistryExchange, RegistryHttpAnswer } from './registry-http';
import { EngineDoor, EngineProgram } from './engine-door';
import type { EngineKind } from './engine-kind';
import { describeEndpoint, EngineEndpoint, resolveEngineEndpoint } from './endpoint';
import { registryAuthFor } from './registry-auth';
import { readTextFromDisk } from '../context/ignore-file';

/**
 * The one engine client: the Docker Engine API over the endpoint the docker CLI would use. What a no-op run asks of
 * the engine costs a few HTTP round trips on one kept-alive connection instead of a `docker` process per question
 * (~20–60 ms each here). `node:http` with `socketPath` rather than dockerode (docker-modem): measured on this machine
 * (2026-12-01, Docker 26.1, 20 images, 30 runs each, medians): GET /images/json 2.5 ms with node:http, 3.0 ms with
 * dockerode 4 listImages(); /_ping 0.66 ms against 0.74 ms; `docker image ls -q` as a process 34 ms. The calls cost
 * the same, but loading dockerode takes 438 ms (it pulls in ssh2 and more) — in every task process of
 * `--batch=false` — and this path makes only three kinds of request, so no dependency.
 * Endpoints the client cannot speak (ssh://) fall back to the docker CLI, with the same answers.
 */
export interface EngineClient {
  /** Which program's engine this is; undefined is docker. */
  readonly kind?: EngineKind;
  readonly endpoint: EngineEndpoint;
  /**
   * Everything the run asked so far: Engine API round trips, processes of the engine's CLI (buildx and imagetools
   * included) and registry HTTP requests.
   */
  readonly calls: number;
  /** Fails with one clear message when the engine does not answer. */
  ping(): Promise<void>;
  /** Every local image, with tags, repo digests, labels and size: one call answers every look-up of a run. */
  listImages(): Promise<InspectedImage[]>;
  /**
   * One local image, by reference or ID (GET /images/{ref}/json); undefined when the engine has none by that name.
   * Absent where only a CLI answers: there a listing is the one look-up.
   */
  inspectImage?(refOrId: string): Promise<InspectedImage | undefined>;
  /** Tags an image (by ID) as a full reference. */
  tag(imageId: string, ref: string): Promise<void>;
  /**
   * The manifest digest of a reference in its registry, asked of the engine (GET /distribution/…/json) without
   * pulling; `found: false` when the registry does not have it. Undefined when only the docker CLI can ask (the
   * credentials are in a helper, or the endpoint is not the API): the caller then uses the CLI.
   */
  distribution?(ref: string, registryHost: string): Promise<{ found: true; digest: string } | { found: false }>;
  /**
   * Runs the engine's own CLI — docker for Docker's engine (buildx build, imagetools, pull, push…), podman for
   * podman's — with an argument array; counted in `calls`. Argument vectors are built by pure functions elsewhere.
   */
  run(args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
  /** One bounded HTTP exchange with a registry or its token service (registry-http.ts); counted in `calls`. */
  registryRequest(url: string, exchange: RegistryExchange): Promise<RegistryHttpAnswer>;
}

export type { ProcessResult, RunOptions } from './run-process';
export type { RegistryExchange, RegistryHttpAnswer } from './registry-http';

export function connectEngine(env: Readonly<Record<string, string | undefined>> = process.env): EngineClient {
  const endpoint = resolveEngineEndpoint({ env, readFile: readTextFromDisk });
  return endpoint.kind === 'cli' ? new CliEngineClient(endpoint) : new ApiEngineClient(endpoint, env);
}

/** The engine could not ask the registry itself (credentials in a helper): the caller asks through the docker CLI. */
export class CliOnly extends Error {
  constructor() {
    super('only the docker CLI can ask this registry');
  }
}

/** What the registry (through the engine) said when it did not answer with the manifest: unreachable, refused, … */
export class RegistryAnswer extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class ApiEngineClient extends EngineDoor implements EngineClient {
  private readonly agent: HttpAgent;

  constructor(
    readonly endpoint: Exclude<EngineEndpoint, { kind: 'cli' }>,
    private readonly env: Readonly<Record<string, string | undefined>>,
    /** Whose CLI `run` starts: the engine behind the API (podman's service speaks Docker's API too). */
    program: EngineProgram = 'docker',
  ) {
    super(program);
    this.agent =
      endpoint.kind === 'tcp' && endpoint.tls
        ? new HttpsAgent({
            keepAlive: true,
            ca: readOptional(endpoint.tls.ca),
            cert: readOptional(endpoint.tls.cert),
            key: readOptional(endpoint.tls.key),
            rejectUnauthorized: endpoint.tls.verify,
          })
        : new HttpAgent({ keepAlive: true });
  }

  async ping(): Promise<void> {
    const response = await this.request('GET', '/_ping').catch((error: Error) => {
      throw new UserFacingError(notAnswering(this.endpoint, error.message));
    });
    if (response.status !== 200) throw new UserFacingError(notAnswering(this.endpoint, `HTTP ${response.status} ${response.body.trim()}`));
  }

  async listImages(): Promise<InspectedImage[]> {
    const response = await this.request('GET', '/images/json');
    if (response.status !== 200) throw new UserFacingError(`The Docker engine refused to list images (HTTP ${response.status}): ${response.body.trim()}`);
    return parseImageInspect(response.body);
  }

  async inspectImage(refOrId: string): Promise<InspectedImage | undefined> {
    // Unencoded `/`, `:` and `@`, as the docker CLI sends a reference in this path (podman's API reads it the same way).
    const response = await this.request('GET', `/images/${encodeURI(refOrId)}/json`);
    // 400: not a valid reference, so it names no image (the listing would not find it either).
    if (response.status === 404 || response.status === 400) return undefined;
    if (response.status !== 200) throw new UserFacingError(`The Docker engine refused to inspect "${refOrId}" (HTTP ${response.status}): ${apiMessage(response.body)}`);
    return parseImageInspect(`[${response.body}]`)[0];
  }

  async tag(imageId: string, ref: string): Promise<void> {
    const { repository, tag = 'latest' } = splitReference(ref);
    const response = await this.request('POST', `/images/${encodeURIComponent(imageId)}/tag?repo=${encodeURIComponent(repository)}&tag=${encodeURIComponent(tag)}`);
    if (response.status !== 201 && response.status !== 200) throw new UserFacingError(`Could not tag "${imageId}" as "${ref}": ${apiMessage(response.body)}`);
  }

  async distribution(ref: string, registryHost: string): Promise<{ found: true; digest: string } | { found: false }> {
    const auth = registryAuthFor(registryHost, this.env, readTextFromDisk);
    if (auth.kind === 'helper') throw new CliOnly();
    const response = await this.request('GET', `/distribution/${ref}/json`, auth.kind === 'header' ? { 'X-Registry-Auth': auth.header } : {});
    if (response.status === 200) {
      const digest = (JSON.parse(response.body) as { Descriptor?: { digest?: string } }).Descriptor?.digest;
      if (!digest) throw new UserFacingError(`The registry answered for "${ref}" without a manifest digest.`);
      return { found: true, digest };
    }
    const message = apiMessage(response.body);
    if (response.status === 404 || /manifest unknown|not found|name unknown/i.test(message)) {
      if (!/unauthorized|authentication required|denied/i.test(message)) return { found: false };
    }
    throw new RegistryAnswer(message, response.status);
  }

  protected request(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    this.calls++;
    const options: RequestOptions =
      this.endpoint.kind === 'unix'
        ? { socketPath: this.endpoint.socketPath, path, method, agent: this.agent, headers: { Host: 'docker', ...headers } }
        : { host: this.endpoint.host, port: this.endpoint.port, path, method, agent: this.agent, headers };
    const send = this.endpoint.kind === 'tcp' && this.endpoint.tls ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      // A stuck engine must not hang the run: 30 s for an answer (a listing of thousands of images takes well under one).
      req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
      req.end();
    });
  }
}

class CliEngineClient extends EngineDoor implements EngineClient {
  constructor(readonly endpoint: Extract<EngineEndpoint, { kind: 'cli' }>) {
    super('docker');
  }

  async ping(): Promise<void> {
    const version = await this.run(['version', '--format', '{{.Server.Version}}']);
    if (version.spawnError) throw new UserFacingError(DOCKER_CLI_MISSING);
    if (version.exitCode !== 0) throw new UserFacingError(notAnswering(this.endpoint, version.stderr.trim().split('\n').pop() ?? ''));
  }

  async listImages(): Promise<InspectedImage[]> {
    const ids = await this.run(['image', 'ls', '--all', '--quiet', '--no-trunc']);
    const unique = [...new Set(ids.stdout.split('\n').map((id) => id.trim()).filter(Boolean))];
    if (unique.length === 0) return [];
    return parseImageInspect((await this.run(['image', 'inspect', ...unique])).stdout);
  }

  async tag(imageId: string, ref: string): Promise<void> {
    const result = await this.run(['tag', imageId, ref]);
    if (result.exitCode !== 0) throw new UserFacingError(`Could not tag "${imageId}" as "${ref}": ${result.stderr.trim()}`);
  }
}

function notAnswering(endpoint: EngineEndpoint, detail: string): string {
  return `The Docker engine is not answering at ${describeEndpoint(endpoint)} (from ${endpoint.source}${detail ? `: ${detail}` : ''}). Start it (Docker Desktop, "sudo systemctl start docker", or "sudo dockerd &") or set DOCKER_HOST to a running engine, then rerun.`;
}

function apiMessage(body: string): string {
  try {
    return (JSON.parse(body) as { message?: string }).message ?? body.trim();
  } catch {
    return body.trim();
  }
}

function readOptional(path: string | undefined): Buffer | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
