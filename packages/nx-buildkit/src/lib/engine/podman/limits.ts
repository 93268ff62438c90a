/** The options as the user wrote them (defaults not yet filled in): only what was asked is reported. */
export interface PodmanRequest {
  readonly builder?: string;
  readonly cacheFrom?: unknown;
  readonly cacheTo?: unknown;
  readonly load?: boolean;
  readonly push?: boolean;
  readonly registry?: string;
  readonly platforms: readonly string[];
}

export interface PodmanLimits {
  /** Why the build cannot be done with podman at all: the image would not be what the options ask. */
  readonly refusal?: string;
  /** One line naming what podman leaves undone (the image is the same without it), said once before any build. */
  readonly notice?: string;
}

/**
 * What podman (4.3, buildah 1.28) cannot do of what the options ask, in one line. Left undone, with a notice:
 * `builder` (a buildx builder; podman builds in-process), `cacheFrom`/`cacheTo` and the registry layer cache (BuildKit
 * cache exports; podman's --cache-from/--cache-to take a repository of its own layout, not BuildKit's cache),
 * `load: false` (podman always keeps what it builds in its image store). Refused: several platforms (podman builds
 * them only into a manifest list, `--manifest`, pushed with `podman manifest push --all`, which nx-buildkit does not
 * drive).
 */
export function podmanLimits(request: PodmanRequest): PodmanLimits {
  if (request.platforms.length > 1) {
    return {
      refusal: `podman cannot build "platforms" ${request.platforms.join(',')} as one image here (it builds several platforms only into a manifest list, which nx-buildkit does not push or skip with podman): give one platform, or set "engine" to "docker" for a multi-platform image.`,
    };
  }
  const undone: string[] = [];
  if (request.builder !== undefined) undone.push(`"builder" ${request.builder} (a buildx builder; podman builds itself)`);
  const caches = [hasEntries(request.cacheFrom) && '"cacheFrom"', hasEntries(request.cacheTo) && '"cacheTo"'].filter(Boolean);
  if (caches.length) undone.push(`${caches.join(' and ')} (BuildKit cache exports; podman keeps its layer cache in its own store)`);
  else if (request.registry !== undefined && request.cacheFrom === undefined && request.cacheTo === undefined) {
    undone.push('the registry layer cache (<image>:buildcache is BuildKit\'s format; podman reuses layers from its own store only)');
  }
  if (request.load === false && !request.push) undone.push('"load": false (podman always keeps the image it builds in its image store)');
  if (undone.length === 0) return {};
  return { notice: `nx-buildkit: podman does not do ${undone.join('; ')}: building without ${undone.length === 1 ? 'it' : 'them'}.` };
}

function hasEntries(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '';
}
