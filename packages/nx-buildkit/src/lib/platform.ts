const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/** `os/arch[/variant]`, as BuildKit accepts in --platform. */
export function isValidPlatform(platform: string): boolean {
  return PLATFORM.test(platform);
}
