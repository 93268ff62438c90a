import { ExecutorContext, logger } from '@nx/devkit';
import { findRemoteDigest } from '../lib/engine/registry';
import { UserFacingError } from '../lib/errors';
import { runImagePipeline } from '../lib/image/pipeline';
import { createRunState, RunState } from '../lib/image/run-state';
import { tagExistingImage } from '../lib/image/skip';
import type { PlannedRelease } from './release-plan';

/** What publishing needs of the release-publish options. */
export interface PublishOptions {
  readonly projectName: string;
  /** Build an image that is not found (with push), rather than fail. */
  readonly build: boolean;
}

/**
 * Publishes one planned release: the image under its inputs hash gets the release tags in the registry (pushed first
 * when only the local engine has it), or, when no such image exists, is built through the build pipeline with them.
 * False when that build fails.
 */
export async function publishImage(release: PlannedRelease, options: PublishOptions, run: RunState, context: ExecutorContext): Promise<boolean> {
  const { projectName } = options;
  const { plan, image } = release;
  if (release.location === 'missing' && !options.build) {
    throw new UserFacingError(
      `${projectName}: no image with inputs hash ${plan.hashTag} in ${image.repository} or the local engine (${plan.undecidedBecause ?? 'not built since its inputs changed'}), and --no-build was given: run "nx run ${projectName}:${image.buildTarget}" with push first, or drop --no-build.`,
    );
  }
  // Built under the build target's own name only: named as the release repository first, then seen by a fresh listing.
  let state = run;
  if (release.localImageElsewhere) {
    await run.engine.tag(release.localImageElsewhere, plan.hashRef);
    state = createRunState(run.engine, undefined, run.workspaceImages);
  }
  // Found: tagged as the build executor's skip tags it (pushing first what only the local engine has), and not
  // recorded: a version tag is no build of the target, and its record keeps the tags the image was built with.
  const tagged = release.location === 'missing' ? undefined : await tagExistingImage(plan, state);
  if (!tagged) {
    const id = `${projectName}:${image.buildTarget}`;
    // Built as its build target builds it, with the release tags added: the record names both.
    const options = { ...image.buildOptions, tags: [...new Set([...image.builtTags, ...(image.buildOptions.tags ?? [])])] };
    let built = false;
    for await (const { result } of runImagePipeline([{ id, project: projectName, target: image.buildTarget, options }], { [id]: [] }, context, { summary: false })) {
      process.stdout.write(result.terminalOutput);
      built = result.success;
    }
    if (!built) return false;
  }
  await confirmDigests(release, run);
  return true;
}

/**
 * Reads back each release tag and prints its digest. The manifest is copied as it is (one digest) wherever the
 * manifest copy can reach the registry (lib/engine/registry-manifest-copy.ts); otherwise the tags go through
 * `docker buildx imagetools create`, which (buildx 0.13) wraps a single-platform manifest in a new index: the same
 * image under another digest, said in one line, not a failure.
 */
async function confirmDigests(release: PlannedRelease, run: RunState): Promise<void> {
  const expected = await findRemoteDigest(run.engine, release.plan.hashRef);
  for (const ref of release.releaseRefs) {
    const digest = await findRemoteDigest(run.engine, ref);
    if (digest === expected) {
      logger.info(`${release.options.projectName}: tagged ${ref} (${digest})`);
    } else {
      logger.warn(
        `${release.options.projectName}: tagged ${ref} (${digest ?? 'no digest'}), not the digest of ${release.plan.hashTag} (${expected}): buildx imagetools wrapped the manifest in an index of its own (the manifest could not be copied: credentials in a helper, or a registry only the engine reaches). The image is the same.`,
      );
    }
  }
}
