import type { ProjectGraph } from '@nx/devkit';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { closestName } from '../../closest-name';
import { UserFacingError } from '../../errors';
import {
  hasRegistryHost,
  isValidRegistry,
  isValidRepository,
  isValidTag,
  splitReference,
} from '../identity/image-ref';
import { isValidPlatform } from '../../platform';
import { chooseEngine, isOnPath } from '../../engine/engine-kind';
import { podmanLimits } from '../../engine/podman/limits';
import type { EngineKind } from '../../engine/engine-kind';
import { realPathOfNearestAncestor } from '../../real-path';
import { buildxSecretSpec, missingSecretSource, parseSecretSpec } from './secrets';
import { PROGRESS_MODES } from './build-options';
import type { BuildExecutorSchema, ProgressMode } from './build-options';
import { parseShard, Shard } from '../shard';
import { DEFAULT_DOCKERFILE_NAMES, findDefaultDockerfiles } from './default-dockerfile';
import { BUILD_OPTION_NAMES, BUILD_OPTIONS, optionsOfKind } from './option-table';
import { targetImageRepository } from './image-repository';

export { BUILD_OPTION_NAMES };

export interface BuildTarget {
  readonly workspaceRoot: string;
  readonly projectName: string;
  readonly projectRoot: string;
  readonly targetName: string;
  /** The run's project graph (the executor context's): a Dockerfile that installs from `--from=deps` is pruned with it. */
  readonly projectGraph?: ProjectGraph;
}

/** The tag of the registry layer cache beside each image. */
export const REGISTRY_CACHE_TAG = 'buildcache';

export interface NormalizedBuildOptions extends BuildTarget {
  /** Absolute path. */
  readonly dockerfile: string;
  /** Absolute path. */
  readonly context: string;
  /** Full repository, registry included. */
  readonly repository: string;
  /** Full references to apply, e.g. `localhost:5000/api:latest`. */
  readonly tags: readonly string[];
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly platforms: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly ssh: readonly string[];
  readonly cacheFrom: readonly string[];
  readonly cacheTo: readonly string[];
  /**
   * With a registry and no cacheTo of the user's: the registry layer cache to write (`<repository>:buildcache`,
   * mode=max), added at build time only where the builder can export cache.
   */
  readonly registryCacheTo?: string;
  /** What builds, skips and pushes: the option, else docker when on PATH, else podman when only it is. */
  readonly engine: EngineKind;
  /** With podman: the one line saying what podman leaves undone of what the options ask, said once before any build. */
  readonly engineNotice?: string;
  readonly builder?: string;
  readonly push: boolean;
  readonly load: boolean;
  readonly pull: boolean;
  readonly noCache: boolean;
  readonly explain: boolean;
  /** This machine's share of the images (`--shard=i/n`). */
  readonly shard?: Shard;
  readonly progress: ProgressMode;
  /** Look the hash tag up in the registry too (registry set, or push). */
  readonly checkRegistry: boolean;
  /** Absolute folder of all build records. */
  readonly recordDir: string;
  /** Absolute path of this run's JSON record. */
  readonly recordPath: string;
}

const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What Nx itself passes to an executor beside its options (`--verbose` with --batch=false), taken without a word. */
const NX_OWN_OPTIONS: readonly string[] = ['verbose'];

const BOOLEAN_OPTIONS = optionsOfKind('boolean');
const STRING_OPTIONS = optionsOfKind('string');

/**
 * Option values as typed on a command line: `--target=2` arrives as a number, `--push=yes` as a string. The schema
 * takes both (Nx checks option types before a batch executor runs and crashes the whole batch on a mismatch with an
 * unhandled SchemaError); they are checked here instead, with the option named: numbers become strings, "true" and
 * "false" booleans, anything else a clear error.
 */
function withCommandLineTypes(options: BuildExecutorSchema, where: string): BuildExecutorSchema {
  const typed: Record<string, unknown> = { ...options };
  for (const name of BOOLEAN_OPTIONS) {
    const value = typed[name];
    if (value === undefined || typeof value === 'boolean') continue;
    if (value === 'true' || value === 'false') typed[name] = value === 'true';
    else throw new UserFacingError(`Invalid "${name}" "${String(value)}" ${where}: use true or false (--${name}, --${name}=false).`);
  }
  for (const name of STRING_OPTIONS) {
    const value = typed[name];
    if (value === undefined || typeof value === 'string') continue;
    if (typeof value === 'number') typed[name] = String(value);
    else throw new UserFacingError(`Invalid "${name}" ${where}: expected a string, got ${Array.isArray(value) ? 'a list' : typeof value}.`);
  }
  return typed as BuildExecutorSchema;
}

/** Resolves defaults and validates every option before anything runs. Throws UserFacingError naming the fix. */
export function normalizeOptions(
  options: BuildExecutorSchema,
  target: BuildTarget,
  env: Readonly<Record<string, string | undefined>> = process.env,
  /** Whether a program is on PATH (a run passes one lookup for all its tasks: engine-kind.ts onPathOnce). */
  onPath: (program: string) => boolean = (program) => isOnPath(program, env),
): NormalizedBuildOptions {
  const { workspaceRoot, projectRoot, projectName, targetName } = target;
  const where = `in the "${targetName}" options of project "${projectName}"`;
  const fail = (message: string): never => {
    throw new UserFacingError(message);
  };

  // The schema lets unknown options through (Nx's own check crashes batch mode with an unhandled SchemaError), so
  // they are refused here, in single and batch mode alike, with the option meant.
  for (const name of Object.keys(options)) {
    if (BUILD_OPTION_NAMES.includes(name as keyof BuildExecutorSchema) || NX_OWN_OPTIONS.includes(name) || name.startsWith('__')) continue;
    const meant = closestName(name, BUILD_OPTION_NAMES);
    fail(
      `Unknown option "${name}" ${where} (from the command line or the target's options).${meant ? ` Did you mean "${meant}"?` : ''} nx-buildkit:build takes: ${BUILD_OPTION_NAMES.join(', ')}.`,
    );
  }

  options = withCommandLineTypes(options, where);

  const context = resolveInsideWorkspace(workspaceRoot, options.context ?? projectRoot, 'context', where);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    fail(`Build context "${rel(workspaceRoot, context)}" does not exist or is not a folder. Set "context" ${where} to a folder relative to the workspace root.`);
  }

  const dockerfile = options.dockerfile
    ? resolveInsideWorkspace(workspaceRoot, options.dockerfile, 'dockerfile', where)
    : findDefaultDockerfile(workspaceRoot, projectRoot, where);
  if (!dockerfile) {
    return fail(
      `No Dockerfile found in "${projectRoot || '.'}" (looked for ${DEFAULT_DOCKERFILE_NAMES.join(', ')}). Set "dockerfile" ${where}, or run "nx g nx-buildkit:backend ${projectName}" to write one.`,
    );
  }
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    fail(`Dockerfile "${rel(workspaceRoot, dockerfile)}" not found. Set "dockerfile" ${where} to an existing file, or run "nx g nx-buildkit:backend ${projectName}" to write one.`);
  }

  if (options.registry !== undefined && !isValidRegistry(options.registry)) {
    fail(`Invalid "registry" "${options.registry}" ${where}: use a host with an optional port and path, e.g. "localhost:5000" or "ghcr.io/acme".`);
  }
  const { image, repository } = targetImageRepository(options, projectName, workspaceRoot);
  if (splitReference(image).tag !== undefined || image.includes('@')) {
    fail(`Invalid "image" "${image}" ${where}: give the repository without a tag or digest (e.g. "acme/api") and put tags in "tags".`);
  }
  const registryCache = options.registry !== undefined ? `${repository}:${REGISTRY_CACHE_TAG}` : undefined;
  if (!isValidRepository(repository)) {
    fail(`Invalid "image" "${image}" ${where}: an image name is lowercase letters, digits and separators (. _ -), with "/" between components, e.g. "acme/api".`);
  }

  const requestedTags = stringList(options.tags, 'tags', where, true);
  const tags = (requestedTags.length ? requestedTags : [...BUILD_OPTIONS.tags.default]).map((tag) => {
    if (typeof tag !== 'string' || tag.length === 0) return fail(`Invalid entry in "tags" ${where}: tags must be non-empty strings.`);
    const asRef = splitReference(tag);
    if (tag.includes('/') || (asRef.tag !== undefined && tag.includes(':'))) {
      if (asRef.tag === undefined || !isValidTag(asRef.tag) || !isValidRepository(asRef.repository)) {
        fail(`Invalid image reference "${tag}" in "tags" ${where}: use "repository:tag", e.g. "ghcr.io/acme/api:1.2.3".`);
      }
      return tag;
    }
    if (!isValidTag(tag)) {
      fail(`Invalid tag "${tag}" in "tags" ${where}: a tag is up to 128 letters, digits, "_", "." and "-", not starting with "." or "-".`);
    }
    return `${repository}:${tag}`;
  });

  const buildArgs = stringRecord(options.buildArgs, 'buildArgs', where);
  for (const name of stringList(options.buildArgsFromEnv, 'buildArgsFromEnv', where, true)) {
    if (name in buildArgs) fail(`Build arg "${name}" is in both "buildArgs" and "buildArgsFromEnv" ${where}: keep it in one of them.`);
    const value = env[name];
    if (value === undefined) {
      fail(`Build arg "${name}" comes from the environment ("buildArgsFromEnv" ${where}), but the variable ${name} is not set. Set it, or remove "${name}" from "buildArgsFromEnv".`);
    }
    buildArgs[name] = value as string;
  }
  for (const name of Object.keys(buildArgs)) {
    if (!BUILD_ARG_NAME.test(name)) fail(`Invalid build arg name "${name}" in "buildArgs" ${where}: use letters, digits and "_", not starting with a digit.`);
  }
  const labels = stringRecord(options.labels, 'labels', where);
  for (const name of Object.keys(labels)) {
    if (name.trim() === '' || name.includes('=')) fail(`Invalid label name "${name}" in "labels" ${where}: label keys are non-empty and contain no "=".`);
  }

  const platforms = stringList(options.platforms, 'platforms', where, true);
  for (const platform of platforms) {
    if (!isValidPlatform(platform)) fail(`Invalid platform "${platform}" in "platforms" ${where}: use "os/arch" or "os/arch/variant", e.g. "linux/amd64" or "linux/arm64".`);
  }

  const secretEntries = stringList(options.secrets, 'secrets', where);
  const secretSpecs = secretEntries.map((secret) => parseSecretSpec(secret) ?? fail(`Invalid entry in "secrets" ${where}: use "id=NAME,src=PATH" or "id=NAME,env=VARIABLE", optionally with "required=false" (the entry is not printed, it may hold a secret).`));
  // A secret whose source is missing fails here, before anything runs; with required=false it is left out of the build
  // (a RUN --mount=type=secret without required=true then runs without it).
  const secrets = secretEntries.filter((secret, i) => {
    const spec = secretSpecs[i];
    const missing = missingSecretSource(spec, env, (path) => existsSync(resolve(workspaceRoot, path)));
    if (missing && spec.required) fail(`Secret "${spec.id}" ${where}: ${missing}. Set it, or add "required=false" to the entry to build without the secret.`);
    return !missing;
  }).map(buildxSecretSpec);

  if (options.target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(options.target)) {
    fail(`Invalid "target" "${options.target}" ${where}: give the name of a stage (FROM … AS <name>).`);
  }
  const progress: ProgressMode = options.progress ?? BUILD_OPTIONS.progress.default;
  if (!PROGRESS_MODES.includes(progress)) fail(`Invalid "progress" "${String(progress)}" ${where}: use one of ${PROGRESS_MODES.join(', ')}.`);

  const engineKinds = BUILD_OPTIONS.engine.enum;
  if (options.engine !== undefined && !engineKinds.includes(options.engine)) {
    fail(`Invalid "engine" "${String(options.engine)}" ${where}: use ${engineKinds.map((kind) => `"${kind}"`).join(' or ')}.`);
  }
  const engine = chooseEngine(options.engine, onPath);
  const podman = engine === 'podman' ? podmanLimits({ ...options, platforms }) : {};
  if (podman.refusal) fail(`${podman.refusal} (${where})`);

  const push = options.push ?? BUILD_OPTIONS.push.default;
  if (push && !options.registry && !hasRegistryHost(repository)) {
    fail(`"push" is true ${where} but the image "${repository}" names no registry. Set "registry" (e.g. "localhost:5000") or an "image" that starts with a registry host.`);
  }
  // An image in an engine's image list is one platform's image (buildx: "docker exporter does not currently support
  // exporting manifest lists"); a multi-platform image is an index, which lives in a registry. So several platforms
  // load nothing by default, and an explicit load is refused before anything is built or tagged.
  const multiPlatform = platforms.length > 1;
  if (multiPlatform && options.load === true) {
    fail(
      `"load" is true ${where} with several platforms (${platforms.join(', ')}), but an engine's image holds one platform: a multi-platform image is an index that only a registry keeps. Set "push": true with a "registry" to push one index, or load one platform for local use (--platforms=${platforms[0]} --load).`,
    );
  }
  const recordDir = resolveInsideWorkspace(workspaceRoot, options.recordDir ?? BUILD_OPTIONS.recordDir.default, 'recordDir', where);
  // The run writes there: a folder (or an ancestor) that is a symlink out of the workspace is outside it.
  const realRecordDir = realPathOfNearestAncestor(recordDir);
  if (!isInside(realPathOfNearestAncestor(workspaceRoot), realRecordDir)) {
    fail(`"recordDir" "${options.recordDir ?? BUILD_OPTIONS.recordDir.default}" ${where} leads outside the workspace through a symlink (to ${realRecordDir}). Use a folder inside the workspace that is not a link out of it.`);
  }

  return {
    ...target,
    dockerfile,
    context,
    repository,
    tags: [...new Set(tags)],
    buildArgs,
    target: options.target,
    platforms,
    labels,
    secrets,
    ssh: stringList(options.ssh, 'ssh', where),
    // With a registry, the layer cache lives beside the image: any machine's build reads what another one wrote.
    // The user's cacheFrom / cacheTo (an empty list included) replace these defaults.
    cacheFrom: options.cacheFrom !== undefined ? stringList(options.cacheFrom, 'cacheFrom', where) : registryCache ? [`type=registry,ref=${registryCache}`] : [],
    cacheTo: stringList(options.cacheTo, 'cacheTo', where),
    registryCacheTo: options.cacheTo === undefined && registryCache ? `type=registry,ref=${registryCache},mode=max` : undefined,
    engine,
    engineNotice: podman.notice,
    builder: options.builder,
    push,
    load: options.load ?? (!push && !multiPlatform),
    pull: options.pull ?? BUILD_OPTIONS.pull.default,
    noCache: options.noCache ?? BUILD_OPTIONS.noCache.default,
    explain: options.explain ?? BUILD_OPTIONS.explain.default,
    shard: normalizeShard(options.shard, where),
    progress,
    checkRegistry: push || options.registry !== undefined,
    recordDir,
    recordPath: join(recordDir, safeSegment(projectName), `${safeSegment(targetName)}.json`),
  };
}

/** The project's one Dockerfile; with several, which one is meant must be said (the inferred targets always say it). */
function findDefaultDockerfile(workspaceRoot: string, projectRoot: string, where: string): string | undefined {
  const found = findDefaultDockerfiles(projectRoot, (path) => existsSync(join(workspaceRoot, path)));
  if (found.length > 1) {
    throw new UserFacingError(`Project root "${projectRoot || '.'}" has several Dockerfiles (${found.join(', ')}). Set "dockerfile" ${where} to the one this target builds.`);
  }
  return found.length ? join(workspaceRoot, found[0]) : undefined;
}

function resolveInsideWorkspace(workspaceRoot: string, value: unknown, option: string, where: string): string {
  if (typeof value !== 'string') throw new UserFacingError(`Invalid "${option}" ${where}: expected a path relative to the workspace root.`);
  const abs = isAbsolute(value) ? value : resolve(workspaceRoot, value);
  if (!isInside(workspaceRoot, abs)) {
    throw new UserFacingError(`"${option}" "${value}" ${where} is outside the workspace (${workspaceRoot}). Use a path inside the workspace, relative to its root.`);
  }
  return abs;
}

function isInside(folder: string, path: string): boolean {
  const fromFolder = relative(folder, path);
  return !(fromFolder === '..' || fromFolder.startsWith(`..${sep}`) || isAbsolute(fromFolder));
}

function stringRecord(value: unknown, option: string, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserFacingError(`Invalid "${option}" ${where}: expected an object of names to string values.`);
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new UserFacingError(`Invalid value for "${key}" in "${option}" ${where}: expected a string, got ${typeof v}.`);
    out[key] = v;
  }
  return out;
}

/**
 * A list option as Nx hands it over: a list from the target's options, or one value from the command line (the schema
 * takes a string or a number there too, see schema.json: Nx would split a value on commas, and crashes batch mode on
 * `--tags=5`). Names (tags, platforms, env var names) given as one value are split on commas; specs whose commas are
 * part of the value (`--secrets=id=npm,env=NPM_TOKEN`, `--cacheFrom=type=registry,ref=…`) are one entry.
 */
function stringList(value: unknown, option: string, where: string, commaSeparated = false): string[] {
  if (value === undefined) return [];
  if (typeof value === 'number') return [String(value)];
  if (typeof value === 'string') return commaSeparated ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : [value];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new UserFacingError(`Invalid "${option}" ${where}: expected a list of strings.`);
  }
  return value.map(String);
}

function rel(workspaceRoot: string, abs: string): string {
  return relative(workspaceRoot, abs) || '.';
}

/** A project or target name as one path segment (`@acme/api` → `@acme__api`). */
function safeSegment(name: string): string {
  return name.replace(/[/\\]/g, '__');
}

function normalizeShard(value: unknown, where: string): Shard | undefined {
  if (value === undefined) return undefined;
  const shard = parseShard(String(value));
  if (!shard) throw new UserFacingError(`Invalid "shard" "${String(value)}" ${where}: use i/n with 1 ≤ i ≤ n, e.g. --shard=1/2 on the first of two machines.`);
  return shard;
}
