import { run } from './support/processes';
import { addProject, createTestWorkspace, imageExists, TestWorkspace } from './support/workspace';

describe('smoke: a fresh workspace builds an image through the plugin', () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('smoke');
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('runs nx-buildkit:build with the real nx CLI and the image exists in the engine', async () => {
    const image = `${ws.imagePrefix}-hello`;
    ws.write('apps/hello/Dockerfile', 'FROM debian:bookworm-slim\nCOPY message.txt /message.txt\nCMD ["cat", "/message.txt"]\n');
    ws.write('apps/hello/message.txt', 'hello from nx-buildkit\n');
    addProject(ws, 'hello', 'apps/hello', { image, tags: ['smoke'] });

    const result = await ws.nx(['run', 'hello:docker-build']);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/hello {2}built/);
    expect(await imageExists(`${image}:smoke`)).toBe(true);
    console.log(`smoke e2e built a real image: ${image}:smoke`);
  });

  it('exports listContextFiles from the installed package', async () => {
    ws.write('apps/hello/.dockerignore', '*.md\n');
    ws.write('apps/hello/NOTES.md', 'not sent\n');
    const script = `require('nx-buildkit').listContextFiles({ context: 'apps/hello', dockerfile: 'apps/hello/Dockerfile' }).then((f) => console.log(JSON.stringify(f)))`;
    const result = await run(process.execPath, ['-e', script], { cwd: ws.root });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(['.dockerignore', 'Dockerfile', 'message.txt', 'project.json']);
  });

  it('nx add nx-buildkit installs the plugin and runs init (plugin registered, ignore files written)', async () => {
    const tarball = ws.readJson<{ devDependencies: Record<string, string> }>('package.json').devDependencies['nx-buildkit'];
    ws.write('nx.json', '{}\n');
    const result = await ws.nx(['add', `nx-buildkit@${tarball}`]);
    expect(result.exitCode).toBe(0);
    expect(ws.readJson<{ plugins?: unknown[] }>('nx.json').plugins).toEqual(['nx-buildkit']);
    expect(ws.read('.dockerignore')).toMatch(/^\*\*\/node_modules$/m);
    expect(ws.read('.gitignore')).toMatch(/^\/dist\/docker$|^dist$/m);
    const shown = await ws.nx(['show', 'project', 'hello', '--json']);
    expect(shown.exitCode).toBe(0);
    expect(Object.keys(JSON.parse(shown.stdout).targets)).toContain('docker-build');
  });
});
