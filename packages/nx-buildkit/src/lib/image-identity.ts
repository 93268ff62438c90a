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
