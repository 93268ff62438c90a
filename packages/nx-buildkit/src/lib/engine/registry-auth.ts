import { homedir } from 'node:os';
import { join } from 'node:path';
import { dockerConfigDir } from './docker-config';

/** How the engine may authenticate to a registry for a look-up, from the docker CLI's config file. */
export type RegistryAuth =
  /** No credentials stored: an anonymous look-up. */
  | { readonly kind: 'anonymous' }
  /** Credentials in config.json (`docker login` without a helper): the X-Registry-Auth header value. */
  | { readonly kind: 'header'; readonly header: string }
  /** A credential helper holds them: only the docker CLI can use it. */
  | { readonly kind: 'helper' };

/** The key Docker uses for Docker Hub in config.json. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** The credentials `docker login` stored for a registry, as they are (no helper is ever run). */
export type RegistryCredentials =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string; readonly serveraddress: string }
  | { readonly kind: 'identitytoken'; readonly token: string; readonly serveraddress: string }
  /** A credential helper holds them: only the docker CLI can use it. */
  | { readonly kind: 'helper' };

export function registryCredentials(
  registryHost: string,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string | undefined,
  home: string = homedir(),
  /** Another file of the same format (podman's auth.json); default: the docker CLI's config.json. */
  configFile: string = join(dockerConfigDir(env, home), 'config.json'),
): RegistryCredentials {
  let config: { auths?: Record<string, { auth?: string; identitytoken?: string }>; credsStore?: string; credHelpers?: Record<string, string> } = {};
  try {
    config = JSON.parse(readFile(configFile) ?? '{}') as typeof config;
  } catch {
    config = {};
  }
  const key = registryHost === 'docker.io' ? DOCKER_HUB_KEY : registryHost;
  if (config.credHelpers?.[key]) return { kind: 'helper' };
  const entry = config.auths?.[key] ?? config.auths?.[`https://${key}`] ?? config.auths?.[`http://${key}`];
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: key };
  }
  if (entry?.identitytoken) return { kind: 'identitytoken', token: entry.identitytoken, serveraddress: key };
  // A store for all registries (desktop, pass, secretservice) may hold this one: let the CLI ask it.
  if (config.credsStore) return { kind: 'helper' };
  return { kind: 'anonymous' };
}

/** The same credentials as the engine takes them: the X-Registry-Auth header of a look-up. */
export function registryAuthFor(
  registryHost: string,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string | undefined,
  home: string = homedir(),
): RegistryAuth {
  const credentials = registryCredentials(registryHost, env, readFile, home);
  switch (credentials.kind) {
    case 'basic': {
      const { username, password, serveraddress } = credentials;
      return { kind: 'header', header: Buffer.from(JSON.stringify({ username, password, serveraddress })).toString('base64url') };
    }
    case 'identitytoken':
      return { kind: 'header', header: Buffer.from(JSON.stringify({ identitytoken: credentials.token, serveraddress: credentials.serveraddress })).toString('base64url') };
    default:
      return credentials;
  }
}
