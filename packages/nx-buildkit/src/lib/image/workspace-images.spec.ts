import type { BaseIdentity } from './identity/base-identity';
import { producersByReference, WorkspaceBuildTarget, workspaceBuildTargets, WorkspaceImages, workspaceImagesOf } from './workspace-images';

const target = (project: string, options: Record<string, unknown>, name = 'docker-build'): WorkspaceBuildTarget => ({ id: `${project}:${name}`, project, target: name, projectRoot: `apps/${project}`, options });
const hashed = (hash: string): BaseIdentity => ({ kind: 'inputs-hash', hash });

describe('workspaceBuildTargets', () => {
  it('takes every nx-buildkit:build target with its options, and nothing else', () => {
    const targets = workspaceBuildTargets({
      base: { root: 'apps/base', targets: { 'docker-build': { executor: 'nx-buildkit:build', options: { image: 'acme/base' } }, 'docker-lint': { executor: 'nx-buildkit:lint' } } },
      web: { root: 'apps/web', targets: { build: { executor: 'nx:run-commands' }, 'docker-build-prod': { executor: 'nx-buildkit:build' } } },
      docs: { root: 'docs' },
    });
    expect(targets).toEqual([
      { id: 'base:docker-build', project: 'base', target: 'docker-build', projectRoot: 'apps/base', options: { image: 'acme/base' } },
      { id: 'web:docker-build-prod', project: 'web', target: 'docker-build-prod', projectRoot: 'apps/web', options: {} },
    ]);
  });

  it('reads the projects of the executor context, else the project graph', () => {
    const projects = { base: { root: 'apps/base', targets: { 'docker-build': { executor: 'nx-buildkit:build', options: { image: 'acme/base' } } } } };
    const fromGraph = workspaceImagesOf({ root: '/ws', projectGraph: { nodes: { base: { name: 'base', type: 'app', data: projects.base } }, dependencies: {} } });
    expect(fromGraph.producerOf('acme/base')?.id).toBe('base:docker-build');
    expect(fromGraph.workspaceRoot).toBe('/ws');
    expect(workspaceImagesOf({ root: '/ws', projectsConfigurations: { projects } }).producerOf('acme/base:latest')?.id).toBe('base:docker-build');
  });
});

describe('producersByReference', () => {
  it('maps every reference a target tags (registry, default image and latest included, in any spelling) to it', () => {
    const producers = producersByReference([target('base', { image: 'acme/base', registry: 'localhost:5000', tags: ['latest', '1.2', 'ghcr.io/acme/base:edge'] }), target('my-app', {})]);
    expect([...producers.keys()].sort()).toEqual(['ghcr.io/acme/base:edge', 'localhost:5000/acme/base:1.2', 'localhost:5000/acme/base:latest', 'docker.io/library/my-app:latest'].sort());
    const images = new WorkspaceImages([target('base', { image: 'acme/base' })], '/ws');
    expect(images.producerOf('docker.io/acme/base')?.id).toBe('base:docker-build');
    expect(images.producerOf('acme/base:1.2')).toBeUndefined();
  });

  it('leaves a reference two targets tag to neither: which one it names depends on which ran last', () => {
    const producers = producersByReference([target('a', { image: 'acme/shared', tags: ['latest', 'a'] }), target('b', { image: 'acme/shared' })]);
    expect([...producers.keys()]).toEqual(['docker.io/acme/shared:a']);
  });
});

describe('WorkspaceImages.identify', () => {
  const base = target('base', { image: 'acme/base' });

  it('hashes each workspace image once per run, with the chain that asked for it', async () => {
    const images = new WorkspaceImages([base], '/ws');
    const hash = jest.fn(async () => hashed('a'.repeat(64)));
    const [first, second] = await Promise.all([images.identify(base, ['api:docker-build'], hash), images.identify(base, ['web:docker-build'], hash)]);
    expect(first).toEqual(hashed('a'.repeat(64)));
    expect(second).toEqual(first);
    expect(hash).toHaveBeenCalledTimes(1);
    expect(hash).toHaveBeenCalledWith(['api:docker-build', 'base:docker-build']);
  });

  it('leaves an image FROM its own tag to the other rules, and gives a longer cycle no identity', async () => {
    const images = new WorkspaceImages([base], '/ws');
    const hash = jest.fn(async () => hashed('a'.repeat(64)));
    expect(images.identify(base, ['base:docker-build'], hash)).toBeUndefined();
    expect(await images.identify(base, ['base:docker-build', 'api:docker-build'], hash)).toEqual({
      kind: 'unknown',
      reason: 'the images of base:docker-build → api:docker-build → base:docker-build start FROM each other',
    });
    expect(hash).not.toHaveBeenCalled();
  });

  it('is unknown, in one line naming the target, when the parent cannot be hashed', async () => {
    const images = new WorkspaceImages([base], '/ws');
    const identity = await images.identify(base, ['api:docker-build'], async () => {
      throw new Error('Dockerfile "apps/base/Dockerfile" not found. Set "dockerfile"…\nmore');
    });
    expect(identity).toEqual({ kind: 'unknown', reason: 'the image of base:docker-build cannot be hashed: Dockerfile "apps/base/Dockerfile" not found. Set "dockerfile"…' });
  });
});
