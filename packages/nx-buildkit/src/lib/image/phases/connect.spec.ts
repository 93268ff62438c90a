import { phaseWorkspace } from '../../../../test/phase-workspace';
import type { RunState } from '../run-state';
import { connect } from './connect';

/** Against the real engine, and against a socket where no engine answers (what a stopped engine looks like). */
describe('connect', () => {
  const ws = phaseWorkspace('connect');
  beforeAll(() => {
    for (const name of ['api', 'web', 'w1', 'w2', 'w3']) ws.project(name, 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  it("gives the run's state when the engine answers, and fails nothing; a run of few images asks for them by reference", async () => {
    const { tasks, lines } = ws.tasks(['api', 'web']);
    // The work given to do meanwhile runs once the ping is sent, before its answer is awaited.
    const callsSeenMeanwhile: number[] = [];
    const run = await connect('docker', ws.context(), tasks, tasks.ids, (state) => callsSeenMeanwhile.push(state.engine.calls));
    expect(callsSeenMeanwhile).toEqual([1]);
    expect(run?.engine.endpoint.kind).not.toBe('cli');
    expect(run?.imageLookup).toBe('by-reference');
    // Only the ping: no listing is asked for.
    expect(run?.engine.calls).toBe(1);
    expect(await run?.localImage('debian:bookworm-slim')).toMatchObject({ id: expect.stringMatching(/^sha256:/) });
    expect(run?.engine.calls).toBe(2);
    expect(run?.workspaceImages.producerOf(ws.imageOf('api'))?.id).toBe('api:docker-build');
    expect(lines).toEqual([]);
    expect([...tasks.drain()]).toEqual([]);
  });

  it('lists the images beside the ping for a run of more than a few images: look-ups then cost no call', async () => {
    const { tasks } = ws.tasks(['api', 'web', 'w1', 'w2', 'w3']);
    const run = await connect('docker', ws.context(), tasks, tasks.ids);
    expect(run?.imageLookup).toBe('listing');
    expect(run?.engine.calls).toBe(2);
    expect(await run?.localImage('debian:bookworm-slim')).toMatchObject({ id: expect.stringMatching(/^sha256:/) });
    expect(await run?.localImage('absent-image:1')).toBeUndefined();
    expect(run?.engine.calls).toBe(2);
  });

  it('says once why the engine does not answer and fails every task still to run with that message and a failed record', async () => {
    const { tasks, lines } = ws.tasks(['api', 'web']);
    const socket = `${ws.root}/no-engine.sock`;
    let meanwhileRuns = 0;
    const meanwhile = (state: RunState) => {
      meanwhileRuns++;
      state.localImage('debian:bookworm-slim').catch(() => undefined);
    };
    const run = await connect('docker', ws.context(), tasks, ['web:docker-build'], meanwhile, { ...process.env, DOCKER_HOST: `unix://${socket}` });
    expect(run).toBeUndefined();
    // Look-ups sent while the ping was on its way fail too, and are not what the run says.
    expect(meanwhileRuns).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^The Docker engine is not answering at .*no-engine\\.sock.*set DOCKER_HOST to a running engine, then rerun\\.$`));
    expect(lines[1]).toBe('web  failed');
    expect(tasks.records.get('web:docker-build')).toMatchObject({ status: 'failed' });
    expect([...tasks.drain()]).toEqual([{ task: 'web:docker-build', result: { success: false, status: 'failure', terminalOutput: `${lines[0]}\n` } }]);
  });
});
