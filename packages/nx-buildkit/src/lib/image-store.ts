import { BaseIdentityResolver } from './base-identity';
import { UserFacingError } from './errors';
import { InspectedImage, parseImageInspect } from './image-identity';
import { findRemoteDigest } from './registry';
import { runDocker } from './run-process';

/** A resolver for one run, over the local engine (docker image inspect) and the registries (buildx imagetools). */
export function createBaseIdentityResolver(): BaseIdentityResolver {
  return new BaseIdentityResolver({ inspectImages, remoteDigest: findRemoteDigest });
}

/**
 * The local images among the references, in one `docker image inspect` (JSON). It exits non-zero when any reference
 * is missing but still prints the ones it found, so the exit code is not an answer; an engine that does not answer
 * at all gives an empty list.
 */
export async function inspectImages(refs: readonly string[]): Promise<InspectedImage[]> {
  if (refs.length === 0) return [];
  const result = await runDocker(['image', 'inspect', ...refs]);
  return parseImageInspect(result.stdout);
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
