import { UserFacingError } from '../errors';
import type { EngineClient } from './client';

export async function pullImage(engine: EngineClient, ref: string): Promise<void> {
  const result = await engine.run(['pull', '--quiet', ref]);
  if (result.exitCode !== 0) throw new UserFacingError(`Could not pull "${ref}": ${result.stderr.trim()}`);
}

export async function pushImage(engine: EngineClient, ref: string): Promise<void> {
  const result = await engine.run(['push', '--quiet', ref]);
  if (result.exitCode !== 0) throw new UserFacingError(`Could not push "${ref}": ${result.stderr.trim()}. Check the registry address and "docker login".`);
}
