import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run, runOk } from './support/processes';
import { registryDigest, startRegistry, TestRegistry } from './support/registry';
import { SecondEngine, startSecondEngine } from './support/second-engine';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  hashTag: string;
  tags: string[];
  skippedBecause?: 'local' | 'registry';
  bases?: Record<string, string>;
}


const PROJECTS = ['base', 'api'] as const;

/**
 * The README's release flow with an image FROM another workspace image, as CI and a release job run it on different
 * machines: CI (the main engine) builds and pushes `base` and `api` (whose Dockerfile starts FROM base's `latest`);
 * the release job is a fresh checkout (no dist/) on an empty engine in a network namespace of its own. api names its
 * base by base's inputs hash in the checkout, so every machine and every command computes CI's hash for it, and the
 * release tags exactly the manifests CI pushed: BuildKit never runs and nothing is pulled on the release machine.
 */
describe('an image FROM another workspace image: one inputs hash on every machine, and nx release tags what CI pushed', () => {
  let registry: TestRegistry;
  let machineB: SecondEngine;
  let ci: TestWorkspace;
  const checkouts: TestWorkspace[] = [];
  const unique = randomBytes(4).toString('hex');
  let debianRef: string;
  const repositoryOf = (project: string) => `${ci.imagePrefix}-${project}`;
  const recordPath = (project: string) => `dist/docker/${project}/docker-build.json`;
  const recordOf = (ws: TestWorkspace, project: string) => ws.readJson<BuildRecord>(recordPath(project));

  const gitIn = (ws: TestWorkspace, args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });
  const commit = async (message: string) => {
    await gitIn(ci, ['add', '-A']);
    await gitIn(ci, ['commit', '-q', '-m', message]);
  };
  const versionOf = async (ws: TestWorkspace) => {
    const now = new Date().toISOString();
    return `${now.slice(2, 4)}${now.slice(5, 7)}.${now.slice(8, 10)}.${(await gitIn(ws, ['rev-parse', '--short=7', 'HEAD'])).stdout.trim()}`;
  };

  /** A fresh clone of CI's commit, as a release job or a new runner checks it out: no dist/, no records. */
  async function freshCheckout(name: string): Promise<TestWorkspace> {
    const ws = createTestWorkspace(name);
    checkouts.push(ws);
    await gitIn(ws, ['init', '-q', '-b', 'main']);
    await gitIn(ws, ['fetch', '-q', ci.root, 'main']);
    await gitIn(ws, ['reset', '-q', '--hard', 'FETCH_HEAD']);
    expect(existsSync(join(ws.root, 'dist'))).toBe(false);
    return ws;
  }

  /** The manifest digest the registry holds for a tag (its HTTP API, no docker involved); undefined when there is none. */
  async function digestOf(project: string, tag: string): Promise<string | undefined> {
    return registryDigest(registry.host, repositoryOf(project), tag);
  }

  const onB = (args: string[]) => run('docker', args, { env: machineB.env });
  /** Machine B has no image and its BuildKit has never run a step (an empty build cache). */
  async function expectMachineBUntouched(): Promise<void> {
    expect((await onB(['image', 'ls', '-aq'])).stdout.trim()).toBe('');
    expect((await onB(['system', 'df', '--format', '{{.Type}} {{.TotalCount}}'])).stdout).toMatch(/^Build Cache 0$/m);
  }

  const ciHashTags: Record<string, string> = {};
  const ciDigests: Record<string, string> = {};

  beforeAll(async () => {
    registry = await startRegistry();
    machineB = await startSecondEngine({ registryPorts: [Number(registry.host.split(':')[1])] });
    ci = createTestWorkspace('linked');
    // base's own base is in the registry, as official images are: machine B resolves it there without pulling.
    debianRef = `${registry.host}/${ci.imagePrefix}-debian:bookworm-slim`;
    await runOk('docker', ['tag', 'debian:bookworm-slim', debianRef]);
    await runOk('docker', ['push', '--quiet', debianRef]);
    for (const project of PROJECTS) writeJson(join(ci.root, `apps/${project}/project.json`), { name: project, root: `apps/${project}` });
    ci.write('apps/base/Dockerfile', `FROM ${debianRef}\nRUN echo "base ${unique}" > /base-marker\n`);
    ci.write('apps/api/Dockerfile', `FROM ${registry.host}/${repositoryOf('base')}:latest\nCOPY app.txt /app.txt\nCMD ["cat", "/app.txt"]\n`);
    ci.write('apps/api/.dockerignore', 'project.json\n');
    ci.write('apps/api/app.txt', `api ${unique} v1\n`);
    writeJson(join(ci.root, 'nx.json'), {
      ...ci.readJson<Record<string, unknown>>('nx.json'),
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ci.imagePrefix}-{projectName}`, registry: registry.host, push: true } }],
      targetDefaults: { 'nx-release-publish': { options: { extraTags: ['stable'] } } },
      release: {
        projects: [...PROJECTS],
        projectsRelationship: 'independent',
        docker: { registryUrl: registry.host, preVersionCommand: '', versionSchemes: { production: '{currentDate|YYMM.DD}.{shortCommitSha}' } },
      },
    });
    await gitIn(ci, ['init', '-q', '-b', 'main']);
    await commit('workspace');
    // CI: builds and pushes both images (what was tested), base first.
    const built = await ci.nx(['run-many', '-t', 'docker-build', '--output-style=static']);
    expect(built.exitCode === 0 ? '' : built.output).toBe('');
    for (const project of PROJECTS) {
      expect(recordOf(ci, project).status).toBe('built');
      ciHashTags[project] = recordOf(ci, project).hashTag;
      ciDigests[project] = (await digestOf(project, ciHashTags[project])) as string;
      expect(ciDigests[project]).toMatch(/^sha256:/);
    }
    // api names its base by base's inputs hash.
    expect(recordOf(ci, 'api').bases).toEqual({ [`${registry.host}/${repositoryOf('base')}:latest`]: `nxb:${recordOf(ci, 'base').hash}` });
  });

  afterAll(async () => {
    for (const ws of checkouts) await ws.cleanup();
    await ci?.cleanup();
    await machineB?.stop();
    await registry?.stop();
    await run('docker', ['rmi', debianRef]);
  });

  it("on a fresh runner, the child alone (its parent neither in the run, recorded nor present) has CI's hash and is skipped through the registry", async () => {
    await expectMachineBUntouched();
    const ws = await freshCheckout('linked-only-child');
    const explained = await ws.nx(['run', 'api:docker-build', '--explain', '--exclude-task-dependencies'], machineB.env);
    expect(explained.exitCode).toBe(0);
    expect(explained.stdout).toContain(`inputs ${ciHashTags.api}:`);
    expect(existsSync(join(ws.root, recordPath('api')))).toBe(false);

    const result = await ws.nx(['run', 'api:docker-build', '--exclude-task-dependencies'], machineB.env);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    expect(existsSync(join(ws.root, recordPath('base')))).toBe(false);
    expect(recordOf(ws, 'api')).toMatchObject({ status: 'skipped', skippedBecause: 'registry', hashTag: ciHashTags.api });
    expect(result.stdout).not.toMatch(/building/);
    await expectMachineBUntouched();
  });

  it('nx release on a fresh checkout and an empty engine tags exactly the digests CI pushed: nothing is built or pulled', async () => {
    const ws = await freshCheckout('linked-release');
    const result = await ws.nx(['release', 'production', '--yes'], machineB.env);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    const version = await versionOf(ws);
    expect(result.output).not.toMatch(/building|not built yet|to be built first/);
    for (const project of PROJECTS) {
      expect(result.output).toContain(`${registry.host}/${repositoryOf(project)}:${version}, stable → ${ciHashTags[project]} (in the registry: tagged there, nothing built or pulled)`);
      expect(await digestOf(project, version)).toBe(ciDigests[project]);
      expect(await digestOf(project, 'stable')).toBe(ciDigests[project]);
      // A release is no build: it records none.
      expect(existsSync(join(ws.root, recordPath(project)))).toBe(false);
    }
    // The tags CI built with still name CI's images.
    expect(await digestOf('base', 'latest')).toBe(ciDigests.base);
    expect(await digestOf('api', 'latest')).toBe(ciDigests.api);
    await expectMachineBUntouched();
  });

  it("on CI's own checkout (records present) and an empty engine, the release leaves the build records as they were and builds nothing", async () => {
    const records = Object.fromEntries(PROJECTS.map((project) => [project, ci.read(recordPath(project))]));
    const result = await ci.nx(['release', 'production', '--yes'], machineB.env);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    expect(result.output).not.toMatch(/building|not built yet|to be built first/);
    const version = await versionOf(ci);
    for (const project of PROJECTS) {
      expect(ci.read(recordPath(project))).toBe(records[project]);
      expect(await digestOf(project, version)).toBe(ciDigests[project]);
    }
    expect(recordOf(ci, 'base').tags).toEqual([`${registry.host}/${repositoryOf('base')}:latest`]);
    // And the next command still reads api's base as CI's build did.
    const explained = await ci.nx(['run', 'api:docker-build', '--explain']);
    expect(explained.stdout).toContain(`inputs ${ciHashTags.api}: inputs unchanged`);
    await expectMachineBUntouched();
  });

  it("when only the child changed, a fresh runner skips the parent and builds the child under the hash a warm machine computes", async () => {
    ci.write('apps/api/app.txt', `api ${unique} v2\n`);
    await commit('api v2');
    const warm = (await ci.nx(['run', 'api:docker-build', '--explain'])).stdout.match(/inputs (nxb-[0-9a-f]{16}):/)?.[1];
    expect(warm).toBeDefined();
    expect(warm).not.toBe(ciHashTags.api);

    const ws = await freshCheckout('linked-child-changed');
    const result = await ws.nx(['run-many', '-t', 'docker-build', '--output-style=static'], machineB.env);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    expect(recordOf(ws, 'base')).toMatchObject({ status: 'skipped', skippedBecause: 'registry', hashTag: ciHashTags.base });
    expect(recordOf(ws, 'api')).toMatchObject({ status: 'built', hashTag: warm });
    expect(recordOf(ws, 'api').bases).toEqual({ [`${registry.host}/${repositoryOf('base')}:latest`]: `nxb:${recordOf(ci, 'base').hash}` });
    expect(result.stdout).not.toMatch(/^base\s+built\b/m);

    // The warm machine finds what the fresh runner pushed: the same hash, skipped through the registry.
    const again = await ci.nx(['run-many', '-t', 'docker-build', '--output-style=static']);
    expect(again.exitCode).toBe(0);
    expect(recordOf(ci, 'api')).toMatchObject({ status: 'skipped', skippedBecause: 'registry', hashTag: warm });
    // What was built runs, on the base CI built.
    const ran = await onB(['run', '--rm', `${registry.host}/${repositoryOf('api')}:latest`]);
    expect(ran.stdout.trim()).toBe(`api ${unique} v2`);
    expect((await onB(['run', '--rm', `${registry.host}/${repositoryOf('api')}:latest`, 'cat', '/base-marker'])).stdout.trim()).toBe(`base ${unique}`);
  });

  it("builds the child on the parent its hash names, not on a stale local latest the parent's skip through the registry leaves alone", async () => {
    const baseRepository = `${registry.host}/${repositoryOf('base')}`;
    const listed = await runOk('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', baseRepository]);
    const refs = listed.stdout.split('\n').filter(Boolean);
    if (refs.length) await runOk('docker', ['image', 'rm', '--force', ...refs]);
    // This machine's latest of base is some other image (an old build, say): it has no /base-marker.
    await runOk('docker', ['tag', debianRef, `${baseRepository}:latest`]);
    ci.write('apps/api/app.txt', `api ${unique} v3\n`);
    await commit('api v3');
    const result = await ci.nx(['run-many', '-t', 'docker-build', '--output-style=static']);
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    expect(recordOf(ci, 'base')).toMatchObject({ status: 'skipped', skippedBecause: 'registry' });
    expect(recordOf(ci, 'api').status).toBe('built');
    const marker = await run('docker', ['run', '--rm', `${registry.host}/${repositoryOf('api')}:${recordOf(ci, 'api').hashTag}`, 'cat', '/base-marker']);
    expect(marker.stdout.trim()).toBe(`base ${unique}`);
  });
});
