export interface LocalImageIdentity {
  readonly id: string;
  /** The nx-buildkit inputs hash the image was built from, when nx-buildkit built it. */
  readonly inputsHash?: string;
}

/**
 * `<id> <label>` as `docker image inspect --format '{{.Id}} {{index .Config.Labels "…"}}'` prints it. A missing
 * label prints as "<no value>" (two words), so only a full sha256 hex counts as an inputs hash.
 */
export function parseIdentity(output: string): LocalImageIdentity | undefined {
  const text = output.trim();
  const space = text.indexOf(' ');
  const id = space === -1 ? text : text.slice(0, space);
  const label = space === -1 ? '' : text.slice(space + 1).trim();
  if (!id) return undefined;
  return { id, inputsHash: /^[0-9a-f]{64}$/.test(label) ? label : undefined };
}

export interface HashTaggedImage {
  readonly id: string;
  readonly inputsHash?: string;
  /** Every tag the image has, so tags it already carries need no `docker tag`. */
  readonly repoTags: readonly string[];
}

/** Output of `docker image inspect --format '{{.Id}}|{{json .RepoTags}}|{{index .Config.Labels "…"}}'`. */
export function parseHashTaggedImage(output: string): HashTaggedImage | undefined {
  const [id, tagsJson, ...labelParts] = output.trim().split('|');
  if (!id) return undefined;
  let repoTags: string[] = [];
  try {
    const parsed: unknown = JSON.parse(tagsJson ?? '[]');
    if (Array.isArray(parsed)) repoTags = parsed.filter((tag): tag is string => typeof tag === 'string');
  } catch {
    repoTags = [];
  }
  const label = labelParts.join('|').trim();
  return { id, repoTags, inputsHash: /^[0-9a-f]{64}$/.test(label) ? label : undefined };
}
