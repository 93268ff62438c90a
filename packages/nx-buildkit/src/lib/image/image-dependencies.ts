import { qualifyRepository, splitReference } from './identity/image-ref';

/** What an inferred build target produces and starts FROM, as the plugin sees it after inference. */
export interface ImageTarget {
  readonly project: string;
  readonly target: string;
  /** Full image references the target tags, e.g. `localhost:5000/api:latest`. */
  readonly produces: readonly string[];
  /** Image references its Dockerfile starts FROM (after ARG defaults). */
  readonly consumes: readonly string[];
}

export interface ImageDependency {
  readonly project: string;
  readonly target: string;
}

/** The references a build target tags: its repository (registry-qualified) with each tag, `latest` by default. */
export function producedReferences(options: { image?: unknown; registry?: unknown; tags?: unknown }): string[] {
  if (typeof options.image !== 'string') return [];
  const repository = qualifyRepository(options.image, typeof options.registry === 'string' ? options.registry : undefined);
  const tags = Array.isArray(options.tags) && options.tags.length ? options.tags.filter((t): t is string => typeof t === 'string') : ['latest'];
  return tags.map((tag) => (tag.includes(':') || tag.includes('/') ? tag : `${repository}:${tag}`));
}

/**
 * For each target, the build targets of other projects whose image it starts FROM: it must wait for them (dependsOn),
 * and its inputs hash includes theirs. References are compared with `:latest` implied, as Docker does.
 */
export function imageDependencies(targets: readonly ImageTarget[]): Map<ImageTarget, ImageDependency[]> {
  const producers = new Map<string, ImageTarget>();
  for (const target of targets) for (const ref of target.produces) producers.set(normalizeRef(ref), target);
  const result = new Map<ImageTarget, ImageDependency[]>();
  for (const target of targets) {
    const deps: ImageDependency[] = [];
    for (const ref of target.consumes) {
      const producer = producers.get(normalizeRef(ref));
      if (!producer || producer === target || deps.some((d) => d.project === producer.project && d.target === producer.target)) continue;
      deps.push({ project: producer.project, target: producer.target });
    }
    if (deps.length) result.set(target, deps);
  }
  return result;
}

function normalizeRef(ref: string): string {
  const { repository, tag } = splitReference(ref.replace(/^docker\.io\/(library\/)?/, ''));
  return `${repository}:${tag ?? 'latest'}`;
}
