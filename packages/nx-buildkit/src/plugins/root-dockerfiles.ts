import { DEFAULT_DOCKERFILE_NAMES } from '../lib/image/options/default-dockerfile';
import type { NormalizedPluginOptions } from './plugin-options';

/**
 * Dockerfiles named in the `dockerfiles` option that lie at the workspace root when the root is no project (an
 * integrated repo: no project.json there, no "nx" key in its package.json). Inference gives them no target, as Nx makes
 * no project of the root; the user asked for them by name, so that must be said. The default names are not reported:
 * a root Dockerfile of that name is often for the whole repository (a dev container), not an image to build.
 */
export function rootDockerfilesWithoutProject(options: NormalizedPluginOptions, rootIsProject: boolean, exists: (path: string) => boolean): string[] {
  if (rootIsProject) return [];
  return options.dockerfileNames.filter((name) => !DEFAULT_DOCKERFILE_NAMES.includes(name) && exists(name));
}

export function rootDockerfileMessage(names: readonly string[]): string {
  const list = names.join(', ');
  return `nx-buildkit: ${list} at the workspace root ${names.length > 1 ? 'belong' : 'belongs'} to no project (the root has no project.json and its package.json no "nx" key), so ${names.length > 1 ? 'they get' : 'it gets'} no docker-build target though the "dockerfiles" option names ${names.length > 1 ? 'them' : 'it'}. Move ${names.length > 1 ? 'them' : 'it'} into the folder of the project ${names.length > 1 ? 'they build' : 'it builds'}, or add a project.json at the root ({ "name": "<name>" }).`;
}
