import { UserFacingError } from '../errors';
import { runDocker } from './run-process';

export async function pullImage(ref: string): Promise<void> {
  const result = await runDocker(['pull', '--quiet', ref]);
  if (result.exitCode !== 0) throw new UserFacingError(`Could not pull "${ref}": ${result.stderr.trim()}`);
}

export async function pushImage(ref: string): Promise<void> {
  const result = await runDocker(['push', '--quiet', ref]);
  if (result.exitCode !== 0) throw new UserFacingError(`Could not push "${ref}": ${result.stderr.trim()}. Check the registry address and "docker login".`);
}
