import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '../../errors';
import { BUILD_OPTION_NAMES, BuildTarget, normalizeOptions } from './normalize-options';
import type { BuildExecutorSchema } from './build-options';

let root: string;
let target: BuildTarget;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nxb-ws-'));
  mkdirSync(join(root, 'apps/api'), { recursive: true });
  writeFileSync(join(root, 'apps/api/Dockerfile'), 'FROM node:20\n');
  target = { workspaceRoot: root, projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-build' };
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The UserFacingError message normalizeOptions throws for these options (fails the test if it does not throw one). */
function rejection(options: BuildExecutorSchema, buildTarget: BuildTarget = target): string {
  try {
    normalizeOptions(options, buildTarget);
  } catch (error) {
    expect(error).toBeInstanceOf(UserFacingError);
    return (error as Error).message;
  }
  throw new Error(`normalizeOptions accepted ${JSON.stringify(options)}`);
}

describe('normalizeOptions defaults', () => {
  it('finds the Dockerfile in the project root and derives everything else', () => {
    // No engine on PATH: docker, whose missing CLI is reported before a build.
    expect(normalizeOptions({}, target, { PATH: '' })).toEqual({
      ...target,
      dockerfile: join(root, 'apps/api/Dockerfile'),
      context: join(root, 'apps/api'),
      repository: 'api',
      tags: ['api:latest'],
      buildArgs: {},
      target: undefined,
      platforms: [],
      labels: {},
      secrets: [],
      ssh: [],
      cacheFrom: [],
      cacheTo: [],
      engine: 'docker',
      builder: undefined,
      push: false,
      load: true,
      pull: false,
      noCache: false,
      explain: false,
      progress: 'auto',
      checkRegistry: false,
      recordDir: join(root, 'dist/docker'),
      recordPath: join(root, 'dist/docker/api/docker-build.json'),
    });
  });

  it('builds with the engine the options name, else docker when it is on PATH, else podman when only it is', () => {
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'podman'), '#!/bin/sh\n', { mode: 0o755 });
    expect(normalizeOptions({}, target, { PATH: bin }).engine).toBe('podman');
    expect(normalizeOptions({ engine: 'docker' }, target, { PATH: bin }).engine).toBe('docker');
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\n', { mode: 0o755 });
    expect(normalizeOptions({}, target, { PATH: bin }).engine).toBe('docker');
    expect(normalizeOptions({ engine: 'podman' }, target, { PATH: bin }).engine).toBe('podman');
  });

  it('says in one line what podman leaves undone, and refuses several platforms with podman', () => {
    const options = normalizeOptions({ engine: 'podman', builder: 'ci', registry: 'localhost:5000' }, target, { PATH: '' });
    expect(options.engineNotice).toMatch(/^nx-buildkit: podman does not do "builder" ci .*; the registry layer cache/);
    expect(normalizeOptions({ engine: 'docker', builder: 'ci' }, target, { PATH: '' }).engineNotice).toBeUndefined();
    expect(rejection({ engine: 'podman', platforms: ['linux/amd64', 'linux/arm64'] })).toMatch(/^podman cannot build "platforms" linux\/amd64,linux\/arm64 .* \(in the "docker-build" options of project "api"\)$/);
    expect(rejection({ engine: 'podmn' as never })).toBe('Invalid "engine" "podmn" in the "docker-build" options of project "api": use "docker" or "podman".');
  });

  it.each(['Dockerfile.prod', 'Dockerfile.frontend'])('finds a lone %s too', (name) => {
    rmSync(join(root, 'apps/api/Dockerfile'));
    writeFileSync(join(root, `apps/api/${name}`), '');
    expect(normalizeOptions({}, target).dockerfile).toBe(join(root, `apps/api/${name}`));
  });

  it('names the image and the record after a scoped project name', () => {
    const options = normalizeOptions({}, { ...target, projectName: '@acme/api' });
    expect(options.repository).toBe('acme-api');
    expect(options.tags).toEqual(['acme-api:latest']);
    expect(options.recordPath).toBe(join(root, 'dist/docker/@acme__api/docker-build.json'));
  });

  it('resolves dockerfile, context and recordDir relative to the workspace root', () => {
    mkdirSync(join(root, 'docker'));
    writeFileSync(join(root, 'docker/api.Dockerfile'), '');
    const options = normalizeOptions({ dockerfile: 'docker/api.Dockerfile', context: '.', recordDir: 'out/records' }, target);
    expect(options).toMatchObject({
      dockerfile: join(root, 'docker/api.Dockerfile'),
      context: root,
      recordPath: join(root, 'out/records/api/docker-build.json'),
    });
  });
});

describe('normalizeOptions images and tags', () => {
  it('qualifies the image and the tags with the registry, and checks the registry', () => {
    const options = normalizeOptions({ registry: 'localhost:5000', tags: ['latest', '1.2.3'] }, target);
    expect(options).toMatchObject({
      repository: 'localhost:5000/api',
      tags: ['localhost:5000/api:latest', 'localhost:5000/api:1.2.3'],
      checkRegistry: true,
    });
  });

  it('takes list options from the command line as Nx hands them over: a number, comma-separated names, one spec', () => {
    expect(normalizeOptions({ tags: 42 as unknown as string[] }, target).tags).toEqual(['api:42']);
    expect(normalizeOptions({ tags: 'v1, v2' as unknown as string[] }, target).tags).toEqual(['api:v1', 'api:v2']);
    expect(normalizeOptions({ platforms: 'linux/amd64,linux/arm64' as unknown as string[] }, target).platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(normalizeOptions({ secrets: 'id=npm,env=NPM_TOKEN' as unknown as string[] }, target, { NPM_TOKEN: 'x' }).secrets).toEqual(['id=npm,env=NPM_TOKEN']);
    expect(normalizeOptions({ cacheFrom: 'type=registry,ref=localhost:5000/api:c' as unknown as string[] }, target).cacheFrom).toEqual(['type=registry,ref=localhost:5000/api:c']);
    expect(() => normalizeOptions({ tags: [{}] as unknown as string[] }, target)).toThrow(/Invalid "tags" .*expected a list of strings/);
  });

  it('takes values typed on a command line: numbers as strings, "true"/"false" as booleans', () => {
    expect(normalizeOptions({ target: 2 as unknown as string, pull: 'true' as unknown as boolean, noCache: 'false' as unknown as boolean }, target)).toMatchObject({ target: '2', pull: true, noCache: false });
    expect(() => normalizeOptions({ pull: 'maybe' as unknown as boolean }, target)).toThrow(/^Invalid "pull" "maybe" in the "docker-build" options of project "api": use true or false \(--pull, --pull=false\)\.$/);
    expect(() => normalizeOptions({ image: ['a'] as unknown as string }, target)).toThrow(/^Invalid "image" .*expected a string, got a list\.$/);
  });

  it('reads and writes the registry layer cache beside the image when a registry is set', () => {
    expect(normalizeOptions({ registry: 'localhost:5000' }, target)).toMatchObject({
      cacheFrom: ['type=registry,ref=localhost:5000/api:buildcache'],
      cacheTo: [],
      registryCacheTo: 'type=registry,ref=localhost:5000/api:buildcache,mode=max',
    });
    expect(normalizeOptions({}, target)).toMatchObject({ cacheFrom: [], cacheTo: [], registryCacheTo: undefined });
  });

  it('lets the user’s cacheFrom and cacheTo replace the registry cache, an empty list included', () => {
    const options = normalizeOptions({ registry: 'localhost:5000', cacheFrom: ['type=local,src=/c'], cacheTo: [] }, target);
    expect(options).toMatchObject({ cacheFrom: ['type=local,src=/c'], cacheTo: [], registryCacheTo: undefined });
    expect(normalizeOptions({ registry: 'localhost:5000', cacheFrom: [] }, target).cacheFrom).toEqual([]);
  });

  it('does not qualify an image that already names the registry', () => {
    expect(normalizeOptions({ registry: 'ghcr.io/acme', image: 'ghcr.io/acme/api' }, target).repository).toBe('ghcr.io/acme/api');
  });

  it('keeps full references among the tags, and removes duplicates', () => {
    const options = normalizeOptions({ image: 'acme/api', tags: ['dev', 'ghcr.io/acme/api:1.2.3', 'localhost:5000/api:x', 'dev'] }, target);
    expect(options.tags).toEqual(['acme/api:dev', 'ghcr.io/acme/api:1.2.3', 'localhost:5000/api:x']);
  });

  it('pushes to a registry named by the image, without loading by default', () => {
    expect(normalizeOptions({ image: 'localhost:5000/api', push: true }, target)).toMatchObject({ push: true, load: false, checkRegistry: true });
    expect(normalizeOptions({ registry: 'localhost:5000', push: true, load: true }, target)).toMatchObject({ push: true, load: true });
  });

  it('loads one platform by default, and nothing with several (an engine image holds one platform)', () => {
    expect(normalizeOptions({ platforms: ['linux/arm64'] }, target)).toMatchObject({ load: true, push: false });
    expect(normalizeOptions({ platforms: ['linux/amd64', 'linux/arm64'] }, target)).toMatchObject({ load: false, push: false });
    expect(normalizeOptions({ platforms: ['linux/amd64', 'linux/arm64'], registry: 'localhost:5000', push: true }, target)).toMatchObject({ load: false, push: true });
    expect(normalizeOptions({ platforms: ['linux/amd64', 'linux/arm64'], load: false }, target).load).toBe(false);
  });
});

describe('normalizeOptions rejections', () => {
  it('rejects a missing Dockerfile, pointing at the generator', () => {
    rmSync(join(root, 'apps/api/Dockerfile'));
    const message = rejection({});
    expect(message).toContain('"dockerfile"');
    expect(message).toContain('nx g nx-buildkit:backend api');
    expect(rejection({ dockerfile: 'apps/api/Nope.Dockerfile' })).toMatch(/Dockerfile "apps\/api\/Nope.Dockerfile" not found.*"dockerfile".*nx g nx-buildkit:backend/);
  });

  it('rejects a context or Dockerfile outside the workspace', () => {
    expect(rejection({ context: '../elsewhere' })).toMatch(/"context" "\.\.\/elsewhere" .* is outside the workspace/);
    expect(rejection({ context: tmpdir() })).toContain('outside the workspace');
    expect(rejection({ dockerfile: '../Dockerfile' })).toMatch(/"dockerfile" .* outside the workspace/);
  });

  it('rejects a context that does not exist', () => {
    expect(rejection({ context: 'apps/missing' })).toMatch(/context "apps\/missing" does not exist.*"context"/);
  });

  // BUG: resolveInsideWorkspace tests `relative(...).startsWith('..')`, so a folder inside the workspace whose name starts
  // with ".." (here "..cache") is taken for a path outside it.
  it('accepts a folder inside the workspace whose name starts with ".."', () => {
    mkdirSync(join(root, '..cache'));
    expect(normalizeOptions({ context: '..cache' }, target).context).toBe(join(root, '..cache'));
  });

  it.each<[string, BuildExecutorSchema, RegExp]>([
    ['image with uppercase', { image: 'Acme/Api' }, /Invalid "image" "Acme\/Api"/],
    ['image with a tag', { image: 'acme/api:1.0' }, /Invalid "image" "acme\/api:1.0".*"tags"/],
    ['image with a digest', { image: 'acme/api@sha256:abc' }, /Invalid "image"/],
    ['invalid registry', { registry: 'https://ghcr.io' }, /Invalid "registry" "https:\/\/ghcr.io"/],
    ['tag with spaces', { tags: ['my tag'] }, /Invalid tag "my tag" in "tags"/],
    ['tag starting with "."', { tags: ['.hidden'] }, /Invalid tag "\.hidden" in "tags"/],
    ['empty tag', { tags: [''] }, /"tags"/],
    ['full reference with an invalid tag', { tags: ['ghcr.io/acme/api:bad tag'] }, /Invalid image reference "ghcr.io\/acme\/api:bad tag" in "tags"/],
    ['full reference without a tag', { tags: ['ghcr.io/acme/api'] }, /Invalid image reference "ghcr.io\/acme\/api" in "tags"/],
    ['platform without arch', { platforms: ['linux'] }, /Invalid platform "linux" in "platforms"/],
    ['comma-joined platforms', { platforms: ['linux/amd64,linux/arm64'] }, /"platforms"/],
    ['secret without key=value', { secrets: ['foo'] }, /Invalid entry in "secrets"/],
    ['build arg name starting with a digit', { buildArgs: { '1X': 'v' } }, /Invalid build arg name "1X" in "buildArgs"/],
    ['build arg with a non-string value', { buildArgs: { X: 1 as unknown as string } }, /"X" in "buildArgs".*expected a string/],
    ['label name with "="', { labels: { 'a=b': 'c' } }, /Invalid label name "a=b" in "labels"/],
    ['target with spaces', { target: 'my stage' }, /Invalid "target" "my stage"/],
    ['unknown progress mode', { progress: 'fancy' as never }, /Invalid "progress" "fancy"/],
    ['load with several platforms', { platforms: ['linux/amd64', 'linux/arm64'], load: true }, /^"load" is true .* with several platforms \(linux\/amd64, linux\/arm64\), but an engine's image holds one platform: .* Set "push": true with a "registry" to push one index, or load one platform for local use \(--platforms=linux\/amd64 --load\)\.$/],
    ['load from the command line with several platforms', { platforms: 'linux/amd64,linux/arm64' as unknown as string[], registry: 'localhost:5000', push: true, load: 'true' as unknown as boolean }, /^"load" is true .*several platforms/],
    ['platforms not a list of strings', { platforms: { os: 'linux' } as unknown as string[] }, /Invalid "platforms".*list of strings/],
    ['push without registry', { push: true }, /"push" is true .* "api" names no registry.*"registry"/],
  ])('rejects %s, naming the option', (_what, options, message) => {
    expect(rejection(options)).toMatch(message);
  });

  it('names the project and target in the message', () => {
    expect(rejection({ tags: ['my tag'] })).toContain('in the "docker-build" options of project "api"');
  });

  it('never prints a rejected secret entry', () => {
    for (const secret of ['ghp_S3cr3tT0k3nValue', 'npm_token=S3cr3tT0k3nValue', 'id=npm,type=ssh,src=S3cr3tT0k3nValue']) {
      const message = rejection({ secrets: ['id=ok,src=.npmrc', secret] });
      expect(message).toContain('"secrets"');
      expect(message).not.toContain('S3cr3tT0k3nValue');
    }
  });
});

describe('normalizeOptions — buildArgsFromEnv', () => {
  const root = mkdtempSync(join(tmpdir(), 'nxb-env-'));
  mkdirSync(join(root, 'apps/api'), { recursive: true });
  writeFileSync(join(root, 'apps/api/Dockerfile'), 'FROM scratch\n');
  const target = { workspaceRoot: root, projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-build' };
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads each listed build arg from the environment', () => {
    const normalized = normalizeOptions({ buildArgs: { A: '1' }, buildArgsFromEnv: ['GIT_SHA'] }, target, { GIT_SHA: 'abc123' });
    expect(normalized.buildArgs).toEqual({ A: '1', GIT_SHA: 'abc123' });
  });

  it('fails naming the variable when it is not set', () => {
    expect(() => normalizeOptions({ buildArgsFromEnv: ['GIT_SHA'] }, target, {})).toThrow(/variable GIT_SHA is not set/);
  });

  it('refuses a build arg given both ways', () => {
    expect(() => normalizeOptions({ buildArgs: { GIT_SHA: 'x' }, buildArgsFromEnv: ['GIT_SHA'] }, target, { GIT_SHA: 'y' })).toThrow(/both "buildArgs" and "buildArgsFromEnv"/);
  });
});

describe('normalizeOptions — several Dockerfiles in the project root', () => {
  it('asks which one to build instead of picking one silently', () => {
    const ws = mkdtempSync(join(tmpdir(), 'nxb-several-'));
    try {
      mkdirSync(join(ws, 'apps/api'), { recursive: true });
      writeFileSync(join(ws, 'apps/api/Dockerfile'), 'FROM scratch\n');
      writeFileSync(join(ws, 'apps/api/Dockerfile.prod'), 'FROM scratch\n');
      const several = { workspaceRoot: ws, projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-build' };
      expect(() => normalizeOptions({}, several)).toThrow(/several Dockerfiles \(apps\/api\/Dockerfile, apps\/api\/Dockerfile.prod\)\. Set "dockerfile"/);
      expect(normalizeOptions({ dockerfile: 'apps/api/Dockerfile.prod' }, several).dockerfile).toBe(join(ws, 'apps/api/Dockerfile.prod'));
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe('unknown options', () => {
  const schemaProperties = Object.keys((JSON.parse(readFileSync(join(__dirname, '../../../executors/build/schema.json'), 'utf8')) as { properties: Record<string, unknown> }).properties);

  it('are the schema properties exactly', () => {
    expect([...BUILD_OPTION_NAMES].sort()).toEqual([...schemaProperties].sort());
  });

  it('are refused with the option named and the closest valid one (a typo on the command line)', () => {
    expect(() => normalizeOptions({ registy: 'localhost:5000' } as never, target)).toThrow(
      /^Unknown option "registy" in the "docker-build" options of project "api" \(from the command line or the target's options\)\. Did you mean "registry"\?/,
    );
  });

  it("let Nx's own --verbose through (it arrives as verbose: true with --batch=false)", () => {
    expect(normalizeOptions({ verbose: true } as never, target).projectName).toBe('api');
  });

  it('are refused when Nx passes a flag it does not know (--no-interactive arrives as interactive: false)', () => {
    expect(() => normalizeOptions({ interactive: false } as never, target)).toThrow(/^Unknown option "interactive" .*nx-buildkit:build takes: dockerfile, context/);
  });
});
