import { hasTag, InspectedImage } from './identity/image-identity';
import { pullImage, pushImage } from '../engine/image-store';
import { pullWithPodman, pushWithPodman, tagInRegistryWithPodman } from '../engine/podman/transfer';
import { assertRecordWritable, BuildRecord } from './record';
import { createRemoteTags, findRemoteImage, RemoteLookup } from '../engine/registry';
import type { RunState } from './run-state';
import type { PlannedBuild } from './plan';
import { platformDigestsOf, recordOutcome } from './record-outcome';
import { once } from '../once';

/**
 * Skips when an image with this inputs hash exists in the local engine, or (with a registry) in the registry: the
 * requested tags are applied to it and the record says `skipped`. Undefined when the image must be built.
 */
export async function skipIfUnchanged(plan: PlannedBuild, run: RunState): Promise<BuildRecord | undefined> {
  // A skip that pushes, tags or pulls first checks that its record can be written after, as a build does: nothing is
  // changed for a result that could not be recorded. A skip that changes nothing writes its record and is done.
  const beforeChange = once(() => assertRecordWritable(plan.options.recordPath));
  const found = await tagExistingImage(plan, run, beforeChange);
  if (!found) return undefined;
  return recordOutcome(plan, { ...found, platformDigests: found.digest ? await platformDigestsOf(plan, found.digest, run.engine) : undefined });
}


/** What a skip records beside the plan: where the image was found, and what was done to it. */
export type ExistingImage = Pick<BuildRecord, 'status' | 'skippedBecause' | 'imageId' | 'pushed' | 'digest'>;

/**
 * skipIfUnchanged without the record: the image with this inputs hash, found locally (pushed when the plan pushes)
 * or in the registry, gets the plan's tags. A release tags images this way: adding a version tag is no build of the
 * target, so its build record keeps the tags the image was built with.
 */
export async function tagExistingImage(plan: PlannedBuild, run: RunState, beforeChange: () => void = () => undefined): Promise<ExistingImage | undefined> {
  const { options, hashRef } = plan;
  // Never skip on a base whose identity is unknown: the image under this hash may stand on another base.
  if (plan.undecidedBecause) return undefined;
  const local = await findLocalImageWithHash(run, hashRef, plan.hash);
  if (local) {
    let pushed = false;
    let digest: string | undefined;
    if (options.push) {
      beforeChange();
      ({ pushed, digest } = await ensurePushed(run, hashRef, options.tags, local));
    }
    // Tags the image already carries need no engine call: a no-op run of 50 images costs no more than one of 5.
    for (const tag of options.tags) {
      if (hasTag(local, tag)) continue;
      beforeChange();
      await run.engine.tag(local.id, tag);
    }
    return { status: 'skipped', skippedBecause: 'local', imageId: local.id, pushed, ...(digest && { digest }) };
  }
  if (!options.checkRegistry) return undefined;
  const remote = await lookUpRemote(run, hashRef);
  if (!remote.found) return undefined;
  const remoteTags = await remoteTagsToWrite(run, remote.digest, options.tags);
  if (remoteTags.length > 0 || options.load) beforeChange();
  await writeRemoteTags(run, hashRef, remoteTags);
  let imageId: string | undefined;
  if (options.load) {
    await (run.engine.kind === 'podman' ? pullWithPodman(run.engine, hashRef) : pullImage(run.engine, hashRef));
    const pulled = await run.localImageAgain(hashRef);
    imageId = pulled?.inputsHash === plan.hash ? pulled.id : undefined;
    if (imageId) for (const tag of options.tags) await run.engine.tag(imageId, tag);
  }
  return { status: 'skipped', skippedBecause: 'registry', imageId, digest: remote.digest };
}

/** The local image carrying this hash tag, if its label holds the same full hash (a short-tag collision never skips). */
async function findLocalImageWithHash(run: RunState, hashRef: string, hash: string): Promise<InspectedImage | undefined> {
  const image = await run.localImage(hashRef);
  return image?.inputsHash === hash ? image : undefined;
}

/**
 * Makes sure a locally present image is in the registry under its hash tag and the requested tags. Returns whether it
 * had to be pushed, and the registry's digest of the hash tag when it was already there (for a multi-platform image
 * kept by the containerd store after its push: the index digest the record names).
 */
async function ensurePushed(run: RunState, hashRef: string, tags: readonly string[], local: InspectedImage): Promise<{ pushed: boolean; digest?: string }> {
  const remote = await lookUpRemote(run, hashRef);
  if (!remote.found) {
    await (run.engine.kind === 'podman' ? pushWithPodman(run.engine, hashRef) : pushImage(run.engine, hashRef));
    // The local tags must exist before the remote ones are made from the pushed image.
    for (const tag of tags) if (!hasTag(local, tag)) await run.engine.tag(local.id, tag);
  }
  await writeRemoteTags(run, hashRef, remote.found ? await remoteTagsToWrite(run, remote.digest, tags) : tags);
  return remote.found ? { pushed: false, digest: remote.digest } : { pushed: true };
}

/** A registry look-up: through the engine, or through `docker buildx imagetools` (then buildx must be there). */
async function lookUpRemote(run: RunState, ref: string): Promise<RemoteLookup> {
  if (!run.engine.distribution) await run.buildxReady();
  return findRemoteImage(run.engine, ref);
}

/** `docker buildx imagetools create` for the tags that need writing, and nothing (not even buildx) for none. */
async function writeRemoteTags(run: RunState, source: string, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  if (run.engine.kind === 'podman') return tagInRegistryWithPodman(run.engine, source, tags);
  await run.buildxReady();
  await createRemoteTags(run.engine, source, tags);
}

/**
 * The requested tags that do not yet name this digest in the registry: a no-op run with `push` reads the registry
 * and writes nothing to it. Without a digest to compare (an older registry answer), every tag is written.
 */
async function remoteTagsToWrite(run: RunState, digest: string | undefined, tags: readonly string[]): Promise<string[]> {
  if (!digest) return [...tags];
  const lookups = await Promise.all(tags.map((tag) => lookUpRemote(run, tag)));
  return tags.filter((_tag, i) => {
    const lookup = lookups[i];
    return !(lookup.found && lookup.digest === digest);
  });
}
