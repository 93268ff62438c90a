/**
 * Docker image reference grammar (distribution/reference), enough to reject what the engine would reject, with a
 * message that says which part is wrong.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const REGISTRY = new RegExp(`^${DOMAIN}(?:/${PATH_COMPONENT})*$`);

export function isValidRepository(repository: string): boolean {
  return repository.length <= 255 && REPOSITORY.test(repository);
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isValidRegistry(registry: string): boolean {
  return REGISTRY.test(registry);
}

/** Splits `repo[:tag]` at the tag's colon (a colon before the last `/` belongs to a registry port). */
export function splitReference(ref: string): { repository: string; tag?: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref };
}

/** A default repository name from an Nx project name: `@acme/api` becomes `acme-api`. */
export function repositoryFromProjectName(projectName: string): string {
  const name = projectName
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9._/-]+/g, '-')
    .replace(/\/+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/[._-]{2,}/g, '-');
  return name || 'image';
}

/** `registry` + `image`, unless the image already names that registry. */
export function qualifyRepository(image: string, registry: string | undefined): string {
  if (!registry) return image;
  const prefix = registry.replace(/\/+$/, '');
  return image.startsWith(`${prefix}/`) ? image : `${prefix}/${image}`;
}

/** True when a repository names a registry host (first component has a dot or a port, or is localhost). */
export function hasRegistryHost(repository: string): boolean {
  const first = repository.split('/')[0];
  return repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
}
