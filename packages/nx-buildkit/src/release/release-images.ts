import type { TargetConfiguration } from '@nx/devkit';
import { UserFacingError } from '../lib/errors';
import { workspaceRoot } from '@nx/devkit';
import { hasRegistryHost, isValidRepository, qualifyRepository, splitReference } from '../lib/image/identity/image-ref';
import type { BuildExecutorSchema } from '../lib/image/options/build-options';
import { targetImageRepository } from '../lib/image/options/image-repository';
import type { DockerReleaseOptions } from './docker-release-config';
import { BUILD_EXECUTOR } from '../lib/image/options/build-options';

/** One image a project releases: the build target that makes it, and where its release tags go. */
export interface ReleaseImage {
  readonly buildTarget: string;
  /** The repository, registry included, that holds the hash tag and gets the release tags. */
  readonly repository: string;
  /** The repository the build target itself tags (its `image` and `registry`): where a local build is found. */
  readonly builtRepository: string;
  /**
   * The build target's options for the release: the image named by its release repository, pushed, tagged with the
   * release tags. The inputs hash does not depend on any of these, so it names the image the build target made.
   */
  readonly buildOptions: BuildExecutorSchema;
  /**
   * The tags the build target gives its image (`latest` by default), by name: an image the release has to build gets
   * them beside the release tags, so its build record keeps what `nx run <project>:<target>` tags (an image FROM this
   * one names it so).
   */
  readonly builtTags: readonly string[];
}

/**
 * The images of a project's nx-buildkit:build targets and the repository each is released in:
 * `registryUrl` (else the build's `registry`) + `repositoryName` (else the build's `image`). A project with several
 * images releases each in its own repository, so one `repositoryName` cannot serve them.
 */
export function releaseImagesOf(
  projectName: string,
  targets: Readonly<Record<string, TargetConfiguration>>,
  docker: DockerReleaseOptions,
  tags: readonly string[],
): ReleaseImage[] {
  const builds = Object.entries(targets).filter(([, target]) => target.executor === BUILD_EXECUTOR);
  if (builds.length === 0) {
    throw new UserFacingError(`Project "${projectName}" has no nx-buildkit:build target, so there is no image to release. Add a Dockerfile to its root, or a target that runs nx-buildkit:build.`);
  }
  if (builds.length > 1 && docker.repositoryName !== undefined) {
    throw new UserFacingError(
      `Project "${projectName}" builds ${builds.length} images (${builds.map(([name]) => name).join(', ')}), but "release.docker.repositoryName" names one repository ("${docker.repositoryName}"). Remove it: each image is released under its own image name.`,
    );
  }
  return builds.map(([buildTarget, target]) => {
    const options = (target.options ?? {}) as BuildExecutorSchema;
    // A target written without "image" builds under the executor's default name; the release looks for that one.
    const built = targetImageRepository(options, projectName, workspaceRoot);
    const name = docker.repositoryName ?? built.image;
    const registry = docker.registryUrl ?? options.registry;
    const repository = qualifyRepository(name, registry);
    if (!isValidRepository(repository)) {
      throw new UserFacingError(`Project "${projectName}": the release image "${repository}" is not a valid image name. Check "release.docker.repositoryName" and "registryUrl" in nx.json (e.g. "acme/api" and "ghcr.io").`);
    }
    if (!hasRegistryHost(repository)) {
      throw new UserFacingError(
        `Project "${projectName}": the release image "${repository}" names no registry, and release tags are written in a registry. Set "release.docker.registryUrl" in nx.json (e.g. "ghcr.io/acme") or "registry" in the ${buildTarget} options.`,
      );
    }
    const builtRepository = built.repository;
    const { registry: _registry, tags: _tags, ...rest } = options;
    return { buildTarget, repository, builtRepository, buildOptions: { ...rest, image: repository, push: true, tags: [...tags] }, builtTags: tagNamesOf(options.tags) };
  });
}

/** The names of the tags a build target applies (`latest` when it names none); a full reference gives its tag. */
function tagNamesOf(tags: BuildExecutorSchema['tags']): string[] {
  const list = Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' || typeof tags === 'number' ? String(tags).split(',') : [];
  const names = list.map((tag) => tag.trim()).filter(Boolean).map((tag) => (tag.includes('/') || tag.includes(':') ? splitReference(tag).tag : tag));
  const defined = names.filter((name): name is string => Boolean(name));
  return defined.length ? [...new Set(defined)] : ['latest'];
}
