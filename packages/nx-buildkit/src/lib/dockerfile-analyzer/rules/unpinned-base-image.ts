import { splitReference } from '../../image/identity/image-ref';
import { DockerfileRule, RuleHit } from '../rule';

/** Tags that follow whatever upstream publishes next: they never name a release, even for a distribution image. */
const CHANNEL_WORDS = new Set(['latest', 'lts', 'current', 'stable', 'mainline', 'edge', 'rolling', 'devel', 'nightly', 'testing', 'unstable', 'sid']);

/** Variant words: they pick a flavour or the distribution underneath, not a version of the image's own software. */
const VARIANT_WORDS = new Set(['alpine', 'slim']);

/**
 * Debian and Ubuntu release codenames. For a distribution image they are the version (debian:bookworm is Debian 12);
 * for any other image they only pick the distribution underneath (node:bookworm-slim is whatever Node is newest).
 */
const DISTRIBUTION_CODENAMES = new Set(['buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'bionic', 'focal', 'jammy', 'noble']);

/** Images whose version is the distribution release, so a codename pins them. */
const DISTRIBUTION_IMAGES = new Set(['debian', 'ubuntu', 'buildpack-deps']);

export const unpinnedBaseImage: DockerfileRule = {
  id: 'base-image/unpinned-tag',
  severity: 'warning',
  description: 'A stage starts FROM an image without a tag, with :latest or with a tag that names no version (lts, alpine, slim): the base changes under the build, and its cache with it.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      if (stage.baseStage !== undefined || stage.baseUnresolved || stage.base === '' || stage.base.toLowerCase() === 'scratch') continue;
      // A digest pins the image whatever the tag says.
      if (stage.base.includes('@')) continue;
      const { repository, tag } = splitReference(stage.base);
      if (tag === undefined || tag === 'latest') {
        hits.push({
          line: stage.from.startLine,
          message: `FROM ${stage.base} ${tag ? 'uses the moving "latest" tag' : 'has no tag, which means "latest"'}: a new upstream release changes the image and invalidates every cached layer.`,
          fix: `Pin a version, e.g. FROM ${repository}:<major>-<distro> (or a digest with @sha256:…).`,
        });
      } else if (tagNamesNoVersion(repository, tag)) {
        hits.push({
          line: stage.from.startLine,
          message: `FROM ${stage.base}: the tag "${tag}" names no version of ${imageName(repository)}, so it moves like "latest": a new upstream release changes the image and invalidates every cached layer.`,
          fix: `Pin a version, e.g. FROM ${repository}:${versionedTag(tag)} (or a digest with @sha256:…).`,
        });
      }
    }
    return hits;
  },
};

/**
 * Whether every part of the tag is a channel or a variant word (`lts`, `current-alpine`, `bookworm-slim` for node).
 * A tag with any other part is taken as naming a version: digits (`20-alpine`, `alpine3.23`), but also names this rule
 * cannot judge (`node:iron` is Node 20, `builder-go` a project's own tag).
 */
function tagNamesNoVersion(repository: string, tag: string): boolean {
  const distribution = DISTRIBUTION_IMAGES.has(imageName(repository));
  return tag
    .toLowerCase()
    .split('-')
    .every((part) => CHANNEL_WORDS.has(part) || VARIANT_WORDS.has(part) || (!distribution && DISTRIBUTION_CODENAMES.has(part)));
}

/** `docker.io/library/node` → `node`: the name users know the image by. */
function imageName(repository: string): string {
  return repository.slice(repository.lastIndexOf('/') + 1).toLowerCase();
}

/** The tag to suggest: a version placeholder in place of the channel, the variant kept (`current-alpine` → `<version>-alpine`). */
function versionedTag(tag: string): string {
  const variant = tag.split('-').filter((part) => !CHANNEL_WORDS.has(part.toLowerCase()));
  return ['<version>', ...variant].join('-');
}
