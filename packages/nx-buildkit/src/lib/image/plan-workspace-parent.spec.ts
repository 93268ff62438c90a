import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineClient } from '../engine/client';
import type { InspectedImage } from './identity/image-identity';
import { writeRecord } from './record';
import { planBuild } from './plan';
import { normalizeOptions } from './options/normalize-options';
import { createRunState } from './run-state';
import { WorkspaceImages, workspaceBuildTargets } from './workspace-images';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const PINNED = `debian@${digest('d')}`;

/**
 * An engine that holds `images` and whose registries hold `remote`: what a warm machine, a stale one and a fresh
 * runner differ by. The child's hash must not depend on any of it when its parent is a workspace image.
 */
function fakeEngine(images: InspectedImage[] = [], remote: Record<string, string> = {}): EngineClient & { asked: string[] } {
  const asked: string[] = [];
  return {
    endpoint: { kind: 'unix', socketPath: '/var/run/docker.sock', source: 'the default socket' },
    calls: 0,
    asked,
    ping: async () => undefined,
    listImages: async () => images,
    tag: async () => undefined,
    distribution: async (ref: string) => {
      asked.push(ref);
      return remote[ref] ? { found: true, digest: remote[ref] } : { found: false };
    },
  } as unknown as EngineClient & { asked: string[] };
}

describe('planBuild of an image FROM another workspace image', () => {
  let root: string;
  const write = (path: string, content: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const projects = () => ({
    base: { root: 'apps/base', targets: { 'docker-build': { executor: 'nx-buildkit:build', options: { image: 'acme/base', registry: 'localhost:5000', push: true } } } },
    api: { root: 'apps/api', targets: { 'docker-build': { executor: 'nx-buildkit:build', options: { image: 'acme/api', registry: 'localhost:5000', push: true } } } },
  });
  const optionsOf = (project: 'base' | 'api') =>
    normalizeOptions(projects()[project].targets['docker-build'].options, { workspaceRoot: root, projectName: project, projectRoot: `apps/${project}`, targetName: 'docker-build' });
  const quiet = { info: () => undefined, warn: () => undefined };
  const runOn = (engine: EngineClient) => createRunState(engine, () => undefined, new WorkspaceImages(workspaceBuildTargets(projects()), root));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nxb-parent-'));
    write('apps/base/Dockerfile', `FROM ${PINNED}\nCOPY base.txt /base.txt\n`);
    write('apps/base/base.txt', 'base v1\n');
    write('apps/api/Dockerfile', 'FROM localhost:5000/acme/base:latest\nCOPY app.txt /app.txt\n');
    write('apps/api/app.txt', 'api v1\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("names the parent by its inputs hash in the checkout: the same on a fresh runner, a warm or stale engine, beside any record, and when the parent is planned first", async () => {
    const parent = await planBuild(optionsOf('base'), quiet, runOn(fakeEngine()));
    const fresh = fakeEngine([], { 'localhost:5000/acme/base:latest': digest('1') });
    const child = await planBuild(optionsOf('api'), quiet, runOn(fresh));
    expect(child.bases).toEqual({ 'localhost:5000/acme/base:latest': `nxb:${parent.hash}` });
    expect(child.undecidedBecause).toBeUndefined();
    // The build is pinned to exactly that parent, not to whatever `latest` is.
    expect(child.pinnedBases).toEqual({ 'localhost:5000/acme/base:latest': `docker-image://localhost:5000/acme/base:${parent.hashTag}` });
    // Neither the engine nor the registry was asked what `latest` is.
    expect(fresh.asked).toEqual([]);

    // An engine whose base:latest carries another build's label, and a record that says another hash tagged it.
    const stale = fakeEngine([{ id: digest('2'), repoTags: ['localhost:5000/acme/base:latest'], repoDigests: [`localhost:5000/acme/base@${digest('3')}`], inputsHash: 'e'.repeat(64) }]);
    writeRecord(join(root, 'dist/docker/base/docker-build.json'), {
      project: 'base', target: 'docker-build', image: 'localhost:5000/acme/base', tags: ['localhost:5000/acme/base:latest'], hash: 'f'.repeat(64), hashTag: 'nxb-ffff', status: 'built', durationMs: 1, finishedAt: new Date().toISOString(),
    });
    expect((await planBuild(optionsOf('api'), quiet, runOn(stale))).hash).toBe(child.hash);

    // In one run, the parent planned first: the run's own hash, which is the same.
    const run = runOn(fakeEngine());
    await planBuild({ ...optionsOf('base'), repository: 'localhost:5000/elsewhere/base' }, quiet, run);
    const inRun = await planBuild(optionsOf('api'), quiet, run);
    expect(inRun.hash).toBe(child.hash);
    expect(inRun.pinnedBases).toEqual({ 'localhost:5000/acme/base:latest': `docker-image://localhost:5000/elsewhere/base:${parent.hashTag}` });
    // A base named otherwise (a pinned digest, a registry's digest) is not pinned: BuildKit resolves it as before.
    expect(parent.pinnedBases).toEqual({});
  });

  it("changes the child's hash when, and only when, the parent's inputs change", async () => {
    const before = await planBuild(optionsOf('api'), quiet, runOn(fakeEngine()));
    write('apps/base/unread.txt', 'not copied\n');
    expect((await planBuild(optionsOf('api'), quiet, runOn(fakeEngine()))).hash).toBe(before.hash);
    write('apps/base/base.txt', 'base v2\n');
    const after = await planBuild(optionsOf('api'), quiet, runOn(fakeEngine()));
    expect(after.hash).not.toBe(before.hash);
    expect(after.bases).toEqual({ 'localhost:5000/acme/base:latest': `nxb:${(await planBuild(optionsOf('base'), quiet, runOn(fakeEngine()))).hash}` });
  });

  it('cannot decide, and says why, when the parent cannot be hashed', async () => {
    rmSync(join(root, 'apps/base/Dockerfile'));
    const child = await planBuild(optionsOf('api'), quiet, runOn(fakeEngine()));
    expect(child.undecidedBecause).toMatch(/^base image "localhost:5000\/acme\/base:latest": the image of base:docker-build cannot be hashed: No Dockerfile found in "apps\/base"/);
  });
});
