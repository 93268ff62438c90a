import { UserFacingError } from '../lib/errors';
import { isValidTag } from '../lib/image/identity/image-ref';

/** What `nx release <specifier>` asks of an image: a version scheme to interpolate, or a version given as it is. */
export type VersionChoice = { readonly kind: 'scheme'; readonly scheme: string; readonly pattern: string } | { readonly kind: 'explicit'; readonly version: string };

/**
 * Nx's semver keywords: what its prompt offers, what conventional commits and version plans derive. An image has no
 * semver history to bump, so a keyword means "the one scheme there is".
 */
const SEMVER_KEYWORDS = ['major', 'minor', 'patch', 'premajor', 'preminor', 'prepatch', 'prerelease'];

/**
 * A scheme name picks that scheme; a semver keyword, or nothing, picks the only scheme (several are ambiguous); any
 * other specifier that is a valid image tag is the version itself (`nx release 2.0.0`).
 */
export function chooseVersion(specifier: string | null | undefined, schemes: Readonly<Record<string, string>>, projectName: string): VersionChoice {
  const names = Object.keys(schemes);
  if (specifier && Object.prototype.hasOwnProperty.call(schemes, specifier)) return { kind: 'scheme', scheme: specifier, pattern: schemes[specifier] };
  if (!specifier || SEMVER_KEYWORDS.includes(specifier)) {
    if (names.length === 1) return { kind: 'scheme', scheme: names[0], pattern: schemes[names[0]] };
    const asked = specifier ? `"${specifier}" names no version scheme` : 'no version scheme was named';
    throw new UserFacingError(
      names.length === 0
        ? `Project "${projectName}": ${asked} and nx.json "release.docker.versionSchemes" is empty. Add one, e.g. { "production": "{currentDate|YYMM.DD}.{shortCommitSha}" }.`
        : `Project "${projectName}": ${asked}, and there are ${names.length} docker version schemes (${names.join(', ')}). Name one: "nx release ${names[0]}".`,
    );
  }
  if (isValidTag(specifier)) return { kind: 'explicit', version: specifier };
  throw new UserFacingError(
    `Project "${projectName}": "${specifier}" is neither a docker version scheme (${names.join(', ') || 'none configured'}) nor a valid image tag (letters, digits, "_", "." and "-", up to 128).`,
  );
}
