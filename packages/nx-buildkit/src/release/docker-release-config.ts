import type { NxJsonConfiguration, ProjectGraph } from '@nx/devkit';
import { findProjectsMatching } from '../lib/nx-internal-adapter';

/** The part of nx.json `release.docker` (root, group or project) an image release reads: @nx/docker's shape. */
export interface DockerReleaseOptions {
  readonly versionSchemes: Readonly<Record<string, string>>;
  readonly registryUrl?: string;
  readonly repositoryName?: string;
}

/** What nx release uses when `docker` is `true` or names no schemes (nx 24's createDockerDefaults). */
export const DEFAULT_VERSION_SCHEMES: Readonly<Record<string, string>> = {
  production: '{currentDate|YYMM.DD}.{shortCommitSha}',
  hotfix: '{currentDate|YYMM.DD}.{shortCommitSha}-hotfix',
};

type DockerConfig = { versionSchemes?: Record<string, string>; registryUrl?: string; repositoryName?: string } | boolean | undefined;

/** From what nx release resolved for a project (`finalConfigForProject.dockerOptions`, in a VersionActions). */
export function dockerReleaseOptionsFrom(dockerOptions: DockerConfig): DockerReleaseOptions {
  return merge([dockerOptions]);
}

/**
 * The same options for a project outside a VersionActions (the publish executor, a standalone `nx release publish`):
 * nx.json's root `release.docker`, then that of the release group holding the project, then the project's own —
 * the order nx release merges them in (root into each group, the project over its group).
 */
export function resolveDockerReleaseOptions(nxJson: NxJsonConfiguration, graph: ProjectGraph, projectName: string): DockerReleaseOptions {
  const release = (nxJson.release ?? {}) as { docker?: DockerConfig; groups?: Record<string, { projects?: string | string[]; docker?: DockerConfig }> };
  const group = Object.values(release.groups ?? {}).find((candidate) => {
    const patterns = candidate.projects === undefined ? [] : ([] as string[]).concat(candidate.projects);
    return findProjectsMatching(patterns, graph).includes(projectName);
  });
  const project = graph.nodes[projectName]?.data.release?.docker as DockerConfig;
  return merge([release.docker, group?.docker, project]);
}

function merge(configs: readonly DockerConfig[]): DockerReleaseOptions {
  const objects = configs.filter((config): config is Exclude<DockerConfig, boolean | undefined> => typeof config === 'object' && config !== null);
  const last = <K extends 'versionSchemes' | 'registryUrl' | 'repositoryName'>(key: K) =>
    objects.map((config) => config[key]).filter((value) => value !== undefined).pop();
  const schemes = last('versionSchemes');
  return {
    versionSchemes: schemes && Object.keys(schemes).length ? schemes : DEFAULT_VERSION_SCHEMES,
    ...(last('registryUrl') !== undefined && { registryUrl: last('registryUrl') }),
    ...(last('repositoryName') !== undefined && { repositoryName: last('repositoryName') }),
  };
}
