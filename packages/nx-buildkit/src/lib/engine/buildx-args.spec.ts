import { buildxBuildArgs, BuildxBuildArgsInput, INPUTS_HASH_LABEL } from './buildx-args';

const minimal: BuildxBuildArgsInput = {
  dockerfile: '/ws/apps/api/Dockerfile',
  context: '/ws/apps/api',
  tags: ['api:latest'],
  inputsHash: 'f'.repeat(64),
  metadataFile: '/tmp/nxb/metadata.json',
  buildArgs: {},
  labels: {},
  platforms: [],
  secrets: [],
  ssh: [],
  cacheFrom: [],
  cacheTo: [],
  push: false,
  load: false,
  pull: false,
  noCache: false,
};

describe('buildxBuildArgs', () => {
  it('builds the minimal argv: file, rawjson progress, metadata file, tags, hash label, context last', () => {
    expect(buildxBuildArgs(minimal)).toEqual([
      'buildx', 'build',
      '--file', '/ws/apps/api/Dockerfile',
      '--progress', 'rawjson',
      '--metadata-file', '/tmp/nxb/metadata.json',
      '--tag', 'api:latest',
      '--label', `org.nx-buildkit.inputs-hash=${'f'.repeat(64)}`,
      '/ws/apps/api',
    ]);
    expect(INPUTS_HASH_LABEL).toBe('org.nx-buildkit.inputs-hash');
  });

  it('passes every option in a fixed order, build args and labels sorted by name', () => {
    const args = buildxBuildArgs({
      ...minimal,
      builder: 'ci-builder',
      tags: ['localhost:5000/api:latest', 'localhost:5000/api:1.2.3'],
      buildArgs: { VERSION: '1.2.3', NODE_ENV: 'production', A: '' },
      labels: { 'org.opencontainers.image.title': 'api', 'com.acme.team': 'core' },
      target: 'runtime',
      platforms: ['linux/amd64', 'linux/arm64'],
      secrets: ['id=npm,src=/home/me/.npmrc', 'id=token,env=GH_TOKEN'],
      ssh: ['default'],
      cacheFrom: ['type=registry,ref=localhost:5000/api:cache'],
      cacheTo: ['type=registry,ref=localhost:5000/api:cache,mode=max', 'type=inline'],
      pull: true,
      noCache: true,
      push: true,
      load: true,
    });
    expect(args).toEqual([
      'buildx', 'build',
      '--builder', 'ci-builder',
      '--file', '/ws/apps/api/Dockerfile',
      '--progress', 'rawjson',
      '--metadata-file', '/tmp/nxb/metadata.json',
      '--tag', 'localhost:5000/api:latest',
      '--tag', 'localhost:5000/api:1.2.3',
      '--build-arg', 'A=',
      '--build-arg', 'NODE_ENV=production',
      '--build-arg', 'VERSION=1.2.3',
      '--label', 'com.acme.team=core',
      '--label', 'org.opencontainers.image.title=api',
      '--label', `${INPUTS_HASH_LABEL}=${'f'.repeat(64)}`,
      '--target', 'runtime',
      '--platform', 'linux/amd64,linux/arm64',
      '--secret', 'id=npm,src=/home/me/.npmrc',
      '--secret', 'id=token,env=GH_TOKEN',
      '--ssh', 'default',
      '--cache-from', 'type=registry,ref=localhost:5000/api:cache',
      '--cache-to', 'type=registry,ref=localhost:5000/api:cache,mode=max',
      '--cache-to', 'type=inline',
      '--pull',
      '--no-cache',
      '--push',
      '--load',
      '/ws/apps/api',
    ]);
  });

  it('keeps values with spaces, quotes and shell syntax verbatim, one array element each', () => {
    const nasty = `a b 'c' "d" $(rm -rf /) \`id\`; echo x`;
    const args = buildxBuildArgs({
      ...minimal,
      dockerfile: '/ws/my app/Dockerfile',
      context: '/ws/my app',
      buildArgs: { MSG: nasty },
      labels: { note: nasty },
      secrets: [`id=s,src=/tmp/${nasty}`],
    });
    expect(args).toEqual([
      'buildx', 'build',
      '--file', '/ws/my app/Dockerfile',
      '--progress', 'rawjson',
      '--metadata-file', '/tmp/nxb/metadata.json',
      '--tag', 'api:latest',
      '--build-arg', `MSG=${nasty}`,
      '--label', `note=${nasty}`,
      '--label', `${INPUTS_HASH_LABEL}=${'f'.repeat(64)}`,
      '--secret', `id=s,src=/tmp/${nasty}`,
      '/ws/my app',
    ]);
  });

  it('hands named build contexts to BuildKit, sorted by name, just before the context', () => {
    expect(buildxBuildArgs({ ...minimal, buildContexts: { deps: '/ws/dist/docker/api/docker-build.deps', assets: '/ws/assets' } })).toEqual([
      'buildx', 'build',
      '--file', '/ws/apps/api/Dockerfile',
      '--progress', 'rawjson',
      '--metadata-file', '/tmp/nxb/metadata.json',
      '--tag', 'api:latest',
      '--label', `org.nx-buildkit.inputs-hash=${'f'.repeat(64)}`,
      '--build-context', 'assets=/ws/assets',
      '--build-context', 'deps=/ws/dist/docker/api/docker-build.deps',
      '/ws/apps/api',
    ]);
  });

  it('never adds the hash tag among the tags', () => {
    const args = buildxBuildArgs(minimal);
    expect(args.filter((a, i) => args[i - 1] === '--tag')).toEqual(['api:latest']);
  });
});
