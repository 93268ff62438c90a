import { connectEngine, EngineClient } from './client';
import type { EngineKind } from './engine-kind';
import { connectPodman } from './podman/client';

/** The client of the engine a run builds with: Docker's (its API, or the docker CLI) or podman's. */
export function connectEngineOf(kind: EngineKind, env: Readonly<Record<string, string | undefined>> = process.env): EngineClient {
  return kind === 'podman' ? connectPodman(env) : connectEngine(env);
}
