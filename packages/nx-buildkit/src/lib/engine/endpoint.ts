import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { dockerConfigDir } from './docker-config';

/** Where the Docker engine is, as the docker CLI finds it. */
export type EngineEndpoint =
  | { readonly kind: 'unix'; readonly socketPath: string; readonly source: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls?: EngineTls; readonly source: string }
  /** An endpoint the Engine API client does not speak (ssh://, npipe://): the docker CLI is used instead. */
  | { readonly kind: 'cli'; readonly host: string; readonly source: string };

export interface EngineTls {
  /** Paths of the PEM files; verify: check the server's certificate against ca. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly verify: boolean;
}

export const DEFAULT_ENGINE_HOST = 'unix:///var/run/docker.sock';

export interface EndpointLookup {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file as text, undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
  readonly home?: string;
}

/**
 * The docker CLI's rules, in its order: DOCKER_HOST; else the context named by DOCKER_CONTEXT or by the config file's
 * `currentContext` (its meta.json under contexts/meta/<sha256 of the name>/); else the local socket. TLS for tcp from
 * DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, or from the context's own tls folder.
 */
export function resolveEngineEndpoint(lookup: EndpointLookup): EngineEndpoint {
  const { env } = lookup;
  const configDir = dockerConfigDir(env, lookup.home);
  if (env.DOCKER_HOST) {
    const tls = env.DOCKER_TLS_VERIFY || env.DOCKER_TLS ? tlsFromCertPath(env.DOCKER_CERT_PATH || configDir, Boolean(env.DOCKER_TLS_VERIFY)) : undefined;
    return fromHost(env.DOCKER_HOST, 'DOCKER_HOST', tls);
  }
  const contextName = env.DOCKER_CONTEXT || currentContext(lookup.readFile(join(configDir, 'config.json')));
  if (contextName && contextName !== 'default') {
    const id = createHash('sha256').update(contextName).digest('hex');
    const meta = parseJson(lookup.readFile(join(configDir, 'contexts', 'meta', id, 'meta.json'))) as
      | { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } }
      | undefined;
    const host = meta?.Endpoints?.docker?.Host;
    if (host) {
      const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
      const hasTls = lookup.readFile(join(tlsDir, 'ca.pem')) !== undefined || lookup.readFile(join(tlsDir, 'cert.pem')) !== undefined;
      return fromHost(host, `docker context "${contextName}"`, hasTls ? tlsFromCertPath(tlsDir, !meta?.Endpoints?.docker?.SkipTLSVerify) : undefined);
    }
  }
  return fromHost(DEFAULT_ENGINE_HOST, 'the default socket');
}

function fromHost(host: string, source: string, tls?: EngineTls): EngineEndpoint {
  if (host.startsWith('unix://')) return { kind: 'unix', socketPath: host.slice('unix://'.length), source };
  const tcp = /^(?:tcp|https?):\/\/\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(host);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : tls ? 2376 : 2375;
    return { kind: 'tcp', host: tcp[1], port, tls, source };
  }
  return { kind: 'cli', host, source };
}

function tlsFromCertPath(dir: string, verify: boolean): EngineTls {
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), verify };
}

function currentContext(configText: string | undefined): string | undefined {
  const config = parseJson(configText) as { currentContext?: unknown } | undefined;
  return typeof config?.currentContext === 'string' ? config.currentContext : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The endpoint as a person reads it: `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://ci@builder`. */
export function describeEndpoint(endpoint: EngineEndpoint): string {
  return endpoint.kind === 'unix' ? `unix://${endpoint.socketPath}` : endpoint.kind === 'tcp' ? `tcp://${endpoint.host}:${endpoint.port}` : endpoint.host;
}
