import { UserFacingError } from '../errors';
import type { EngineClient } from './client';

export const DOCKER_CLI_MISSING =
  'The "docker" command was not found. Install Docker (Docker Desktop, or your distribution\'s docker.io / docker-ce package) and make sure "docker" is on PATH.';

/**
 * Fails with one clear message when the docker CLI or its buildx plugin is missing. Asked once per run, only when
 * buildx is needed and not yet proven: after a build that failed before any step, and before registry commands
 * through buildx. Skipping unchanged images needs the engine alone, which the engine client asks directly.
 */
export async function assertBuildxInstalled(engine: EngineClient): Promise<void> {
  const buildx = await engine.run(['buildx', 'version']);
  if (buildx.spawnError) throw new UserFacingError(DOCKER_CLI_MISSING);
  if (buildx.exitCode !== 0) {
    throw new UserFacingError(
      'Docker buildx is not installed ("docker buildx version" failed). Install the buildx plugin: Debian/Ubuntu package "docker-buildx", Docker CE package "docker-buildx-plugin", or Docker Desktop.',
    );
  }
}
