import type { ProjectGraph } from '@nx/devkit';
import { DEFAULT_VERSION_SCHEMES, dockerReleaseOptionsFrom, resolveDockerReleaseOptions } from './docker-release-config';

const node = (name: string, root: string, release?: unknown) => ({ name, type: 'app' as const, data: { root, targets: {}, ...(release !== undefined && { release }) } });
const graph = { nodes: { api: node('api', 'apps/api', { docker: { repositoryName: 'acme/api' } }), web: node('web', 'apps/web') }, dependencies: {} } as unknown as ProjectGraph;

describe('resolveDockerReleaseOptions', () => {
  it("merges nx.json's root docker options, then the group's holding the project, then the project's own", () => {
    const nxJson = {
      release: {
        docker: { registryUrl: 'ghcr.io/acme', repositoryName: 'root-name' },
        groups: {
          other: { projects: ['web'], docker: { registryUrl: 'other.io' } },
          images: { projects: 'apps/*', docker: { versionSchemes: { production: '{shortCommitSha}' } } },
        },
      },
    };
    expect(resolveDockerReleaseOptions(nxJson, graph, 'api')).toEqual({ versionSchemes: { production: '{shortCommitSha}' }, registryUrl: 'ghcr.io/acme', repositoryName: 'acme/api' });
    expect(resolveDockerReleaseOptions(nxJson, graph, 'web')).toEqual({ versionSchemes: DEFAULT_VERSION_SCHEMES, registryUrl: 'other.io', repositoryName: 'root-name' });
  });

  it("uses nx release's default schemes for docker: true or no schemes", () => {
    expect(resolveDockerReleaseOptions({ release: { docker: true } } as never, graph, 'web')).toEqual({ versionSchemes: DEFAULT_VERSION_SCHEMES });
    expect(dockerReleaseOptionsFrom({ versionSchemes: {}, registryUrl: 'localhost:5000' })).toEqual({ versionSchemes: DEFAULT_VERSION_SCHEMES, registryUrl: 'localhost:5000' });
  });
});

describe('on Nx 21: the options from versionActionsOptions', () => {
  const nx21Graph = { nodes: { api: node('api', 'apps/api', { version: { versionActions: 'nx-buildkit/src/release/version-actions' } }), web: node('web', 'apps/web') }, dependencies: {} } as unknown as ProjectGraph;

  it('reads the root or group versionActionsOptions when no docker options are set (any release.docker sends Nx 21 to @nx/docker)', () => {
    const nxJson = {
      release: {
        version: { versionActionsOptions: { registryUrl: 'localhost:5000', versionSchemes: { production: 'v{shortCommitSha}' } } },
        groups: { web: { projects: ['web'], version: { versionActionsOptions: { registryUrl: 'ghcr.io/acme' } } } },
      },
    };
    expect(resolveDockerReleaseOptions(nxJson as never, nx21Graph, 'api')).toEqual({ versionSchemes: { production: 'v{shortCommitSha}' }, registryUrl: 'localhost:5000' });
    expect(resolveDockerReleaseOptions(nxJson as never, nx21Graph, 'web')).toEqual({ versionSchemes: DEFAULT_VERSION_SCHEMES, registryUrl: 'ghcr.io/acme' });
  });

  it('in a VersionActions: dockerOptions when nx resolved any, else versionActionsOptions', () => {
    expect(dockerReleaseOptionsFrom({}, { registryUrl: 'localhost:5000' })).toEqual({ versionSchemes: DEFAULT_VERSION_SCHEMES, registryUrl: 'localhost:5000' });
    expect(dockerReleaseOptionsFrom({ registryUrl: 'ghcr.io' }, { registryUrl: 'localhost:5000' })).toEqual({ versionSchemes: DEFAULT_VERSION_SCHEMES, registryUrl: 'ghcr.io' });
  });
});
