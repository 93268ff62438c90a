// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { ExecutorContext, logger } from '@nx/devkit';
import { describeError, UserFacingError } from '../../lib/errors';
import { findRemoteDigest } from '../../lib/engine/registry';
import { resolveDockerReleaseOptions } from '../../release/docker-release-config';
import { releaseImagesOf } from '../../release/release-images';
import { describeRelease, PlannedRelease, planRelease } from '../../release/release-plan';
import { readVersionFile, versionFilePathOf } from '../../release/version-file';
import { runImagePipeline } from '../../lib/image/pipeline';
import { tagExistingImage } from '../../lib/image/skip';
import { createRunState, RunState } from '../../lib/image/run-state';
import { workspaceImagesOf } from '../../lib/image/workspace-images';
import { normalizeReleasePublishOptions, NormalizedReleasePublishOptions } from './normalize-options';
import type { ReleasePublishExecutorSchema } from './schema';

/**
 * The publish step of `nx release` for a project's images: each is found by its inputs hash (the build target's own
 * hashing), and the version tag and extraTags are added to it in the registry. What CI built and tested is what gets
 * the version: nothing is rebuilt or pulled, and the manifest is copied as it is, so the version tag and the hash
 * tag have one digest. An image not built yet goes through the build pipeline first (with push), unless --no-build.
 * Not @nx/docker's release-publish executor: it reads the ref from the file its version step writes and runs
 * `docker push` of a local image, so the image must be on the release machine.
 */
export default async function releasePublishExecutor(options: ReleasePublishExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    const projectName = context.projectName;
    if (!projectName || !context.projectGraph) throw new UserFacingError('nx-buildkit:release-publish must run as a project target of nx release (no project in the executor context).');
    const normalized = normalizeReleasePublishOptions(options, projectName, context.targetName ?? 'nx-release-publish');
    const node = context.projectGraph.nodes[projectName];
    const targets = node?.data.targets ?? {};
    const version = normalized.version === undefined ? readVersionFile(context.root, versionFilePathOf(projectName, targets), projectName) : normalized.version;
    if (version === null) {
      logger.info(`${projectName}: not versioned in this release; no image tagged.`);
      return { success: true };
    }
    const docker = resolveDockerReleaseOptions(context.nxJsonConfiguration ?? {}, context.projectGraph, projectName);
    const images = releaseImagesOf(projectName, targets, docker, [version, ...normalized.extraTags]);
    // An image FROM another project's image names it by that image's inputs hash in this checkout, as CI's build did.
    const run = createRunState(undefined, undefined, workspaceImagesOf(context));
    const planned = await planRelease({ workspaceRoot: context.root, projectName, projectRoot: node.data.root, projectGraph: context.projectGraph }, images, run);
    for (const release of planned) logger.info(`${projectName}: ${describeRelease(release)}`);
    if (normalized.dryRun) {
      logger.info(`${projectName}: dry run, nothing tagged, pushed or built.`);
      return { success: true };
    }
    let success = true;
    for (const release of planned) success = (await publishImage(release, normalized, run, context)) && success;
    return { success };
  } catch (error) {
    logger.error(describeError(error));
    if (!(error instanceof UserFacingError) && error instanceof Error && error.stack) logger.verbose(error.stack);
    return { success: false };
  }
}

async function publishImage(release: PlannedRelease, options: NormalizedReleasePublishOptions, run: RunState, context: ExecutorContext): Promise<boolean> {
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
