const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/** `os/arch[/variant]`, as BuildKit accepts in --platform. */
export function isValidPlatform(platform: string): boolean {
  return PLATFORM.test(platform);
}

interface IndexEntry {
  readonly digest?: unknown;
  readonly platform?: { readonly os?: unknown; readonly architecture?: unknown; readonly variant?: unknown };
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/**
 * Each platform's manifest digest in an image index (OCI index or Docker manifest list, as its registry holds it):
 * `{ "linux/amd64": "sha256:…", "linux/arm64": "sha256:…" }`. The attestation manifests BuildKit adds beside the
 * images (platform `unknown/unknown`, annotated `vnd.docker.reference.type`) are no platform's image and are left
 * out. Undefined for anything that is not an index (a single-platform manifest, or not JSON).
 */
export function platformDigestsOfIndex(manifestJson: string): Record<string, string> | undefined {
  let parsed: { manifests?: unknown };
  try {
    parsed = JSON.parse(manifestJson) as { manifests?: unknown };
  } catch {
    return undefined;
  }
  if (!parsed || !Array.isArray(parsed.manifests)) return undefined;
  const digests: Record<string, string> = {};
  for (const entry of parsed.manifests as IndexEntry[]) {
    const { os, architecture, variant } = entry?.platform ?? {};
    if (typeof entry?.digest !== 'string' || typeof os !== 'string' || typeof architecture !== 'string') continue;
    if (os === 'unknown' || entry.annotations?.['vnd.docker.reference.type'] !== undefined) continue;
    digests[[os, architecture, ...(typeof variant === 'string' && variant ? [variant] : [])].join('/')] = entry.digest;
  }
  return digests;
}
