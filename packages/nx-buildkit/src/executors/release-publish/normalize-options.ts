import { closestName } from '../../lib/closest-name';
import { UserFacingError } from '../../lib/errors';
import { isValidTag } from '../../lib/image/identity/image-ref';
import type { ReleasePublishExecutorSchema } from './schema';

export interface NormalizedReleasePublishOptions {
  readonly projectName: string;
  readonly build: boolean;
  readonly extraTags: readonly string[];
  readonly dryRun: boolean;
  /**
   * The version nx release gave the project in this run; `null` when nx release versioned it not (nothing to publish);
   * undefined under a standalone `nx release publish`, where the version file is read.
   */
  readonly version: string | null | undefined;
}

/** Every option of nx-buildkit:release-publish (schema.json's properties; a spec keeps them the same). */
export const RELEASE_PUBLISH_OPTION_NAMES: readonly (keyof ReleasePublishExecutorSchema)[] = ['build', 'extraTags', 'dryRun'];

/**
 * What nx release publish hands every publish executor, npm's among them (`--registry`, `--tag`, `--otp`, `--access`,
 * `--first-release`), and Nx's own `--verbose`: accepted and not used. The registry of an image release is nx.json's
 * `release.docker.registryUrl`.
 */
const NX_RELEASE_OPTIONS = ['nxReleaseVersionData', 'registry', 'tag', 'otp', 'access', 'firstRelease', 'verbose'];

export function normalizeReleasePublishOptions(options: ReleasePublishExecutorSchema, projectName: string, targetName: string): NormalizedReleasePublishOptions {
  const where = `in the "${targetName}" options of project "${projectName}"`;
  const fail = (message: string): never => {
    throw new UserFacingError(message);
  };
  for (const name of Object.keys(options)) {
    if (RELEASE_PUBLISH_OPTION_NAMES.includes(name as keyof ReleasePublishExecutorSchema) || NX_RELEASE_OPTIONS.includes(name) || name.startsWith('__')) continue;
    const meant = closestName(name, RELEASE_PUBLISH_OPTION_NAMES);
    fail(`Unknown option "${name}" ${where}.${meant ? ` Did you mean "${meant}"?` : ''} nx-buildkit:release-publish takes: ${RELEASE_PUBLISH_OPTION_NAMES.join(', ')}.`);
  }
  for (const name of ['build', 'dryRun'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') fail(`Invalid "${name}" ${where}: expected true or false.`);
  }
  const extraTags = options.extraTags ?? [];
  if (!Array.isArray(extraTags)) fail(`Invalid "extraTags" ${where}: expected a list of tags, e.g. ["latest"].`);
  for (const tag of extraTags) {
    if (typeof tag !== 'string' || !isValidTag(tag)) {
      fail(`Invalid tag ${JSON.stringify(tag)} in "extraTags" ${where}: a tag is up to 128 letters, digits, "_", "." and "-", e.g. "latest" (no repository: the image's own is used).`);
    }
  }
  const versionData = options.nxReleaseVersionData;
  const version = versionData === undefined ? undefined : (versionData[projectName]?.newVersion ?? null);
  return { projectName, build: options.build ?? true, extraTags: [...new Set(extraTags)], dryRun: options.dryRun ?? false, version };
}
