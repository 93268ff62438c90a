import { homedir } from 'node:os';
import { join } from 'node:path';

/** The docker CLI's configuration folder: DOCKER_CONFIG, else ~/.docker (config.json, contexts, cli-plugins). */
export function dockerConfigDir(env: Readonly<Record<string, string | undefined>>, home: string = homedir()): string {
  return env.DOCKER_CONFIG || join(home, '.docker');
}
