import { UserFacingError } from './errors';
import { runDocker } from './run-process';

/** The local engine's image ID for a reference, or undefined when it has no such image. */
export async function findLocalImageId(ref: string): Promise<string | undefined> {
  const result = await runDocker(['image', 'inspect', '--format', '{{.Id}}', ref]);
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

/** Local image IDs of several references at once (absent ones map to undefined). */
export async function findLocalImageIds(refs: readonly string[]): Promise<Record<string, string | undefined>> {
  const ids = await Promise.all(refs.map((ref) => findLocalImageId(ref)));
  return Object.fromEntries(refs.map((ref, i) => [ref, ids[i]]));
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
