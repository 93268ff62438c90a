import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '../../errors';
import { copyManifestToTags } from '../registry-manifest-copy';
import type { EngineClient } from '../client';
import { podmanTransferArgs } from './build-args';
import { podmanCredentialsOf } from './client';

/** Pushes a local image with podman; returns the manifest digest the registry now holds under that name. */
export async function pushWithPodman(engine: EngineClient, ref: string): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'nx-buildkit-push-'));
  try {
    const digestFile = join(dir, 'digest');
    const result = await engine.run(podmanTransferArgs('push', ref, digestFile));
    if (result.exitCode !== 0) throw new UserFacingError(`Could not push "${ref}" with podman: ${lastLine(result.stderr)}. Check the registry address and "podman login".`);
    try {
      return readFileSync(digestFile, 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function pullWithPodman(engine: EngineClient, ref: string): Promise<void> {
  const result = await engine.run(podmanTransferArgs('pull', ref));
  if (result.exitCode !== 0) throw new UserFacingError(`Could not pull "${ref}" with podman: ${lastLine(result.stderr)}`);
}

/**
 * Gives an image already in the registry more tags: its manifest copied under each tag of the same repository (one
 * digest under every name, no layers moved), with podman's credentials; a tag in another repository is pulled once,
 * tagged and pushed with podman.
 */
export async function tagInRegistryWithPodman(engine: EngineClient, source: string, targets: readonly string[]): Promise<void> {
  if (targets.length === 0) return;
  const rest = await copyManifestToTags(engine, source, targets, process.env, podmanCredentialsOf(process.env));
  if (rest.length === 0) return;
  const local = (await engine.listImages()).find((image) => image.repoTags.includes(source));
  if (!local) await pullWithPodman(engine, source);
  for (const target of rest) {
    await engine.tag(source, target);
    await pushWithPodman(engine, target);
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
