import { existsSync } from 'node:fs';
import { phaseWorkspace } from '../../../../test/phase-workspace';
import { settledOrAfter } from './run-tasks';

describe('RunTasks', () => {
  const ws = phaseWorkspace('run-tasks');
  beforeAll(() => {
    ws.project('api', 'FROM scratch\n');
    ws.project('web-frontend', 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  it('says status lines with the labels in one column and details indented past them', () => {
    const { tasks, lines } = ws.tasks(['api', 'web-frontend']);
    tasks.status(tasks.get('api:docker-build'), 'queued');
    tasks.status(tasks.get('web-frontend:docker-build'), 'queued');
    tasks.detail('src/a.py changed');
    expect(lines).toEqual(['api           queued', 'web-frontend  queued', '                src/a.py changed']);
  });

  it('hands results over in the order they settled, each once, with the task log as its output', async () => {
    const { tasks } = ws.tasks(['api', 'web-frontend']);
    const web = tasks.get('web-frontend:docker-build');
    web.log.push('a warning');
    tasks.settle(web, undefined, 'skipped', 'Not built.');
    tasks.settle(tasks.get('api:docker-build'), undefined, 'success');
    expect(tasks.isSettled('api:docker-build')).toBe(true);
    expect([...tasks.drain()]).toEqual([
      { task: 'web-frontend:docker-build', result: { success: false, status: 'skipped', terminalOutput: 'a warning\nNot built.\n' } },
      { task: 'api:docker-build', result: { success: true, status: 'success', terminalOutput: '\n' } },
    ]);
    expect([...tasks.drain()]).toEqual([]);
    expect(web.ended).toBeGreaterThanOrEqual(web.started);
  });

  it('fails a task with its status line, the message in its output and a failed record; under --explain no record', () => {
    const { tasks, lines } = ws.tasks(['api', 'web-frontend'], { 'web-frontend': { explain: true } });
    const api = tasks.get('api:docker-build');
    tasks.fail(api, new Error('the engine went away'));
    tasks.fail(tasks.get('web-frontend:docker-build'), new Error('no'), 'failed   no');
    expect(lines).toEqual(['api           failed', 'web-frontend  failed   no']);
    expect(tasks.records.get('api:docker-build')).toMatchObject({ status: 'failed', project: 'api' });
    expect(existsSync(api.options?.recordPath as string)).toBe(true);
    expect(tasks.records.has('web-frontend:docker-build')).toBe(false);
    expect([...tasks.drain()].map(({ result }) => result.terminalOutput)).toEqual(['the engine went away\n', 'no\n']);
  });

  it('drains results as they settle while work runs, then rethrows what the work threw', async () => {
    const { tasks } = ws.tasks(['api', 'web-frontend']);
    const work = (async () => {
      tasks.settle(tasks.get('api:docker-build'), undefined, 'success');
      await new Promise((resolve) => setTimeout(resolve, 250));
      tasks.settle(tasks.get('web-frontend:docker-build'), undefined, 'failure');
      throw new Error('cycle');
    })();
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const { task } of tasks.drainUntil(work)) seen.push(task);
      })(),
    ).rejects.toThrow('cycle');
    expect(seen).toEqual(['api:docker-build', 'web-frontend:docker-build']);
  });

  it('leaves no timer pending once the work has settled: nothing keeps the batch process alive after its last task', async () => {
    const { tasks } = ws.tasks(['api']);
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const work = new Promise<void>((resolve) => setImmediate(() => {
      tasks.settle(tasks.get('api:docker-build'), undefined, 'success');
      resolve();
    }));
    const seen: string[] = [];
    for await (const { task } of tasks.drainUntil(work)) seen.push(task);
    expect(seen).toEqual(['api:docker-build']);
    expect(timers()).toBe(before);
  });

  it('settledOrAfter: resolves with the work (also a failed one) or after the wait, and clears its timer both ways', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    await settledOrAfter(Promise.reject(new Error('failed')), 10_000);
    expect(timers()).toBe(before);
    const started = Date.now();
    await settledOrAfter(new Promise(() => undefined), 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(timers()).toBe(before);
  });

  it('shows finished steps as status lines and keeps the rest in the task log', () => {
    const { tasks, lines } = ws.tasks(['api']);
    const api = tasks.get('api:docker-build');
    const out = tasks.outputFor(api);
    out.info('built');
    out.warn('careful');
    out.step?.({ kind: 'log', name: '[2/3] RUN make', text: 'RUN output' }, { done: 0, cached: 0, total: 3 } as never);
    out.step?.({ kind: 'step-done', name: '[2/3] RUN make', seconds: 1.5 }, { done: 1, cached: 0, total: 3 } as never);
    expect(api.log).toEqual(['built', 'careful']);
    expect(lines).toEqual(['api  [2/3] RUN make  DONE 1.5s']);
  });
});
