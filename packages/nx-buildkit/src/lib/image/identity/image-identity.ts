import { INPUTS_HASH_LABEL } from '../../engine/buildx-args';
import { canonicalReference } from './image-ref';

/** What nx-buildkit needs of a local image, read from `docker image inspect` JSON. */
export interface InspectedImage {
  readonly id: string;
  /** Every tag the image has, so tags it already carries need no `docker tag`. */
  readonly repoTags: readonly string[];
  /** `name@sha256:…` for each registry the image was pulled from or pushed to: the registry's manifest digests. */
  readonly repoDigests: readonly string[];
  /** The nx-buildkit inputs hash the image was built from, when nx-buildkit built it. */
  readonly inputsHash?: string;
  readonly sizeBytes?: number;
}

/**
 * Parses the JSON array `docker image inspect <ref>…` prints, or the engine's image list (GET /images/json). Read as JSON, not through a `--format` template:
 * official images have `Config.Labels: null`, and `{{index .Config.Labels "…"}}` then fails ("index of untyped
 * nil"), which once made every label-free base look absent. Entries that are not images are left out.
 */
export function parseImageInspect(output: string): InspectedImage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.trim() || '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const images: InspectedImage[] = [];
  for (const item of parsed) {
    if (!item || typeof item !== 'object') continue;
    const raw = item as { Id?: unknown; RepoTags?: unknown; RepoDigests?: unknown; Size?: unknown; Labels?: unknown; Config?: { Labels?: unknown } | null };
    if (typeof raw.Id !== 'string' || !raw.Id) continue;
    // `docker image inspect` puts labels in Config.Labels, the engine's image list (GET /images/json) in Labels.
    const labelObject = raw.Config?.Labels ?? raw.Labels;
    const labels = typeof labelObject === 'object' && labelObject ? (labelObject as Record<string, unknown>) : {};
    const label = labels[INPUTS_HASH_LABEL];
    images.push({
      id: raw.Id,
      repoTags: strings(raw.RepoTags),
      repoDigests: strings(raw.RepoDigests),
      inputsHash: typeof label === 'string' && /^[0-9a-f]{64}$/.test(label) ? label : undefined,
      sizeBytes: typeof raw.Size === 'number' ? raw.Size : undefined,
    });
  }
  return images;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Whether the image carries the reference as one of its tags, in any spelling (`api:1` is `docker.io/library/api:1`).
 * Only a tag counts: an engine's inspection also answers for an ID prefix or a digest, the listing's index does not.
 */
export function hasTag(image: Pick<InspectedImage, 'repoTags'>, ref: string): boolean {
  const wanted = canonicalReference(ref);
  return image.repoTags.some((tag) => canonicalReference(tag) === wanted);
}
