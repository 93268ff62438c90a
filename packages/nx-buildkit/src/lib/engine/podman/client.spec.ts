import { parsePodmanImageList, podmanAuthFiles, podmanCredentials, podmanSocket, withShortNames } from './client';

describe('podmanSocket', () => {
  const exists = (paths: string[]) => (path: string) => paths.includes(path);

  it('takes CONTAINER_HOST when it is a unix socket, and no socket (the CLI) for a remote one', () => {
    expect(podmanSocket({ CONTAINER_HOST: 'unix:///tmp/p.sock' }, 0, exists([]))).toEqual({ path: '/tmp/p.sock', source: 'CONTAINER_HOST' });
    expect(podmanSocket({ CONTAINER_HOST: 'ssh://core@host/run/podman/podman.sock' }, 0, exists(['/run/podman/podman.sock']))).toBeUndefined();
  });

  it("finds podman system service's default socket: the user's runtime folder first, then root's", () => {
    expect(podmanSocket({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000, exists(['/run/user/1000/podman/podman.sock']))?.path).toBe('/run/user/1000/podman/podman.sock');
    expect(podmanSocket({ XDG_RUNTIME_DIR: '/tmp/x' }, 0, exists(['/run/podman/podman.sock']))?.path).toBe('/run/podman/podman.sock');
    // Not root: root's socket is not this user's podman.
    expect(podmanSocket({}, 1000, exists(['/run/podman/podman.sock']))).toBeUndefined();
    expect(podmanSocket({}, 0, exists([]))).toBeUndefined();
  });
});

describe('podman credentials', () => {
  it('reads REGISTRY_AUTH_FILE alone when set, else auth.json in the runtime and config folders, then the docker config', () => {
    expect(podmanAuthFiles({ REGISTRY_AUTH_FILE: '/a.json' }, 0, '/root')).toEqual(['/a.json']);
    expect(podmanAuthFiles({ XDG_RUNTIME_DIR: '/run/user/5' }, 5, '/home/u')).toEqual(['/run/user/5/containers/auth.json', '/home/u/.config/containers/auth.json', '/home/u/.docker/config.json']);
    expect(podmanAuthFiles({}, 0, '/root')).toEqual(['/run/containers/0/auth.json', '/root/.config/containers/auth.json', '/root/.docker/config.json']);
  });

  it('takes the first file that holds credentials for the registry', () => {
    const auth = (user: string) => JSON.stringify({ auths: { 'localhost:5000': { auth: Buffer.from(`${user}:pw`).toString('base64') } } });
    const files: Record<string, string> = { '/root/.config/containers/auth.json': auth('podman-user'), '/root/.docker/config.json': auth('docker-user') };
    expect(podmanCredentials('localhost:5000', {}, (path) => files[path], 0, '/root')).toMatchObject({ kind: 'basic', username: 'podman-user' });
    expect(podmanCredentials('ghcr.io', {}, (path) => files[path], 0, '/root')).toEqual({ kind: 'anonymous' });
  });
});

describe('podman image listings', () => {
  it('reads `podman images --format json` (tags in Names, IDs without sha256:) like the API listing', () => {
    const output = JSON.stringify([
      { Id: 'f60bbba94ddb', RepoTags: null, Names: ['localhost/api:nxb-0123456789abcdef'], Labels: { 'org.nx-buildkit.inputs-hash': 'b'.repeat(64) }, Size: 140499600 },
      { Id: 'd7753d59f140', Names: ['docker.io/library/debian:bookworm-slim'], RepoDigests: ['docker.io/library/debian@sha256:36cf'], Labels: null },
    ]);
    expect(parsePodmanImageList(output)).toEqual([
      { id: 'sha256:f60bbba94ddb', repoTags: ['localhost/api:nxb-0123456789abcdef'], repoDigests: [], inputsHash: 'b'.repeat(64), sizeBytes: 140499600 },
      { id: 'sha256:d7753d59f140', repoTags: ['docker.io/library/debian:bookworm-slim'], repoDigests: ['docker.io/library/debian@sha256:36cf'], inputsHash: undefined, sizeBytes: undefined },
    ]);
    expect(parsePodmanImageList('not json')).toEqual([]);
  });

  it('adds the short name podman finds a localhost/ image by, and leaves registry names alone', () => {
    const [image] = withShortNames([{ id: 'sha256:1', repoTags: ['localhost/api:latest', 'localhost:5000/api:latest'], repoDigests: [] }]);
    expect(image.repoTags).toEqual(['localhost/api:latest', 'localhost:5000/api:latest', 'api:latest']);
  });
});
