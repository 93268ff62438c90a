import { UserFacingError } from './errors';
import { INPUTS_HASH_LABEL } from './buildx-args';
import { LocalImageIdentity, parseIdentity } from './image-identity';
import { runDocker } from './run-process';

/** ID and nx-buildkit inputs-hash label of a local image, or undefined when the engine does not have it. */
export async function findLocalImageIdentity(ref: string): Promise<LocalImageIdentity | undefined> {
  const result = await runDocker(['image', 'inspect', '--format', `{{.Id}} {{index .Config.Labels "${INPUTS_HASH_LABEL}"}}`, ref]);
  if (result.exitCode !== 0) return undefined;
  return parseIdentity(result.stdout);
}

export async function tagImage(source: string, target: string): Promise<void> {
  const result = await runDocker(['tag', source, target]);
  if (result.exitCode !== 0) {
    throw new UserFacingError(`Could not tag "${source}" as "${target}": ${result.stderr.trim()}`);
  }
}

export async function pullImage(ref: string): Promise<void> {
  const result = await runDocker(['pull', '--quiet', ref]);
  if (result.exitCode !== 0) throw new UserFacingError(`Could not pull "${ref}": ${result.stderr.trim()}`);
}

export async function pushImage(ref: string): Promise<void> {
  const result = await runDocker(['push', '--quiet', ref]);
  if (result.exitCode !== 0) throw new UserFacingError(`Could not push "${ref}": ${result.stderr.trim()}. Check the registry address and "docker login".`);
}
