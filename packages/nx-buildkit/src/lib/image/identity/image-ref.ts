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

export interface ParsedReference {
  /** Fully qualified repository: `docker.io/library/python`, `localhost:5000/base/busybox`. */
  readonly name: string;
  /** The tag, `latest` when neither a tag nor a digest is given (Docker's rule). */
  readonly tag?: string;
  /** `sha256:…` when the reference pins a digest (`name@sha256:…`, with or without a tag). */
  readonly digest?: string;
}

/**
 * Parses an image reference the way Docker normalizes it: a first component without a dot, a port or `localhost`
 * is a Docker Hub path, and a one-component Hub path is under `library/`. So `python`, `python:latest`,
 * `docker.io/python` and `index.docker.io/library/python:latest` all name `docker.io/library/python:latest`.
 */
export function parseReference(ref: string): ParsedReference {
  const at = ref.indexOf('@');
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const { repository, tag } = splitReference(at === -1 ? ref : ref.slice(0, at));
  return { name: qualifiedName(repository), tag: tag ?? (digest ? undefined : 'latest'), digest };
}

function qualifiedName(repository: string): string {
  const slash = repository.indexOf('/');
  const first = slash === -1 ? '' : repository.slice(0, slash);
  const hasHost = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let host = hasHost ? first : 'docker.io';
  let path = hasHost ? repository.slice(slash + 1) : repository;
  if (host === 'index.docker.io') host = 'docker.io';
  if (host === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return `${host}/${path}`;
}

/** One spelling per image: `docker.io/library/python:3.11`, `localhost:5000/api@sha256:…`. */
export function canonicalReference(ref: string): string {
  const parsed = parseReference(ref);
  return `${parsed.name}${parsed.tag ? `:${parsed.tag}` : ''}${parsed.digest ? `@${parsed.digest}` : ''}`;
}
