import { defaultRepository, readWorkspaceNamespace } from '../identity/image-namespace';
import { qualifyRepository } from '../identity/image-ref';

/** A build target's naming options, as written (before validation). */
export interface ImageNaming {
  readonly image?: string;
  readonly registry?: string;
}

/**
 * The repository a build target tags, in one place for the build and the release that looks for what it built: its
 * "image" (else the project's default name, namespaced by the workspace) behind its "registry".
 */
export function targetImageRepository(naming: ImageNaming, projectName: string, workspaceRoot: string): { image: string; repository: string } {
  const image = naming.image ?? defaultRepository(projectName, readWorkspaceNamespace(workspaceRoot));
  return { image, repository: qualifyRepository(image, naming.registry) };
}
