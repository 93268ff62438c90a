import { hashSync } from 'bcryptjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One htpasswd line for docker-registry's htpasswd auth, which accepts bcrypt only. bcryptjs writes `$2b$`; Debian's
 * docker-registry 2.8.2 accepts it as written (measured: 200 with the password, 401 without), so no `$2y$` rewrite.
 */
export function htpasswdEntry(user: string, password: string): string {
  return `${user}:${hashSync(password, 10)}\n`;
}

export interface DockerConfig {
  /** The folder to pass as DOCKER_CONFIG. */
  readonly dir: string;
  /** `{ DOCKER_CONFIG: dir }`, for ws.nx and run. */
  readonly env: Record<string, string>;
  remove(): void;
}

/**
 * A DOCKER_CONFIG folder of its own whose config.json holds these credentials for one registry, as `docker login`
 * would store them without a credential helper. The user's own ~/.docker is never read or changed.
 */
export function createDockerConfig(registryHost: string, user: string, password: string): DockerConfig {
  const dir = mkdtempSync(join(tmpdir(), 'nxb-docker-config-'));
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ auths: { [registryHost]: { auth } } }, null, 2)}\n`, { mode: 0o600 });
  return { dir, env: { DOCKER_CONFIG: dir }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
