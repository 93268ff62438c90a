import type { NxJsonConfiguration, ProjectGraph } from '@nx/devkit';
import { findProjectsMatching } from '../lib/nx/nx-internal-adapter';

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

/**
 * From what nx release resolved for a project, in a VersionActions: `finalConfigForProject.dockerOptions`, or, where
 * that is empty, `versionActionsOptions` — where Nx 21 users put the same options, since any `release.docker` there
 * hands the project to @nx/docker (release-targets.ts).
 */
export function dockerReleaseOptionsFrom(dockerOptions: DockerConfig, versionActionsOptions?: DockerConfig): DockerReleaseOptions {
  return merge([hasOptions(dockerOptions) ? dockerOptions : versionActionsOptions]);
}

function hasOptions(config: DockerConfig): boolean {
  return config === true || (typeof config === 'object' && config !== null && Object.keys(config).length > 0);
}

/**
 * The same options for a project outside a VersionActions (the publish executor, a standalone `nx release publish`):
 * nx.json's root `release.docker`, then that of the release group holding the project, then the project's own —
 * the order nx release merges them in (root into each group, the project over its group).
 */
export function resolveDockerReleaseOptions(nxJson: NxJsonConfiguration, graph: ProjectGraph, projectName: string): DockerReleaseOptions {
  type WithVersion = { docker?: DockerConfig; version?: { versionActionsOptions?: DockerConfig } };
  const release = (nxJson.release ?? {}) as WithVersion & { groups?: Record<string, WithVersion & { projects?: string | string[] }> };
  const group = Object.values(release.groups ?? {}).find((candidate) => {
    const patterns = candidate.projects === undefined ? [] : ([] as string[]).concat(candidate.projects);
    return findProjectsMatching(patterns, graph).includes(projectName);
  });
  const project = (graph.nodes[projectName]?.data.release ?? {}) as WithVersion;
  const docker = [release.docker, group?.docker, project.docker];
  if (docker.some(hasOptions)) return merge(docker);
  // Nx 21's place for them (see dockerReleaseOptionsFrom): the project's own versionActionsOptions replace its
  // group's, and the group's the root's, as nx release resolves them.
  return merge([project.version?.versionActionsOptions ?? group?.version?.versionActionsOptions ?? release.version?.versionActionsOptions]);
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
