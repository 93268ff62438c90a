import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './support/processes';
import { addProject, createTestWorkspace, imageExists, TestWorkspace } from './support/workspace';

const buildTempDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('nx-buildkit-') && !name.startsWith('nx-buildkit-e2e'));

/** Starts `nx run` and sends it a signal once BuildKit is running the slow step; resolves with the output and exit. */
function interruptDuringBuild(ws: TestWorkspace, target: string, signal: NodeJS.Signals): Promise<{ code: number | null; output: string; stopMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ws.root, 'node_modules/nx/dist/bin/nx.js'), 'run', target], {
      cwd: ws.root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let sent = false;
    let sentAt = 0;
    const onData = (chunk: Buffer) => {
      output += chunk;
      // The COPY before the slow RUN is done: BuildKit is now inside `sleep`.
      if (!sent && /COPY slow.txt \/slow.txt {2}(DONE|CACHED)/.test(output)) {
        sent = true;
        setTimeout(() => {
          sentAt = Date.now();
          child.kill(signal);
        }, 1500);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, stopMs: sentAt ? Date.now() - sentAt : Number.POSITIVE_INFINITY }));
  });
}

describe.each<NodeJS.Signals>(['SIGINT', 'SIGTERM'])('an interrupted build (%s to nx)', (signal) => {
  let ws: TestWorkspace;
  let image: string;

  beforeAll(() => {
    ws = createTestWorkspace(`int-${signal.toLowerCase()}`);
    image = `${ws.imagePrefix}-slow`;
    ws.write('apps/slow/Dockerfile', `FROM debian:bookworm-slim\nCOPY slow.txt /slow.txt\nRUN sleep 12 && echo "${ws.imagePrefix}" > /done\n`);
    ws.write('apps/slow/slow.txt', `${ws.imagePrefix}\n`);
    addProject(ws, 'slow', 'apps/slow', { image });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('stops BuildKit, applies no hash tag, leaves no temp files, and the rerun builds', async () => {
    const tempBefore = buildTempDirs();
    const interrupted = await interruptDuringBuild(ws, 'slow:docker-build', signal);
    expect(interrupted.code).not.toBe(0);
    // Stopped well before the 12 s step could have finished (the signal came 1.5 s into it).
    expect(interrupted.stopMs).toBeLessThan(8_000);
    expect(await imageExists(`${image}:latest`)).toBe(false);
    const images = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', image]);
    expect(images.stdout.trim()).toBe('');
    // nx may exit before the task process has finished cleaning up (seen on a loaded machine with SIGTERM): give it
    // a few seconds, then nothing may be left.
    const leftovers = async () => ({
      tempDirs: buildTempDirs().filter((name) => !tempBefore.includes(name)),
      buildx: (await run('pgrep', ['-f', `buildx build .*${ws.root}`])).stdout.trim(),
    });
    for (let waited = 0; waited < 10_000; waited += 250) {
      const left = await leftovers();
      if (left.tempDirs.length === 0 && left.buildx === '') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await leftovers()).toEqual({ tempDirs: [], buildx: '' });

    const rerun = await ws.nx(['run', 'slow:docker-build']);
    expect(rerun.exitCode).toBe(0);
    expect(ws.readJson<{ status: string }>('dist/docker/slow/docker-build.json').status).toBe('built');
    expect((await run('docker', ['run', '--rm', `${image}:latest`, 'cat', '/done'])).stdout.trim()).toBe(ws.imagePrefix);
  });
});
