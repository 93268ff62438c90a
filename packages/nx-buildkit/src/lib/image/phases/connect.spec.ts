import { phaseWorkspace } from '../../../../test/phase-workspace';
import { connect } from './connect';

/** Against the real engine, and against a socket where no engine answers (what a stopped engine looks like). */
describe('connect', () => {
  const ws = phaseWorkspace('connect');
  beforeAll(() => {
    ws.project('api', 'FROM scratch\n');
    ws.project('web', 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  it("gives the run's state when the engine answers, and fails nothing", async () => {
    const { tasks, lines } = ws.tasks(['api', 'web']);
    const run = await connect('docker', ws.context(), tasks, tasks.ids);
    expect(run?.engine.endpoint.kind).not.toBe('cli');
    // The ping, and the image list planning asks for first, sent beside it: asking for it again costs no call.
    expect(run?.engine.calls).toBe(2);
    expect(await run?.localImages()).toEqual(expect.any(Array));
    expect(run?.engine.calls).toBe(2);
    expect(run?.workspaceImages.producerOf(ws.imageOf('api'))?.id).toBe('api:docker-build');
    expect(lines).toEqual([]);
    expect([...tasks.drain()]).toEqual([]);
  });

  it('says once why the engine does not answer and fails every task still to run with that message and a failed record', async () => {
    const { tasks, lines } = ws.tasks(['api', 'web']);
    const socket = `${ws.root}/no-engine.sock`;
    const run = await connect('docker', ws.context(), tasks, ['web:docker-build'], { ...process.env, DOCKER_HOST: `unix://${socket}` });
    expect(run).toBeUndefined();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^The Docker engine is not answering at .*no-engine\\.sock.*set DOCKER_HOST to a running engine, then rerun\\.$`));
    expect(lines[1]).toBe('web  failed');
    expect(tasks.records.get('web:docker-build')).toMatchObject({ status: 'failed' });
    expect([...tasks.drain()]).toEqual([{ task: 'web:docker-build', result: { success: false, status: 'failure', terminalOutput: `${lines[0]}\n` } }]);
  });
});
