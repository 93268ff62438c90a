import { podmanBuildArgs, podmanTransferArgs } from './build-args';

const base = {
  dockerfile: '/ws/apps/api/Dockerfile',
  context: '/ws/apps/api',
  tags: ['localhost:5000/api:latest', 'localhost:5000/api:nxb-0123456789abcdef'],
  inputsHash: 'a'.repeat(64),
  iidFile: '/tmp/x/iid',
  buildArgs: {},
  labels: {},
  platforms: [],
  secrets: [],
  ssh: [],
  pull: false,
  noCache: false,
};

describe('podmanBuildArgs', () => {
  it('builds in Docker format with the hash label, every tag and the context last', () => {
    expect(podmanBuildArgs(base)).toEqual([
      'build',
      '--file',
      '/ws/apps/api/Dockerfile',
      '--format',
      'docker',
      '--iidfile',
      '/tmp/x/iid',
      '--tag',
      'localhost:5000/api:latest',
      '--tag',
      'localhost:5000/api:nxb-0123456789abcdef',
      '--label',
      `org.nx-buildkit.inputs-hash=${'a'.repeat(64)}`,
      '/ws/apps/api',
    ]);
  });

  it('passes the ignore file, build args and labels sorted, target, platform, secrets, ssh, pull, no-cache and named contexts', () => {
    const args = podmanBuildArgs({
      ...base,
      tags: ['api:latest'],
      ignoreFile: '/ws/apps/api/Dockerfile.dockerignore',
      buildArgs: { B: '2', A: '1' },
      labels: { team: 'core' },
      target: 'runtime',
      platforms: ['linux/amd64'],
      secrets: ['id=npm,env=NPM_TOKEN'],
      ssh: ['default'],
      pull: true,
      noCache: true,
      buildContexts: { deps: '/ws/dist/docker/api/docker-build.deps' },
    });
    expect(args).toEqual([
      'build',
      '--file',
      '/ws/apps/api/Dockerfile',
      '--format',
      'docker',
      '--iidfile',
      '/tmp/x/iid',
      '--ignorefile',
      '/ws/apps/api/Dockerfile.dockerignore',
      '--tag',
      'api:latest',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=2',
      '--label',
      'team=core',
      '--label',
      `org.nx-buildkit.inputs-hash=${'a'.repeat(64)}`,
      '--target',
      'runtime',
      '--platform',
      'linux/amd64',
      '--secret',
      'id=npm,env=NPM_TOKEN',
      '--ssh',
      'default',
      '--pull=always',
      '--no-cache',
      '--build-context',
      'deps=/ws/dist/docker/api/docker-build.deps',
      '/ws/apps/api',
    ]);
  });
});

describe('podmanTransferArgs', () => {
  it('speaks plain HTTP to a loopback registry, as Docker does, and verifies TLS elsewhere', () => {
    expect(podmanTransferArgs('push', 'localhost:5000/api:1', '/tmp/d')).toEqual(['push', '--quiet', '--tls-verify=false', '--digestfile', '/tmp/d', 'localhost:5000/api:1']);
    expect(podmanTransferArgs('pull', '127.0.0.1:40333/api:1')).toEqual(['pull', '--quiet', '--tls-verify=false', '127.0.0.1:40333/api:1']);
    expect(podmanTransferArgs('push', 'ghcr.io/acme/api:1')).toEqual(['push', '--quiet', 'ghcr.io/acme/api:1']);
    // A registry whose name only starts like one on the loopback is not.
    expect(podmanTransferArgs('push', 'localhost.example.com/api:1')).toEqual(['push', '--quiet', 'localhost.example.com/api:1']);
  });
});
