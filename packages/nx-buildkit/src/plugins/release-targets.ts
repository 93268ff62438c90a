import type { NxJsonConfiguration, ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { TARGET_TECHNOLOGIES } from './project-config';

/** The target nx release runs to publish a project: the name is nx's, not ours to choose. */
export const RELEASE_PUBLISH_TARGET = 'nx-release-publish';
export const RELEASE_PUBLISH_EXECUTOR = 'nx-buildkit:release-publish';
/** Resolved by nx release from the workspace root, as a package path (the plugin's package.json has no exports map). */
export const VERSION_ACTIONS_MODULE = 'nx-buildkit/src/release/version-actions';

/** The inferred `nx-release-publish` target: tags the images the project's build targets make. */
export function releasePublishTarget(projectName: string, images: readonly string[]): TargetConfiguration {
  return {
    executor: RELEASE_PUBLISH_EXECUTOR,
    options: {},
    // Tagging writes to the registry: never replayed from a cache.
    cache: false,
    metadata: {
      technologies: [...TARGET_TECHNOLOGIES],
      description: `Run by nx release: adds the version tag to ${images.length === 1 ? `the image "${images[0]}"` : `each of the images ${images.join(', ')}`} in the registry, found by its inputs hash (built and pushed first if it is not there, unless --no-build).`,
      help: { command: `npx nx run ${projectName}:${RELEASE_PUBLISH_TARGET} --help`, example: { options: { extraTags: ['latest'], build: false } } },
    },
  };
}

/**
 * The first Nx major that hands only projects with a `docker`-technology target to @nx/docker's version step. Nx 21
 * hands it every project with any `release.docker` option (its processDockerProjects, measured on 21.6.11: "Could
 * not find `@nx/docker`"), so there the release options live in `release.version.versionActionsOptions` and the
 * project gets no `docker` key.
 */
export const NX_MAJOR_GATING_DOCKER_RELEASE = 22;

/**
 * The project's nx release configuration: nx-buildkit's VersionActions (a version from nx.json's docker version
 * schemes; no package.json is read or written), and the build's image as `release.docker.repositoryName`, as
 * @nx/docker projects have theirs. A project with several images has no one repository name: each is released under
 * its own. The current version is not looked up (an image has no manifest to hold one), except under conventional
 * commits, which bump relatively from the project's last git tag: nx then requires the `git-tag` resolver.
 */
export function releaseConfigFor(images: readonly string[], nxJson: NxJsonConfiguration, nxMajor?: number): NonNullable<ProjectConfiguration['release']> {
  const version = { versionActions: VERSION_ACTIONS_MODULE, currentVersionResolver: usesConventionalCommits(nxJson) ? 'git-tag' : 'none' };
  // On Nx 21 the release repository defaults to the build's image all the same (release-images.ts).
  if (nxMajor !== undefined && nxMajor < NX_MAJOR_GATING_DOCKER_RELEASE) return { version } as NonNullable<ProjectConfiguration['release']>;
  return {
    version,
    docker: images.length === 1 ? { repositoryName: images[0] } : {},
  } as NonNullable<ProjectConfiguration['release']>;
}

/** nx.json `release.version.specifierSource` (the root one: inference does not know a project's release group). */
export function usesConventionalCommits(nxJson: NxJsonConfiguration): boolean {
  return (nxJson.release?.version as { specifierSource?: string } | undefined)?.specifierSource === 'conventional-commits';
}
