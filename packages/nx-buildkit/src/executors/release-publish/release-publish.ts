// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { ExecutorContext, logger } from '@nx/devkit';
import { writePendingCodeCaches } from '../../lib/code-cache';
import { describeError, UserFacingError } from '../../lib/errors';
import { resolveDockerReleaseOptions } from '../../release/docker-release-config';
import { releaseImagesOf } from '../../release/release-images';
import { publishImage } from '../../release/publish-image';
import { describeRelease, planRelease } from '../../release/release-plan';
import { readVersionFile, versionFilePathOf } from '../../release/version-file';
import { createRunState } from '../../lib/image/run-state';
import { workspaceImagesOf } from '../../lib/image/workspace-images';
import { normalizeReleasePublishOptions } from './normalize-options';
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
  } finally {
    writePendingCodeCaches();
  }
}
