import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './support/processes';
import { MANIFEST_TYPES, registryApiUrl, registryDigest, startRegistry, TestRegistry } from './support/registry';
import { createTestWorkspace, imageExists, TestWorkspace, writeJson } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  hashTag: string;
}


/**
 * `nx release` for two images against a registry on 127.0.0.1, in a git repository as CI has it: CI builds and pushes,
 * the release puts version tags on the images by their inputs hash. The workspace has no @nx/docker installed.
 */
describe('nx release tags the images CI built, by their inputs hash, without rebuilding', () => {
  let registry: TestRegistry;
  let ws: TestWorkspace;
  const projects = ['api', 'web'] as const;
  const repositoryOf = (project: string) => `${ws.imagePrefix}-${project}`;

  const git = (args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });
  const commit = async (message: string) => {
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', message]);
  };
  const shortSha = async () => (await git(['rev-parse', '--short=7', 'HEAD'])).stdout.trim();

  /** The manifest digest the registry holds for a tag (HTTP API, no docker involved); undefined when there is none. */
  async function digestOf(project: string, tag: string): Promise<string | undefined> {
    return registryDigest(registry.host, repositoryOf(project), tag);
  }
  async function tagsOf(project: string): Promise<string[]> {
    const response = await fetch(`http://${registry.host.replace('localhost', '127.0.0.1')}/v2/${repositoryOf(project)}/tags/list`);
    return (((await response.json()) as { tags?: string[] }).tags ?? []).sort();
  }
  const recordOf = (project: string) => ws.readJson<BuildRecord>(`dist/docker/${project}/docker-build.json`);
  const release = (args: string[] = []) => ws.nx(['release', 'production', '--yes', ...args]);

  beforeAll(async () => {
    registry = await startRegistry();
    ws = createTestWorkspace('release');
    for (const project of projects) {
      ws.write(`apps/${project}/Dockerfile`, 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\nCMD ["cat", "/app.txt"]\n');
      ws.write(`apps/${project}/.dockerignore`, 'project.json\n');
      ws.write(`apps/${project}/app.txt`, `${ws.imagePrefix} ${project} v1\n`);
      writeJson(join(ws.root, `apps/${project}/project.json`), { name: project, root: `apps/${project}` });
    }
    writeJson(join(ws.root, 'nx.json'), {
      ...ws.readJson<Record<string, unknown>>('nx.json'),
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}`, registry: registry.host, push: true } }],
      targetDefaults: { 'nx-release-publish': { options: { extraTags: ['stable'] } } },
      release: {
        projects: [...projects],
        projectsRelationship: 'independent',
        docker: { registryUrl: registry.host, preVersionCommand: '', versionSchemes: { production: '{currentDate|YYMM.DD}.{shortCommitSha}' } },
      },
    });
    await git(['init', '-q', '-b', 'main']);
    await commit('workspace');
    // CI: build and push both images (this is what was tested).
    const built = await ws.nx(['run-many', '-t', 'docker-build']);
    expect(built.exitCode).toBe(0);
    for (const project of projects) expect(recordOf(project).status).toBe('built');
  });

  afterAll(async () => {
    await ws?.cleanup();
    await registry?.stop();
  });

  const versionNow = async () => `${new Date().toISOString().slice(2, 4)}${new Date().toISOString().slice(5, 7)}.${new Date().toISOString().slice(8, 10)}.${await shortSha()}`;

  it('--dry-run shows each image, its version tag and the hash tag it will point to, and changes nothing', async () => {
    const before = await Promise.all(projects.map(tagsOf));
    const result = await ws.nx(['release', 'production', '--dry-run', '--yes']);
    expect(result.exitCode).toBe(0);
    const version = await versionNow();
    for (const project of projects) {
      expect(result.output).toContain(`${registry.host}/${repositoryOf(project)}:${version}, stable → ${recordOf(project).hashTag} (in the registry`);
      expect(existsSync(join(ws.root, `dist/docker/${project}/release-version.json`))).toBe(false);
    }
    expect(await Promise.all(projects.map(tagsOf))).toEqual(before);
    expect((await git(['tag', '--list'])).stdout.trim()).toBe('');
    expect(result.output).not.toMatch(/Could not find `@nx\/docker`/);
  });

  let firstDigests: Record<string, string>;

  it('a first release tags the registry: version and extra tags have the digests of the hash tags; nothing is built', async () => {
    const result = await release();
    expect(result.exitCode).toBe(0);
    const version = await versionNow();
    expect(result.output).not.toMatch(/building|Skipped publishing/);
    firstDigests = {};
    for (const project of projects) {
      const hashDigest = (await digestOf(project, recordOf(project).hashTag)) as string;
      expect(hashDigest).toMatch(/^sha256:/);
      expect(await digestOf(project, version)).toBe(hashDigest);
      expect(await digestOf(project, 'stable')).toBe(hashDigest);
      expect(result.output).toContain(`tagged ${registry.host}/${repositoryOf(project)}:${version} (${hashDigest})`);
      expect(ws.readJson(`dist/docker/${project}/release-version.json`)).toEqual({ project, version });
      firstDigests[project] = hashDigest;
    }
    expect((await git(['tag', '--list'])).stdout.trim().split('\n').sort()).toEqual([`api@${version}`, `web@${version}`]);
  });

  it("a release after a commit that changes neither image's inputs builds nothing, tags the same digests and leaves the build records alone", async () => {
    ws.write('README.md', 'notes\n');
    await commit('docs');
    const records = Object.fromEntries(projects.map((project) => [project, ws.read(`dist/docker/${project}/docker-build.json`)]));
    const result = await release();
    expect(result.exitCode).toBe(0);
    expect(result.output).not.toMatch(/building/);
    const version = await versionNow();
    for (const project of projects) {
      // A version tag is no build: the record still says what CI's build did, with the tags it built.
      expect(ws.read(`dist/docker/${project}/docker-build.json`)).toBe(records[project]);
      expect(await digestOf(project, version)).toBe(firstDigests[project]);
    }
  });

  it('a release after a change to one image builds only that one, and tags what it built', async () => {
    ws.write('apps/api/app.txt', `${ws.imagePrefix} api v2\n`);
    await commit('api v2');
    const webRecord = ws.read('dist/docker/web/docker-build.json');
    const result = await release();
    expect(result.exitCode).toBe(0);
    const version = await versionNow();
    expect(recordOf('api').status).toBe('built');
    // Built under the build target's tags and the release tags: the record lists both.
    expect(ws.readJson<{ tags: string[] }>('dist/docker/api/docker-build.json').tags).toEqual(['latest', version, 'stable'].map((tag) => `${registry.host}/${repositoryOf('api')}:${tag}`));
    expect(await digestOf('api', 'latest')).toBe(await digestOf('api', recordOf('api').hashTag));
    expect(ws.read('dist/docker/web/docker-build.json')).toBe(webRecord);
    const apiDigest = await digestOf('api', recordOf('api').hashTag);
    expect(apiDigest).not.toBe(firstDigests.api);
    expect(await digestOf('api', version)).toBe(apiDigest);
    expect(await digestOf('web', version)).toBe(firstDigests.web);
    expect(result.output).toMatch(/api +built/);
    expect(result.output).not.toMatch(/web +built/);
  });

  it('a standalone nx release publish --no-build reads the version file, and fails in one line when the image is missing', async () => {
    ws.write('apps/web/app.txt', `${ws.imagePrefix} web v2\n`);
    await commit('web v2');
    const version = await versionNow();
    const versioned = await ws.nx(['release', 'version', 'production']);
    expect(versioned.exitCode).toBe(0);
    expect(ws.readJson('dist/docker/web/release-version.json')).toEqual({ project: 'web', version });
    const published = await ws.nx(['release', 'publish', '--no-build']);
    expect(published.exitCode).not.toBe(0);
    const hashTag = published.output.match(/web: no image with inputs hash (nxb-[0-9a-f]+) in /)?.[1];
    expect(hashTag).toBeDefined();
    expect(published.output).toContain(
      `web: no image with inputs hash ${hashTag} in ${registry.host}/${repositoryOf('web')} or the local engine (not built since its inputs changed), and --no-build was given: run "nx run web:docker-build" with push first, or drop --no-build.`,
    );
    expect(await digestOf('web', version)).toBeUndefined();
    // api's image is unchanged since the last release: it gets the new version without a build.
    expect(await digestOf('api', version)).toBe(await digestOf('api', recordOf('api').hashTag));
  });
});

/**
 * The two other places an image can be: only in the engine that built it (built without push), and in the registry as
 * a multi-platform index. The Debian engine here builds one platform, so the index is written with the registry API
 * around the pushed manifest, as `buildx build --platform a,b` would leave it.
 */
describe('nx release finds the image where it is: in the local engine only (under the build\'s own name), or as an index in the registry', () => {
  let registry: TestRegistry;
  let ws: TestWorkspace;
  const git = (args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });
  const registryUrl = (path: string) => registryApiUrl(registry.host, path);
  const recordOf = (project: string) => ws.readJson<BuildRecord>(`dist/docker/${project}/docker-build.json`);

  async function manifestOf(project: string, tag: string): Promise<{ digest?: string; type: string; body: string }> {
    const response = await fetch(registryUrl(`${ws.imagePrefix}-${project}/manifests/${tag}`), { headers: { Accept: MANIFEST_TYPES } });
    return { digest: response.headers.get('docker-content-digest') ?? undefined, type: response.headers.get('content-type') ?? '', body: await response.text() };
  }

  beforeAll(async () => {
    registry = await startRegistry();
    ws = createTestWorkspace('release-where');
    for (const project of ['job', 'cli']) {
      ws.write(`apps/${project}/Dockerfile`, 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
      ws.write(`apps/${project}/.dockerignore`, 'project.json\n');
      ws.write(`apps/${project}/app.txt`, `${ws.imagePrefix} ${project}\n`);
      writeJson(join(ws.root, `apps/${project}/project.json`), { name: project, root: `apps/${project}` });
    }
    writeJson(join(ws.root, 'nx.json'), {
      ...ws.readJson<Record<string, unknown>>('nx.json'),
      // No "registry" for the builds: job is built for the local engine only and released to the group's registryUrl.
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}` } }],
      // A release group of its own, as @nx/docker documents it: the group's docker options reach both steps.
      release: {
        groups: { images: { projects: ['job', 'cli'], projectsRelationship: 'independent', docker: { registryUrl: registry.host, versionSchemes: { production: '{shortCommitSha}' } } } },
        docker: { preVersionCommand: '' },
      },
    });
    await git(['init', '-q', '-b', 'main']);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'workspace']);
    expect((await ws.nx(['run', 'job:docker-build'])).exitCode).toBe(0);
    expect((await ws.nx(['run', 'cli:docker-build', '--push', `--registry=${registry.host}`])).exitCode).toBe(0);
    // cli's hash tag becomes an OCI index around the manifest that was pushed.
    const pushed = await manifestOf('cli', recordOf('cli').hashTag);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: pushed.type, digest: pushed.digest, size: Buffer.byteLength(pushed.body), platform: { architecture: 'amd64', os: 'linux' } }],
    });
    const put = await fetch(registryUrl(`${ws.imagePrefix}-cli/manifests/${recordOf('cli').hashTag}`), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
      body: index,
    });
    expect(put.status).toBe(201);
    // The engine that built cli forgets it (BuildKit's docker driver loads what it pushes): only the registry has it.
    const listed = await runOk('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `${registry.host}/${ws.imagePrefix}-cli`]);
    const refs = listed.stdout.split('\n').filter(Boolean);
    if (refs.length) await runOk('docker', ['image', 'rm', '--force', ...refs]);
  });

  afterAll(async () => {
    await ws?.cleanup();
    await registry?.stop();
  });

  it('pushes an image only the local engine has, tags the index as it is without pulling it, and builds neither', async () => {
    // job was built without a registry: the engine has it as <prefix>-job:<hash tag> only.
    expect(await imageExists(`${ws.imagePrefix}-job:${recordOf('job').hashTag}`)).toBe(true);
    expect((await manifestOf('job', recordOf('job').hashTag)).digest).toBeUndefined();
    const result = await ws.nx(['release', 'production', '--yes']);
    expect(result.exitCode).toBe(0);
    expect(result.output).not.toMatch(/building/);
    const version = (await git(['rev-parse', '--short=7', 'HEAD'])).stdout.trim();
    expect(result.output).toContain(`→ ${recordOf('job').hashTag} (in the local engine only: pushed, then tagged)`);
    const job = await manifestOf('job', recordOf('job').hashTag);
    expect(job.digest).toMatch(/^sha256:/);
    expect((await manifestOf('job', version)).digest).toBe(job.digest);

    const cliIndex = await manifestOf('cli', recordOf('cli').hashTag);
    expect(cliIndex.type).toBe('application/vnd.oci.image.index.v1+json');
    const cliRelease = await manifestOf('cli', version);
    expect(cliRelease.type).toBe('application/vnd.oci.image.index.v1+json');
    expect(cliRelease.digest).toBe(cliIndex.digest);
    // Nothing was pulled: the engine still has no cli image under either tag.
    expect(await imageExists(`${registry.host}/${ws.imagePrefix}-cli:${version}`)).toBe(false);
    expect(await imageExists(`${registry.host}/${ws.imagePrefix}-cli:${recordOf('cli').hashTag}`)).toBe(false);
  });
});

/**
 * The CI path without a specifier: `nx release --yes` asks nothing when nx.json's release uses conventional commits
 * (nx derives patch/minor/major from the commits since the project's last git tag; each means the one scheme). A run
 * of nx release with no specifier otherwise prompts, and in a shell without a terminal it exits 0 having released
 * nothing (seen with nx 24.0.6), which is why the README says to pass the scheme name otherwise.
 */
describe('nx release --yes with conventional commits: no specifier, no prompt', () => {
  let registry: TestRegistry;
  let ws: TestWorkspace;
  const git = (args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });
  const recordOf = () => ws.readJson<BuildRecord>('dist/docker/api/docker-build.json');
  const tagsOf = async () => {
    const response = await fetch(`http://${registry.host.replace('localhost', '127.0.0.1')}/v2/${ws.imagePrefix}-api/tags/list`);
    return (((await response.json()) as { tags?: string[] }).tags ?? []).sort();
  };

  beforeAll(async () => {
    registry = await startRegistry();
    ws = createTestWorkspace('release-cc');
    ws.write('apps/api/Dockerfile', 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
    ws.write('apps/api/.dockerignore', 'project.json\n');
    ws.write('apps/api/app.txt', `${ws.imagePrefix} api\n`);
    writeJson(join(ws.root, 'apps/api/project.json'), { name: 'api', root: 'apps/api' });
    writeJson(join(ws.root, 'nx.json'), {
      ...ws.readJson<Record<string, unknown>>('nx.json'),
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}`, registry: registry.host, push: true } }],
      release: {
        projects: ['api'],
        projectsRelationship: 'independent',
        version: { specifierSource: 'conventional-commits' },
        docker: { preVersionCommand: '', versionSchemes: { production: '{currentDate|YYMM.DD}.{shortCommitSha}' } },
      },
    });
    await git(['init', '-q', '-b', 'main']);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'chore: workspace']);
    // Conventional commits bump from a current version: the project's first tag.
    await git(['tag', 'api@0.0.0']);
    ws.write('apps/api/app.txt', `${ws.imagePrefix} api, fixed\n`);
    await git(['commit', '-q', '-am', 'fix(api): the first image']);
    expect((await ws.nx(['run-many', '-t', 'docker-build'])).exitCode).toBe(0);
  });

  afterAll(async () => {
    await ws?.cleanup();
    await registry?.stop();
  });

  it('releases after a fix commit, tagging the hash tag’s manifest', async () => {
    const result = await ws.nx(['release', '--yes']);
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('Resolved the specifier as "patch"');
    const sha = (await git(['rev-parse', '--short=7', 'HEAD'])).stdout.trim();
    const version = (await tagsOf()).find((tag) => tag.endsWith(`.${sha}`));
    expect(version).toBeDefined();
    const digest = (tag: string) => registryDigest(registry.host, `${ws.imagePrefix}-api`, tag);
    expect(await digest(version as string)).toBe(await digest(recordOf().hashTag));
    expect((await git(['tag', '--list'])).stdout).toContain(`api@${version}`);
  });

  it('releases nothing after a commit that is no feat or fix of the project', async () => {
    const before = await tagsOf();
    ws.write('README.md', 'notes\n');
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'docs: notes']);
    const result = await ws.nx(['release', '--yes']);
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('No changes were detected');
    expect(await tagsOf()).toEqual(before);
  });
});
