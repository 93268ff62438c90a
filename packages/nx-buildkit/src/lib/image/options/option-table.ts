/**
 * Every option of nx-buildkit:build, once: its type, its default, where it is validated, the buildx flags it becomes,
 * and whether it changes the image (hashed) or not.
 *
 * Adding an option:
 * 1. Add its row here (the key order is the order "Unknown option" messages list the options in). BuildExecutorSchema
 *    (build-options.ts) is derived from the rows, so the option is typed everywhere at once.
 * 2. Add its property to executors/build/schema.json (the type Nx checks, the description users read; `default` for a
 *    plain default, "One of: …" for an enum). option-table.spec.ts fails until the two agree.
 * 3. Validate it in normalize-options.ts (booleans and strings typed on the command line are coerced from this table)
 *    and, if it reaches BuildKit, pass it in lib/engine/buildx-args.ts.
 * 4. If it changes the image, let lib/image/identity/build-inputs.ts hash it. option-hashing.spec.ts then asks for two
 *    values of the option and fails when a `hashed: true` option does not change the inputs hash, when a
 *    `hashed: false` one does, and when a buildx flag comes from an option whose row does not name that flag.
 */
import { ENGINE_KINDS } from '../../engine/engine-kind';

/** How an option's value is written: `list` takes one value from the command line too, `record` only from project.json. */
export type OptionKind = 'string' | 'boolean' | 'list' | 'record';

export interface BuildOptionRow {
  readonly kind: OptionKind;
  /** The only values taken, when there is such a list (schema.json says them as "One of: …"). */
  readonly enum?: readonly string[];
  /** The value when the option is not set, when it is a constant (schema.json's `default`, or its description's "Default: …" for a list). */
  readonly default?: string | boolean | readonly string[];
  /** The value when not set, when it is derived from other things (the project, other options). */
  readonly derivedDefault?: string;
  /** Where the value is checked beyond its kind. */
  readonly validation: string;
  /** The `docker buildx build` flags the option decides (the context is the last, positional, argument). */
  readonly buildxFlags: readonly string[];
  /** Whether it is part of the inputs hash: a change gives a new hash, hence a build instead of a skip. */
  readonly hashed: boolean;
  /** Why it is hashed, or why a change of it needs no new image. */
  readonly why: string;
}

/** The context is passed as buildx's last argument, not behind a flag. */
export const CONTEXT_ARGUMENT = '<context>';

export const BUILD_OPTIONS = {
  dockerfile: {
    kind: 'string',
    derivedDefault: 'the one Dockerfile of the project root (DEFAULT_DOCKERFILE_NAMES, findDefaultDockerfile)',
    validation: 'normalizeOptions: a file inside the workspace',
    buildxFlags: ['--file'],
    hashed: true,
    why: 'its bytes are the build recipe (hashed as content, so a moved but equal Dockerfile keeps its hash)',
  },
  context: {
    kind: 'string',
    derivedDefault: 'the project root',
    validation: 'normalizeOptions: a folder inside the workspace',
    buildxFlags: [CONTEXT_ARGUMENT],
    hashed: true,
    why: 'the files it sends that the Dockerfile reads are hashed (by content, not by folder name)',
  },
  image: {
    kind: 'string',
    derivedDefault: 'the project name as an image name, under the workspace namespace (defaultRepository)',
    validation: 'normalizeOptions: a repository without tag (isValidRepository)',
    buildxFlags: ['--tag', '--cache-from', '--cache-to'],
    hashed: false,
    why: 'a name given to the image, not part of it (the same image may carry several names)',
  },
  tags: {
    kind: 'list',
    default: ['latest'],
    validation: 'normalizeOptions: isValidTag, or a full reference',
    buildxFlags: ['--tag'],
    hashed: false,
    why: 'names given to the image, applied to a skipped image too',
  },
  buildArgs: {
    kind: 'record',
    validation: 'normalizeOptions: names match BUILD_ARG_NAME, values are strings',
    buildxFlags: ['--build-arg'],
    hashed: true,
    why: 'ARG values change what RUN steps do and which FROM images are used',
  },
  buildArgsFromEnv: {
    kind: 'list',
    validation: 'normalizeOptions: each variable set, not also in buildArgs',
    buildxFlags: ['--build-arg'],
    hashed: true,
    why: 'they are build args, whose values come from the environment',
  },
  target: {
    kind: 'string',
    validation: 'normalizeOptions: a stage name',
    buildxFlags: ['--target'],
    hashed: true,
    why: 'another stage is another image',
  },
  platforms: {
    kind: 'list',
    validation: 'isValidPlatform (lib/platform.ts)',
    // --load too: an unset load defaults to not loading several platforms (an engine image holds one).
    buildxFlags: ['--platform', '--load'],
    hashed: true,
    why: 'another set of platforms is another image (or index)',
  },
  labels: {
    kind: 'record',
    validation: 'normalizeOptions: keys non-empty without "="',
    buildxFlags: ['--label'],
    hashed: true,
    why: 'labels are part of the image config, so a changed label needs a new image',
  },
  secrets: {
    kind: 'list',
    validation: 'parseSecretSpec and missingSecretSource (secrets.ts)',
    buildxFlags: ['--secret'],
    hashed: false,
    why: 'secret values never reach the hash, the records or the labels; a secret must not change what is built',
  },
  ssh: {
    kind: 'list',
    validation: 'none: passed to buildx as given',
    buildxFlags: ['--ssh'],
    hashed: false,
    why: 'an agent socket or key to reach private sources with, like a secret',
  },
  cacheFrom: {
    kind: 'list',
    derivedDefault: 'with "registry": the registry layer cache beside the image',
    validation: 'none: passed to buildx as given',
    buildxFlags: ['--cache-from'],
    hashed: false,
    why: 'a cache only makes the build faster, it does not change the image',
  },
  cacheTo: {
    kind: 'list',
    derivedDefault: 'with "registry": the registry layer cache beside the image (registryCacheTo)',
    validation: 'none: passed to buildx as given',
    buildxFlags: ['--cache-to'],
    hashed: false,
    why: 'where the layer cache is written, not what the image is',
  },
  engine: {
    kind: 'string',
    enum: ENGINE_KINDS,
    derivedDefault: 'docker when on PATH, else podman when only it is (chooseEngine)',
    validation: 'normalizeOptions: ENGINE_KINDS, then podmanLimits',
    buildxFlags: [],
    hashed: true,
    why: 'Buildah and BuildKit make different images of the same inputs (hashed only when not docker, see HashInputs.engine)',
  },
  builder: {
    kind: 'string',
    validation: 'none: buildx names an unknown builder',
    buildxFlags: ['--builder'],
    hashed: false,
    why: 'which BuildKit instance runs the build, not what it builds',
  },
  push: {
    kind: 'boolean',
    default: false,
    validation: 'normalizeOptions: needs a registry',
    // --load too: an unset load defaults to not pushing.
    buildxFlags: ['--push', '--load'],
    hashed: false,
    why: 'where the image goes, not what it is',
  },
  load: {
    kind: 'boolean',
    derivedDefault: 'true unless pushing or building several platforms',
    validation: 'normalizeOptions: refused with several platforms',
    buildxFlags: ['--load'],
    hashed: false,
    why: 'where the image goes, not what it is',
  },
  pull: {
    kind: 'boolean',
    default: false,
    validation: 'kind only',
    buildxFlags: ['--pull'],
    hashed: false,
    why: 'it decides how FROM images are identified (what their registry holds now), and that identity is hashed; the flag itself is not',
  },
  noCache: {
    kind: 'boolean',
    default: false,
    validation: 'kind only',
    buildxFlags: ['--no-cache'],
    hashed: false,
    why: 'the same inputs built without the layer cache are the same image',
  },
  explain: {
    kind: 'boolean',
    default: false,
    validation: 'kind only',
    buildxFlags: [],
    hashed: false,
    why: 'builds nothing: it prints how the inputs differ from the last build',
  },
  shard: {
    kind: 'string',
    validation: 'parseShard (lib/image/shard.ts)',
    buildxFlags: [],
    hashed: false,
    why: 'which machine builds the image, not what it is',
  },
  progress: {
    kind: 'string',
    enum: ['auto', 'plain', 'tty', 'quiet', 'rawjson'],
    default: 'auto',
    validation: 'normalizeOptions: the enum',
    buildxFlags: [],
    hashed: false,
    why: 'how progress is shown (buildx always reports rawjson to the executor)',
  },
  registry: {
    kind: 'string',
    validation: 'isValidRegistry (lib/image/identity/image-ref.ts)',
    buildxFlags: ['--tag', '--cache-from', '--cache-to'],
    hashed: false,
    why: 'where the image is named, looked up and pushed, not what it is',
  },
  recordDir: {
    kind: 'string',
    default: 'dist/docker',
    validation: 'normalizeOptions: inside the workspace, also through symlinks',
    buildxFlags: [],
    hashed: false,
    why: 'where the run is recorded; its files are kept out of the hash even inside the context (unhashedDirs)',
  },
} as const satisfies Record<string, BuildOptionRow>;

export type BuildOptionName = keyof typeof BUILD_OPTIONS;

type ValueOfKind<Kind extends OptionKind> = Kind extends 'string' ? string : Kind extends 'boolean' ? boolean : Kind extends 'list' ? string[] : Record<string, string>;

/** The value type of a row: its enum's values, else its kind's type. */
export type BuildOptionValue<Name extends BuildOptionName> = (typeof BUILD_OPTIONS)[Name] extends { readonly enum: readonly (infer Value)[] }
  ? Value
  : ValueOfKind<(typeof BUILD_OPTIONS)[Name]['kind']>;

/** Every option name, in the table's order. */
export const BUILD_OPTION_NAMES = Object.keys(BUILD_OPTIONS) as BuildOptionName[];

/** The options of one kind, in the table's order (normalize-options coerces command-line values by kind). */
export function optionsOfKind(kind: OptionKind): BuildOptionName[] {
  return BUILD_OPTION_NAMES.filter((name) => BUILD_OPTIONS[name].kind === kind);
}
