import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

const PROJECTS = ['slow-a', 'slow-b', 'slow-c'];

/**
 * Batch mode builds as many images at once as Nx's --parallel says (Nx does not hand the value to a batch executor;
 * the executor reads it where Nx does). Three images whose build takes two seconds each: with --parallel=1 no two
 * builds overlap, with --parallel=3 they do.
 */
describe('batch mode follows --parallel', () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('batch-parallel');
    writeJson(join(ws.root, 'nx.json'), { plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}` } }] });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  /** The order builds started and ended in, from the one status line per image and step the batch prints. */
  const buildAll = async (parallel: number): Promise<string[]> => {
    // A new token per run: nothing is cached, each build really takes its two seconds.
    const token = randomBytes(4).toString('hex');
    for (const name of PROJECTS) {
      writeJson(join(ws.root, `apps/${name}/project.json`), { name });
      ws.write(`apps/${name}/Dockerfile`, `FROM debian:bookworm-slim\nRUN echo ${token} > /token && sleep 2\n`);
    }
    const result = await ws.nx(['run-many', '-t', 'docker-build', `--parallel=${parallel}`, '--output-style=static']);
    expect(result.exitCode).toBe(0);
    for (const name of PROJECTS) expect(ws.readJson<{ status: string }>(`dist/docker/${name}/docker-build.json`).status).toBe('built');
    const events: string[] = [];
    for (const line of result.stdout.split('\n')) {
      const match = /^(slow-[abc])\s+(building|built)\b/.exec(line);
      // Nx echoes each task's output again at its end: the first line per image and event is the live one.
      if (match && !events.includes(`${match[2]} ${match[1]}`)) events.push(`${match[2]} ${match[1]}`);
    }
    return events;
  };

  /** The most builds running at one moment. */
  const mostAtOnce = (events: readonly string[]) => {
    let running = 0;
    let most = 0;
    for (const event of events) {
      running += event.startsWith('building') ? 1 : -1;
      most = Math.max(most, running);
    }
    return most;
  };

  it('--parallel=1 builds one image at a time', async () => {
    const events = await buildAll(1);
    expect(events).toHaveLength(6);
    expect(mostAtOnce(events)).toBe(1);
  });

  it('--parallel=3 builds them at once', async () => {
    const events = await buildAll(3);
    expect(events).toHaveLength(6);
    expect(mostAtOnce(events)).toBe(3);
  });
});
