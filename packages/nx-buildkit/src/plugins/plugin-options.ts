import { isValidRegistry, isValidRepository, isValidTag, qualifyRepository, splitReference } from '../lib/image/identity/image-ref';
import { isValidPlatform } from '../lib/platform';
import { ENGINE_KINDS, EngineKind } from '../lib/engine/engine-kind';
import { DEFAULT_DOCKERFILE_NAMES } from '../lib/image/options/default-dockerfile';

/** Options of the `nx-buildkit` plugin entry in nx.json (`{ "plugin": "nx-buildkit", "options": { … } }`). */
export interface NxBuildkitPluginOptions {
  /**
   * The target that builds a project's image. Where a project has several Dockerfiles, each gets
   * `<targetName>-<variant>` (`docker-build-prod`, `docker-build-frontend`, `docker-build-default` for a plain
   * `Dockerfile`) and `<targetName>` runs them all. Default: `docker-build`.
   */
  targetName?: string;
  /** More Dockerfile names (file names, not paths) to look for in project roots, after the default ones. */
  dockerfiles?: string[];
  /**
   * The build context: `project` (the project root), `workspace` (the workspace root) or `auto` (default): the
   * workspace root when the Dockerfile copies a path that exists only there (package-lock.json, libs/…, dist/…).
   */
  context?: 'auto' | 'project' | 'workspace';
  /**
   * Image repository, with `{projectName}` (the project name as an image name: `@acme/api` → `acme-api`) and
   * `{variant}` (`prod` for Dockerfile.prod). Default `{projectName}`, and `{projectName}-{variant}` where a project has
   * several Dockerfiles; a template without `{variant}` gets `-{variant}` appended there, so no two images share a name.
   */
  image?: string;
  /** Default `registry` option of the build targets, e.g. `localhost:5000` or `ghcr.io/acme`. */
  registry?: string;
  /** Default `platforms` option of the build targets, e.g. `["linux/amd64"]`. */
  platforms?: string[];
  /** Default `tags` option of the build targets. */
  tags?: string[];
  /** Default `push` option of the build targets. */
  push?: boolean;
  /**
   * Default `engine` option of the build targets: `docker` (buildx) or `podman`. Unset: each build picks docker when
   * the docker CLI is on PATH, else podman when only podman is.
   */
  engine?: 'docker' | 'podman';
  /** The target a docker build depends on when its Dockerfile copies that target's output. Default: `build`. */
  buildTargetName?: string;
  /**
   * The target that checks each Dockerfile (nx-buildkit:lint), named like the build targets: `docker-lint`, or
   * `docker-lint-<variant>` per Dockerfile plus `docker-lint` running them all. `false` infers none. Default: `docker-lint`.
   */
  lintTargetName?: string | false;
  /**
   * Let nx release version and publish the images: each project gets an `nx-release-publish` target
   * (nx-buildkit:release-publish) and a `release` configuration pointing at nx-buildkit's VersionActions. `false` for
   * a project whose package.json nx release should version instead. Default: true.
   */
  release?: boolean;
}

export interface NormalizedPluginOptions {
  readonly targetName: string;
  readonly dockerfileNames: readonly string[];
  readonly context: 'auto' | 'project' | 'workspace';
  readonly image?: string;
  readonly registry?: string;
  readonly platforms?: readonly string[];
  readonly tags?: readonly string[];
  readonly push?: boolean;
  readonly engine?: EngineKind;
  readonly buildTargetName: string;
  /** false: no lint targets. */
  readonly lintTargetName: string | false;
  readonly release: boolean;
}

export class PluginOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginOptionsError';
  }
}

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const WHERE = 'in the "nx-buildkit" plugin options in nx.json';

/** Validates the options written in nx.json and fills in defaults. Throws PluginOptionsError naming the option and the fix. */
export function normalizePluginOptions(raw: unknown): NormalizedPluginOptions {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new PluginOptionsError(`The "nx-buildkit" plugin options in nx.json must be an object, e.g. { "targetName": "docker-build" }.`);
  }
  const options = (raw ?? {}) as Record<string, unknown>;
  const known = new Set(['targetName', 'dockerfiles', 'context', 'image', 'registry', 'platforms', 'tags', 'push', 'engine', 'buildTargetName', 'lintTargetName', 'release']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new PluginOptionsError(`Unknown option "${key}" ${WHERE}. Known options: ${[...known].join(', ')}.`);
  }

  const targetName = targetNameOption(options.targetName, 'targetName', 'docker-build');
  const buildTargetName = targetNameOption(options.buildTargetName, 'buildTargetName', 'build');
  const lintTargetName = options.lintTargetName === false ? false : targetNameOption(options.lintTargetName, 'lintTargetName', 'docker-lint');
  if (lintTargetName !== false && (lintTargetName === targetName || lintTargetName.startsWith(`${targetName}-`) || targetName.startsWith(`${lintTargetName}-`))) {
    throw new PluginOptionsError(`"lintTargetName" "${lintTargetName}" ${WHERE} clashes with the build targets named after "targetName" "${targetName}": choose names that do not prefix each other, e.g. "docker-lint".`);
  }

  const extra = stringListOption(options.dockerfiles, 'dockerfiles') ?? [];
  for (const name of extra) {
    if (name === '' || name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
      throw new PluginOptionsError(`Invalid entry "${name}" in "dockerfiles" ${WHERE}: give a file name such as "Dockerfile.worker", not a path; it is looked for in every project root.`);
    }
  }

  const context = options.context ?? 'auto';
  if (context !== 'auto' && context !== 'project' && context !== 'workspace') {
    throw new PluginOptionsError(`Invalid "context" ${JSON.stringify(context)} ${WHERE}: use "auto", "project" or "workspace".`);
  }

  const registry = stringOption(options.registry, 'registry');
  if (registry !== undefined && !isValidRegistry(registry)) {
    throw new PluginOptionsError(`Invalid "registry" "${registry}" ${WHERE}: use a host with an optional port and path, e.g. "localhost:5000" or "ghcr.io/acme".`);
  }

  const image = stringOption(options.image, 'image');
  if (image !== undefined) {
    const sample = image.replace(/\{projectName\}/g, 'api').replace(/\{variant\}/g, 'prod');
    if (splitReference(sample).tag !== undefined || sample.includes('@') || !isValidRepository(qualifyRepository(sample, registry))) {
      throw new PluginOptionsError(
        `Invalid "image" "${image}" ${WHERE}: it must give an image name without tag (lowercase letters, digits, ".", "_", "-", "/"), with {projectName} and {variant} where wanted, e.g. "acme/{projectName}".`,
      );
    }
  }

  const platforms = stringListOption(options.platforms, 'platforms');
  for (const platform of platforms ?? []) {
    if (!isValidPlatform(platform)) throw new PluginOptionsError(`Invalid platform "${platform}" in "platforms" ${WHERE}: use "os/arch", e.g. "linux/amd64".`);
  }
  const tags = stringListOption(options.tags, 'tags');
  for (const tag of tags ?? []) {
    if (!isValidTag(tag)) throw new PluginOptionsError(`Invalid tag "${tag}" in "tags" ${WHERE}: a tag is up to 128 letters, digits, "_", "." and "-", e.g. "latest".`);
  }
  for (const name of ['push', 'release']) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') throw new PluginOptionsError(`Invalid "${name}" ${WHERE}: expected true or false.`);
  }

  if (options.engine !== undefined && !ENGINE_KINDS.includes(options.engine as EngineKind)) {
    throw new PluginOptionsError(`Invalid "engine" ${JSON.stringify(options.engine)} ${WHERE}: use ${ENGINE_KINDS.map((kind) => `"${kind}"`).join(' or ')}.`);
  }

  return {
    targetName,
    // Looked for in this order in each project root: the defaults, then the `dockerfiles` names.
    dockerfileNames: [...new Set([...DEFAULT_DOCKERFILE_NAMES, ...extra])],
    context,
    image,
    registry,
    platforms,
    tags,
    push: options.push as boolean | undefined,
    engine: options.engine as EngineKind | undefined,
    buildTargetName,
    lintTargetName,
    release: options.release !== false,
  };
}

function targetNameOption(value: unknown, option: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !TARGET_NAME.test(value)) {
    throw new PluginOptionsError(`Invalid "${option}" ${JSON.stringify(value)} ${WHERE}: use a target name such as "${fallback}" (letters, digits, "-", "_", "." and ":").`);
  }
  return value;
}

function stringOption(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new PluginOptionsError(`Invalid "${option}" ${WHERE}: expected a non-empty string.`);
  return value;
}

function stringListOption(value: unknown, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new PluginOptionsError(`Invalid "${option}" ${WHERE}: expected a list of strings.`);
  }
  return value as string[];
}
