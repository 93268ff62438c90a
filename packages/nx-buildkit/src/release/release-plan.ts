import type { ProjectGraph } from '@nx/devkit';
import type { PlannedBuild } from '../lib/image/plan';
import { planBuild } from '../lib/image/plan';
import { normalizeOptions, NormalizedBuildOptions } from '../lib/image/options/normalize-options';
import type { RunState } from '../lib/image/run-state';
import { dirname } from 'node:path';
import { findRemoteImage } from '../lib/engine/registry';
import { withoutNewEmptyFolders } from './no-new-folders';
import type { ReleaseImage } from './release-images';

/** Where the image under the current inputs hash is: what releasing it costs. */
export type HashImageLocation = 'registry' | 'local' | 'missing';

/** One image of a release, hashed as its build target hashes it, and found (or not) without pulling. */
export interface PlannedRelease {
  readonly image: ReleaseImage;
  readonly options: NormalizedBuildOptions;
  readonly plan: PlannedBuild;
  readonly location: HashImageLocation;
  /** `repository:tag` for each release tag. */
  readonly releaseRefs: readonly string[];
  /**
   * The local image with this inputs hash when the build target tagged it under another repository than the release
   * one (a build without a registry, released to nx.json's registryUrl): it is tagged under the release hash tag first.
   */
  readonly localImageElsewhere?: string;
}

export interface ReleaseProject {
  readonly workspaceRoot: string;
  readonly projectName: string;
  readonly projectRoot: string;
  /** Nx's project graph: an image that installs from a pruned lockfile (COPY --from=deps) is hashed with it. */
  readonly projectGraph?: ProjectGraph;
}

/**
 * Hashes each image with the build executor's own planning (normalizeOptions, planBuild: the same inputs, the same
 * hash tag as `nx run <project>:docker-build`), then looks the hash tag up in the local engine and in the registry.
 * Reads only: nothing is tagged, pushed or recorded, and no folder is left behind.
 */
export async function planRelease(project: ReleaseProject, images: readonly ReleaseImage[], run: RunState): Promise<PlannedRelease[]> {
  const planned: PlannedRelease[] = [];
  for (const image of images) {
    const options = normalizeOptions(image.buildOptions, { ...project, targetName: image.buildTarget });
    const quiet = { info: () => undefined, warn: () => undefined };
    const plan = await withoutNewEmptyFolders(dirname(options.recordPath), () => planBuild(options, quiet, run));
    planned.push({ image, options, plan, releaseRefs: options.tags, ...(await locate(plan, image, run)) });
  }
  return planned;
}

async function locate(plan: PlannedBuild, image: ReleaseImage, run: RunState): Promise<{ location: HashImageLocation; localImageElsewhere?: string }> {
  // A base whose identity is unknown: the build executor would build rather than trust the hash, and so do we.
  if (plan.undecidedBecause) return { location: 'missing' };
  if (!run.engine.distribution) await run.buildxReady();
  if ((await findRemoteImage(run.engine, plan.hashRef)).found) return { location: 'registry' };
  const withHash = async (ref: string) => {
    const local = await run.localImage(ref);
    return local?.inputsHash === plan.hash ? local : undefined;
  };
  if (await withHash(plan.hashRef)) return { location: 'local' };
  const elsewhere = image.builtRepository !== image.repository ? await withHash(`${image.builtRepository}:${plan.hashTag}`) : undefined;
  return elsewhere ? { location: 'local', localImageElsewhere: elsewhere.id } : { location: 'missing' };
}

/** `localhost:5000/api:2612.01.3a95d8c, latest → nxb-0123456789abcdef (in the registry)`: what a release does to one image. */
export function describeRelease(release: Pick<PlannedRelease, 'releaseRefs' | 'location'> & { plan: Pick<PlannedBuild, 'hashTag' | 'undecidedBecause'> }): string {
  const [first, ...more] = release.releaseRefs;
  const tags = [first, ...more.map((ref) => ref.slice(ref.lastIndexOf(':') + 1))].join(', ');
  const where =
    release.location === 'registry'
      ? 'in the registry: tagged there, nothing built or pulled'
      : release.location === 'local'
        ? 'in the local engine only: pushed, then tagged'
        : release.plan.undecidedBecause
          ? `to be built first: ${release.plan.undecidedBecause}`
          : 'not built yet: built and pushed first';
  return `${tags} → ${release.plan.hashTag} (${where})`;
}
