import { posix } from 'node:path';

/**
 * Dockerfile names looked for in a project root, in this order, when no "dockerfile" is set: by the build and lint
 * executors and the optimize generator (which ask which one is meant when there are several), and by the plugin,
 * which infers one target per Dockerfile found and looks for its `dockerfiles` option's names after these.
 */
export const DEFAULT_DOCKERFILE_NAMES: readonly string[] = ['Dockerfile', 'Dockerfile.prod', 'Dockerfile.frontend'];

/** The places a project root's Dockerfile may be, in order: each name with its workspace-relative path. */
export function dockerfileCandidates(projectRoot: string, names: readonly string[] = DEFAULT_DOCKERFILE_NAMES): { fileName: string; path: string }[] {
  return names.map((fileName) => ({ fileName, path: posix.join(projectRoot, fileName) }));
}

/**
 * The workspace-relative paths of the project root's Dockerfiles, in DEFAULT_DOCKERFILE_NAMES order. `isPresent`
 * decides what counts as there (a file on disk, a file in a generator's tree).
 */
export function findDefaultDockerfiles(projectRoot: string, isPresent: (path: string) => boolean): string[] {
  return dockerfileCandidates(projectRoot).map(({ path }) => path).filter(isPresent);
}
