import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildxBuildArgs, INPUTS_HASH_LABEL } from '../../engine/buildx-args';
import { BaseIdentityResolver } from '../identity/base-identity';
import { computeBuildInputs } from '../identity/build-inputs';
import type { BuildExecutorSchema } from './build-options';
import { normalizeOptions, NormalizedBuildOptions } from './normalize-options';
import { BUILD_OPTION_NAMES, BUILD_OPTIONS, BuildOptionName, CONTEXT_ARGUMENT } from './option-table';

/**
 * Every option declares whether it changes the image (option-table.ts `hashed`). Here that is proven through the real
 * code: options are normalized, hashed by computeBuildInputs (what plan.ts does) on a real temp workspace, and turned
 * into buildx arguments (what build.ts does). An option that reaches buildx but not the hash, while its row says
 * `hashed: true`, fails here; so does one that reaches buildx through a flag its row does not name.
 *
 * Adding an option: the compiler asks for it in `everyOption` and `anotherValue` below (two values that differ).
 */

/** Every option set (the compiler fails on a missing one): the build the other values are compared with. */
const everyOption: Required<BuildExecutorSchema> = {
  dockerfile: 'apps/api/Dockerfile',
  context: 'apps/api',
  image: 'acme/api',
  tags: ['1.0.0'],
  buildArgs: { MODE: 'one' },
  buildArgsFromEnv: ['FIRST_FROM_ENV'],
  target: 'one',
  platforms: ['linux/amd64'],
  labels: { team: 'one' },
  secrets: ['id=npm,env=NPM_TOKEN'],
  ssh: ['default'],
  cacheFrom: ['type=local,src=/tmp/cache-one'],
  cacheTo: ['type=local,dest=/tmp/cache-one'],
  engine: 'docker',
  builder: 'builder-one',
  push: false,
  load: true,
  pull: false,
  noCache: false,
  explain: false,
  shard: '1/2',
  progress: 'quiet',
  registry: 'localhost:5000',
  recordDir: 'dist/docker',
};

/** For each option, a value other than everyOption's (for the Dockerfile and the context: other bytes). */
const anotherValue: { [Name in BuildOptionName]: NonNullable<BuildExecutorSchema[Name]> } = {
  dockerfile: 'apps/api/Dockerfile.other',
  context: 'apps/other',
  image: 'acme/web',
  tags: ['2.0.0'],
  buildArgs: { MODE: 'two' },
  buildArgsFromEnv: ['SECOND_FROM_ENV'],
  target: 'two',
  platforms: ['linux/arm64'],
  labels: { team: 'two' },
  secrets: ['id=npm,env=OTHER_TOKEN'],
  ssh: ['key=/tmp/other-key'],
  cacheFrom: ['type=local,src=/tmp/cache-two'],
  cacheTo: ['type=local,dest=/tmp/cache-two'],
  engine: 'podman',
  builder: 'builder-two',
  push: true,
  load: false,
  pull: true,
  noCache: true,
  explain: true,
  shard: '2/2',
  progress: 'plain',
  registry: 'localhost:5001',
  recordDir: 'dist/other-records',
};

const env = { PATH: '', FIRST_FROM_ENV: 'from-env-one', SECOND_FROM_ENV: 'from-env-two', NPM_TOKEN: 'secret-one', OTHER_TOKEN: 'secret-two' };

/** buildx arguments that come from the executor itself, not from an option. */
const EXECUTOR_OWN_ARGUMENTS: readonly ((flag: string, value?: string) => boolean)[] = [
  // The executor reads step results from rawjson and renders its own progress lines.
  (flag) => flag === '--progress',
  // A temp file per build, where buildx writes the image ID and digest.
  (flag) => flag === '--metadata-file',
  // The inputs hash, on the image so that a later run finds it.
  (flag, value) => flag === '--label' && value?.startsWith(`${INPUTS_HASH_LABEL}=`) === true,
  // Named contexts the plan adds: pruned dependency manifests, pinned workspace bases.
  (flag) => flag === '--build-context',
];

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nxb-option-hashing-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('apps/api/Dockerfile', 'FROM scratch AS one\nCOPY app.txt /app.txt\n\nFROM one AS two\nARG MODE\n');
  write('apps/api/Dockerfile.other', 'FROM scratch AS one\nCOPY app.txt /srv/app.txt\n\nFROM one AS two\nARG MODE\n');
  write('apps/api/app.txt', 'api\n');
  write('apps/other/app.txt', 'other\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function normalize(options: BuildExecutorSchema): NormalizedBuildOptions {
  return normalizeOptions(options, { workspaceRoot: root, projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-build' }, env);
}

/** The inputs hash as plan.ts asks for it. FROM scratch only: no base image to identify, so no engine is asked. */
async function inputsHash(options: NormalizedBuildOptions): Promise<string> {
  const noEngine = {
    inspectImages: () => Promise.reject(new Error('no base image expected')),
    remoteDigest: () => Promise.reject(new Error('no base image expected')),
  };
  const inputs = await computeBuildInputs({ ...options, unhashedDirs: [options.recordDir], baseIdentities: new BaseIdentityResolver(noEngine) });
  return inputs.hash;
}

/** The buildx arguments as build.ts makes them (the registry layer cache where the builder can export one). */
function buildxArguments(options: NormalizedBuildOptions): string[] {
  return buildxBuildArgs({
    ...options,
    cacheTo: options.registryCacheTo ? [...options.cacheTo, options.registryCacheTo] : options.cacheTo,
    inputsHash: 'f'.repeat(64),
    metadataFile: '/tmp/nxb-build/metadata.json',
    buildContexts: { deps: '/tmp/nxb-deps' },
  });
}

interface BuildxArgument {
  readonly flag: string;
  readonly value?: string;
}

/** `buildx build` arguments as flags with their values; the context (the last argument) as CONTEXT_ARGUMENT. */
function parseBuildxArguments(args: readonly string[]): BuildxArgument[] {
  expect(args.slice(0, 2)).toEqual(['buildx', 'build']);
  const parsed: BuildxArgument[] = [];
  const last = args.length - 1;
  for (let i = 2; i < last; i++) {
    expect(args[i]).toMatch(/^--/);
    if (i + 1 < last && !args[i + 1].startsWith('--')) parsed.push({ flag: args[i], value: args[++i] });
    else parsed.push({ flag: args[i] });
  }
  parsed.push({ flag: CONTEXT_ARGUMENT, value: args[last] });
  return parsed;
}

const key = (argument: BuildxArgument) => `${argument.flag} ${argument.value ?? ''}`;

/** The arguments of one list that the other does not have (as many times as it has them fewer). */
function missingFrom(these: readonly BuildxArgument[], those: readonly BuildxArgument[]): BuildxArgument[] {
  const left = those.map(key);
  return these.filter((argument) => {
    const at = left.indexOf(key(argument));
    if (at === -1) return true;
    left.splice(at, 1);
    return false;
  });
}

function changedArguments(before: readonly BuildxArgument[], after: readonly BuildxArgument[]): BuildxArgument[] {
  return [...missingFrom(before, after), ...missingFrom(after, before)];
}

const isExecutorOwn = (argument: BuildxArgument) => EXECUTOR_OWN_ARGUMENTS.some((own) => own(argument.flag, argument.value));

/**
 * Starting points: every option set, and every option set except those whose default is derived from other options
 * (the registry layer cache, load), so that flags coming from derived defaults are attributed too.
 */
const { cacheFrom: _cacheFrom, cacheTo: _cacheTo, load: _load, ...derivedDefaults } = everyOption;
const baselines: [string, BuildExecutorSchema][] = [
  ['every option set', everyOption],
  ['derived defaults', derivedDefaults],
];

describe.each(baselines)('options and the buildx arguments they become (%s)', (_baseline, baseline) => {
  let baseArguments: BuildxArgument[];
  let changedBy: Map<BuildOptionName, BuildxArgument[]>;
  beforeAll(() => {
    baseArguments = parseBuildxArguments(buildxArguments(normalize(baseline)));
    changedBy = new Map(BUILD_OPTION_NAMES.map((name) => [name, changedArguments(baseArguments, parseBuildxArguments(buildxArguments(normalize({ ...baseline, [name]: anotherValue[name] }))))]));
  });

  it.each(BUILD_OPTION_NAMES)('"%s" changes only the flags its row names', (name) => {
    const undeclared = (changedBy.get(name) ?? []).filter((argument) => !(BUILD_OPTIONS[name].buildxFlags as readonly string[]).includes(argument.flag));
    expect(undeclared).toEqual([]);
  });

  it('every argument comes from an option whose row names its flag, or from the executor itself', () => {
    const unattributed = baseArguments.filter(
      (argument) =>
        !isExecutorOwn(argument) &&
        !BUILD_OPTION_NAMES.some((name) => (BUILD_OPTIONS[name].buildxFlags as readonly string[]).includes(argument.flag) && (changedBy.get(name) ?? []).some((changed) => key(changed) === key(argument))),
    );
    expect(unattributed).toEqual([]);
  });
});

describe('options that reach buildx', () => {
  it.each(BUILD_OPTION_NAMES.filter((name) => BUILD_OPTIONS[name].buildxFlags.length > 0))('"%s" does change the buildx arguments its row says', (name) => {
    const before = parseBuildxArguments(buildxArguments(normalize(everyOption)));
    const after = parseBuildxArguments(buildxArguments(normalize({ ...everyOption, [name]: anotherValue[name] })));
    expect(changedArguments(before, after).length).toBeGreaterThan(0);
  });
});

describe('options and the inputs hash', () => {
  let baseHash: string;
  beforeAll(async () => {
    baseHash = await inputsHash(normalize(everyOption));
  });

  it.each(BUILD_OPTION_NAMES.filter((name) => BUILD_OPTIONS[name].hashed))('"%s" is hashed: another value gives another hash', async (name) => {
    expect(await inputsHash(normalize({ ...everyOption, [name]: anotherValue[name] }))).not.toBe(baseHash);
  });

  it.each(BUILD_OPTION_NAMES.filter((name) => !BUILD_OPTIONS[name].hashed))('"%s" is not hashed: another value gives the same hash', async (name) => {
    expect(await inputsHash(normalize({ ...everyOption, [name]: anotherValue[name] }))).toBe(baseHash);
  });

  it('gives the same hash for the same options (the comparisons above are not noise)', async () => {
    expect(await inputsHash(normalize({ ...everyOption }))).toBe(baseHash);
  });
});
