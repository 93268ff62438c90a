import { homedir } from 'node:os';
import { join } from 'node:path';

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

export function registryAuthFor(
  registryHost: string,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (path: string) => string | undefined,
  home: string = homedir(),
): RegistryAuth {
  const dir = env.DOCKER_CONFIG || join(home, '.docker');
  let config: { auths?: Record<string, { auth?: string; identitytoken?: string }>; credsStore?: string; credHelpers?: Record<string, string> } = {};
  try {
    config = JSON.parse(readFile(join(dir, 'config.json')) ?? '{}') as typeof config;
  } catch {
    config = {};
  }
  const key = registryHost === 'docker.io' ? DOCKER_HUB_KEY : registryHost;
  if (config.credHelpers?.[key]) return { kind: 'helper' };
  const entry = config.auths?.[key] ?? config.auths?.[`https://${key}`] ?? config.auths?.[`http://${key}`];
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const body = { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: key };
    return { kind: 'header', header: Buffer.from(JSON.stringify(body)).toString('base64url') };
  }
  if (entry?.identitytoken) return { kind: 'header', header: Buffer.from(JSON.stringify({ identitytoken: entry.identitytoken, serveraddress: key })).toString('base64url') };
  // A store for all registries (desktop, pass, secretservice) may hold this one: let the CLI ask it.
  if (config.credsStore) return { kind: 'helper' };
  return { kind: 'anonymous' };
}
