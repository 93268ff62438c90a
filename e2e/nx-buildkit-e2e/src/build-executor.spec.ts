import { run, runOk } from './support/processes';
import { startRegistry, TestRegistry } from './support/registry';
import { addProject, createTestWorkspace, imageExists, imageId, removeImages, TestWorkspace } from './support/workspace';

interface Record {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  hashTag: string;
  imageId?: string;
  tags: string[];
  skippedBecause?: 'local' | 'registry';
  steps?: { total: number; cached: number };
  bases?: { [ref: string]: string };
  error?: string;
  reason?: string;
}

const DOCKERFILE = `FROM debian:bookworm-slim
RUN echo "system packages would go here" > /etc/motd-nxb
WORKDIR /app
COPY config/ /app/config/
COPY main.txt /app/
COPY src/ /app/src/
CMD ["ls", "/app"]
`;

function writeApp(ws: TestWorkspace, root: string): void {
  ws.write(`${root}/Dockerfile`, DOCKERFILE);
  // project.json is left out of the context, so editing the target's options (tags) does not change the image.
  ws.write(`${root}/.dockerignore`, 'docs\n*.log\nproject.json\n');
  ws.write(`${root}/config/settings.ini`, '[app]\nname=api\n');
  ws.write(`${root}/main.txt`, 'entry\n');
  // Unique per workspace: BuildKit's cache outlives test runs, and a step must not be cached from an earlier run.
  ws.write(`${root}/src/app.txt`, `line 1 ${ws.imagePrefix}\nline 2\n`);
  ws.write(`${root}/docs/readme.md`, '# not sent to docker\n');
}

describe('nx-buildkit:build — inputs hash and skip, on the real engine', () => {
  let ws: TestWorkspace;
  let image: string;
  const record = (): Record => ws.readJson<Record>('dist/docker/api/docker-build.json');
  const build = () => ws.nx(['run', 'api:docker-build']);

  beforeAll(() => {
    ws = createTestWorkspace('build');
    image = `${ws.imagePrefix}-api`;
    writeApp(ws, 'apps/api');
    addProject(ws, 'api', 'apps/api', { image, tags: ['latest', 'e2e'] });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('builds on the first run, tags the image with its hash and writes a record', async () => {
    const result = await build();
    expect(result.exitCode).toBe(0);
    const first = record();
    expect(first.status).toBe('built');
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.hashTag).toBe(`nxb-${first.hash.slice(0, 16)}`);
    expect(first.steps?.total).toBe(5);
    expect(await imageId(`${image}:latest`)).toBe(first.imageId);
    expect(await imageId(`${image}:e2e`)).toBe(first.imageId);
    expect(await imageId(`${image}:${first.hashTag}`)).toBe(first.imageId);
    const label = await run('docker', ['image', 'inspect', '--format', '{{index .Config.Labels "org.nx-buildkit.inputs-hash"}}', `${image}:latest`]);
    expect(label.stdout.trim()).toBe(first.hash);
    expect(result.stdout).toMatch(/api {2}built +[\d.]+s {2}\d+\/5 steps cached {2}\(first build\)/);
    expect(first.reason).toBe('first build');
  });

  it('skips the second run without invoking BuildKit', async () => {
    const before = record();
    const result = await build();
    expect(result.exitCode).toBe(0);
    const second = record();
    expect(second.status).toBe('skipped');
    expect(second.skippedBecause).toBe('local');
    expect(second.hash).toBe(before.hash);
    expect(second.imageId).toBe(before.imageId);
    expect(result.stdout).toContain(`api  skipped  (unchanged, ${before.hashTag})`);
    expect(result.stdout).not.toMatch(/building|\[\d\/\d\]/);
  });

  it('re-applies the requested tags when skipping', async () => {
    await run('docker', ['image', 'rm', `${image}:e2e`]);
    const result = await build();
    expect(result.exitCode).toBe(0);
    expect(record().status).toBe('skipped');
    expect(await imageId(`${image}:e2e`)).toBe(record().imageId);
  });

  it('skips when only a file mtime changes or an ignored file changes', async () => {
    const before = record();
    ws.write('apps/api/src/app.txt', `line 1 ${ws.imagePrefix}\nline 2\n`);
    ws.write('apps/api/docs/readme.md', '# edited, but .dockerignore excludes docs\n');
    ws.write('apps/api/debug.log', 'ignored by *.log\n');
    const result = await build();
    expect(result.exitCode).toBe(0);
    expect(record().status).toBe('skipped');
    expect(record().hash).toBe(before.hash);
  });

  it('skips when a file the context sends but no instruction reads changes or is added (NOTES.txt, notes/)', async () => {
    const before = record();
    ws.write('apps/api/NOTES.txt', `sent to BuildKit, never copied ${Date.now()}\n`);
    ws.write('apps/api/notes/todo.txt', `also sent, never copied ${Date.now()}\n`);
    const result = await build();
    expect(result.exitCode).toBe(0);
    expect(record().status).toBe('skipped');
    expect(record().hash).toBe(before.hash);
  });

  it('rebuilds after a one-line source change with every step before the source COPY cached', async () => {
    const before = record();
    ws.write('apps/api/src/app.txt', `line 1 ${ws.imagePrefix}\nline 2 changed\n`);
    const result = await build();
    expect(result.exitCode).toBe(0);
    const after = record();
    expect(after.status).toBe('built');
    expect(after.hash).not.toBe(before.hash);
    // RUN, WORKDIR, COPY config/, COPY main.txt are cached; only COPY src/ runs.
    expect(after.steps).toEqual({ total: 5, cached: 4 });
    expect(result.stdout).toMatch(/COPY src\/ \/app\/src\/ {2}DONE/);
    expect(result.stdout).toMatch(/COPY config\/ \/app\/config\/ {2}CACHED/);
    expect(await imageId(`${image}:latest`)).toBe(after.imageId);
    // Why it rebuilt, against the last build's inputs, in the record and on the console.
    expect(after.reason).toBe('src/app.txt changed');
    expect(result.stdout).toContain('(src/app.txt changed)');
  });

  it('--explain prints how the inputs differ from the last build, and builds nothing', async () => {
    const before = record();
    ws.write('apps/api/src/extra.txt', 'new file\n');
    const result = await ws.nx(['run', 'api:docker-build', '--explain']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/api {2}inputs nxb-[0-9a-f]{16}: src\/extra\.txt added/);
    expect(result.stdout).toMatch(/^\s+src\/extra\.txt added$/m);
    expect(result.stdout).not.toMatch(/building|\[\d\/\d\]/);
    expect(record()).toEqual(before);
    ws.remove('apps/api/src/extra.txt');
  });

  it('rebuilds when a build arg changes', async () => {
    const before = record();
    addProject(ws, 'api', 'apps/api', { image, tags: ['latest', 'e2e'], buildArgs: { APP_VERSION: '2' } });
    const result = await build();
    expect(result.exitCode).toBe(0);
    expect(record().status).toBe('built');
    expect(record().hash).not.toBe(before.hash);
    // Named, never its value.
    expect(record().reason).toBe('build arg APP_VERSION added');
    expect(ws.read('dist/docker/api/docker-build.inputs.json')).not.toMatch(/"2"/);
  });

  it('fails a broken RUN with the step named, records the failure and applies no hash tag', async () => {
    ws.write('apps/broken/Dockerfile', 'FROM debian:bookworm-slim\nCOPY ok.txt /ok.txt\nRUN echo "about to fail" && exit 7\n');
    ws.write('apps/broken/ok.txt', 'ok\n');
    const brokenImage = `${ws.imagePrefix}-broken`;
    addProject(ws, 'broken', 'apps/broken', { image: brokenImage });
    const result = await ws.nx(['run', 'broken:docker-build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('RUN echo "about to fail" && exit 7');
    expect(result.output).toContain('exit code: 7');
    expect(result.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    const failed = ws.readJson<Record>('dist/docker/broken/docker-build.json');
    expect(failed.status).toBe('failed');
    expect(await imageExists(`${brokenImage}:${failed.hashTag}`)).toBe(false);
    expect(await imageExists(`${brokenImage}:latest`)).toBe(false);

    // The next run builds again (a failure is never skipped), and succeeds once fixed.
    ws.write('apps/broken/Dockerfile', 'FROM debian:bookworm-slim\nCOPY ok.txt /ok.txt\nRUN echo "fixed"\n');
    const fixed = await ws.nx(['run', 'broken:docker-build']);
    expect(fixed.exitCode).toBe(0);
    expect(ws.readJson<Record>('dist/docker/broken/docker-build.json').status).toBe('built');
  });

  it('rejects invalid options before building, naming the option and the fix', async () => {
    addProject(ws, 'badtag', 'apps/api', { image: `${ws.imagePrefix}-badtag`, tags: ['has space'] });
    const result = await ws.nx(['run', 'badtag:docker-build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Invalid tag "has space" in "tags"');
    expect(result.output).not.toContain('building');
  });
});

describe('nx-buildkit:build — registry: a fresh machine skips what the registry has', () => {
  let ws: TestWorkspace;
  let registry: TestRegistry;
  let image: string;
  const record = (): Record => ws.readJson<Record>('dist/docker/svc/docker-build.json');

  beforeAll(async () => {
    registry = await startRegistry();
    ws = createTestWorkspace('registry');
    image = `${ws.imagePrefix}-svc`;
    writeApp(ws, 'apps/svc');
    addProject(ws, 'svc', 'apps/svc', { image, registry: registry.host, push: true, tags: ['1.0.0'] });
  });

  afterAll(async () => {
    await ws?.cleanup();
    await registry?.stop();
  });

  const remoteHas = async (ref: string) => (await run('docker', ['buildx', 'imagetools', 'inspect', ref])).exitCode === 0;
  const remoteDigest = async (ref: string) => (JSON.parse((await runOk('docker', ['buildx', 'imagetools', 'inspect', '--format', '{{json .Manifest}}', ref])).stdout) as { digest: string }).digest;

  it('builds and pushes the tags and the hash tag when the registry lacks the image', async () => {
    const result = await ws.nx(['run', 'svc:docker-build']);
    expect(result.exitCode).toBe(0);
    const built = record();
    expect(built.status).toBe('built');
    expect(await remoteHas(`${registry.host}/${image}:1.0.0`)).toBe(true);
    expect(await remoteHas(`${registry.host}/${image}:${built.hashTag}`)).toBe(true);
  });

  it('on a machine with no local images, finds the image in the registry and builds nothing', async () => {
    const built = record();
    await removeImages(ws.imagePrefix);
    expect(await imageExists(`${registry.host}/${image}:${built.hashTag}`)).toBe(false);
    addProject(ws, 'svc', 'apps/svc', { image, registry: registry.host, push: true, tags: ['1.0.0', 'stable'] });

    const result = await ws.nx(['run', 'svc:docker-build']);
    expect(result.exitCode).toBe(0);
    const skipped = record();
    expect(skipped.status).toBe('skipped');
    expect(skipped.skippedBecause).toBe('registry');
    expect(skipped.hash).toBe(built.hash);
    expect(result.stdout).not.toMatch(/building|\[\d\/\d\]/);
    // The new tag is created in the registry; nothing is pulled unless "load" asks for it.
    expect(await remoteHas(`${registry.host}/${image}:stable`)).toBe(true);
    expect(await imageExists(`${registry.host}/${image}:${built.hashTag}`)).toBe(false);
    // The manifest itself, not a new index wrapping it: the tag has the hash tag's digest, so the next no-op finds
    // every tag in place and writes nothing.
    expect(await remoteDigest(`${registry.host}/${image}:stable`)).toBe(await remoteDigest(`${registry.host}/${image}:${built.hashTag}`));
  });

  it('pulls the image and tags it locally when load is true', async () => {
    addProject(ws, 'svc', 'apps/svc', { image, registry: registry.host, push: true, load: true, tags: ['1.0.0'] });
    const result = await ws.nx(['run', 'svc:docker-build']);
    expect(result.exitCode).toBe(0);
    expect(record().status).toBe('skipped');
    expect(await imageExists(`${registry.host}/${image}:1.0.0`)).toBe(true);
  });

  it('builds when a source file changed, even though the registry has the old image', async () => {
    ws.write('apps/svc/src/app.txt', `new code ${ws.imagePrefix}\n`);
    const result = await ws.nx(['run', 'svc:docker-build']);
    expect(result.exitCode).toBe(0);
    const rebuilt = record();
    expect(rebuilt.status).toBe('built');
    expect(await remoteHas(`${registry.host}/${image}:${rebuilt.hashTag}`)).toBe(true);
  });
});

// Official images carry no labels (Config.Labels is null), others carry labels of their own: both must be identified.
describe.each([
  { kind: 'label-free', labelArgs: [] as string[] },
  { kind: 'labelled', labelArgs: ['--label', 'org.opencontainers.image.vendor=acme'] },
])('nx-buildkit:build — a rebuilt $kind base image changes the hash', ({ kind, labelArgs }) => {
  let ws: TestWorkspace;
  let base: string;
  const buildBase = (marker: string) =>
    run('docker', ['build', '--quiet', ...labelArgs, '--tag', base, '-'], { input: `FROM debian:bookworm-slim\nRUN echo ${marker} > /base-marker\n` });

  beforeAll(() => {
    ws = createTestWorkspace(`base-${kind}`);
    base = `${ws.imagePrefix}-base:1`;
    ws.write('apps/child/Dockerfile', `ARG BASE=${base}\nFROM \${BASE}\nCOPY app.txt /app.txt\n`);
    ws.write('apps/child/app.txt', 'child\n');
    addProject(ws, 'child', 'apps/child', { image: `${ws.imagePrefix}-child` });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('rebuilds when the FROM image (named through an ARG default) gets a new ID under the same tag', async () => {
    expect((await buildBase('one')).exitCode).toBe(0);
    const labels = (await run('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', base])).stdout.trim();
    expect(labels === 'null').toBe(kind === 'label-free');
    expect((await ws.nx(['run', 'child:docker-build'])).exitCode).toBe(0);
    const first = ws.readJson<Record>('dist/docker/child/docker-build.json');
    expect(first.status).toBe('built');
    // A base only this machine has (built here, no registry digest) is named by its image ID.
    expect(first.bases).toEqual({ [base]: `image-id:${await imageId(base)}` });

    expect((await ws.nx(['run', 'child:docker-build'])).exitCode).toBe(0);
    expect(ws.readJson<Record>('dist/docker/child/docker-build.json').status).toBe('skipped');

    expect((await buildBase('two')).exitCode).toBe(0);
    expect((await ws.nx(['run', 'child:docker-build'])).exitCode).toBe(0);
    const rebuilt = ws.readJson<Record>('dist/docker/child/docker-build.json');
    expect(rebuilt.status).toBe('built');
    expect(rebuilt.hash).not.toBe(first.hash);
    const marker = await run('docker', ['run', '--rm', `${ws.imagePrefix}-child:latest`, 'cat', '/base-marker']);
    expect(marker.stdout.trim()).toBe('two');
  });
});
