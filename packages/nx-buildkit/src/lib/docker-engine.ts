import { UserFacingError } from './errors';
import { runDocker } from './run-process';

/** Fails with one clear message when the docker CLI, the engine or buildx is not usable. */
export async function assertDockerReady(): Promise<void> {
  await assertEngineAnswers();
  await assertBuildxInstalled();
}

/** Fails with one clear message when the docker CLI is missing or the engine does not answer. */
export async function assertEngineAnswers(): Promise<void> {
  const version = await runDocker(['version', '--format', '{{.Server.Version}}']);
  if (version.spawnError) {
    throw new UserFacingError(
      'The "docker" command was not found. Install Docker (Docker Desktop, or your distribution\'s docker.io / docker-ce package) and make sure "docker" is on PATH.',
    );
  }
  if (version.exitCode !== 0) {
    const detail = lastLine(version.stderr);
    throw new UserFacingError(
      `The Docker engine is not answering${detail ? ` (${detail})` : ''}. Start it (Docker Desktop, "sudo systemctl start docker", or "sudo dockerd &") or set DOCKER_HOST to a running engine, then rerun.`,
    );
  }
}

/**
 * Fails with one clear message when buildx is missing. Checked only before buildx is needed (a build, a registry
 * look-up): skipping an unchanged image needs the engine alone, and every docker call costs a CLI start.
 */
export async function assertBuildxInstalled(): Promise<void> {
  const buildx = await runDocker(['buildx', 'version']);
  if (buildx.exitCode !== 0) {
    throw new UserFacingError(
      'Docker buildx is not installed ("docker buildx version" failed). Install the buildx plugin: Debian/Ubuntu package "docker-buildx", Docker CE package "docker-buildx-plugin", or Docker Desktop.',
    );
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
