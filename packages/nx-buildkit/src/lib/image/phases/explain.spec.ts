import { phaseWorkspace } from '../../../../test/phase-workspace';
import type { PlannedBuild } from '../plan';
import { explain } from './explain';

describe('explain', () => {
  const ws = phaseWorkspace('explain');
  beforeAll(() => {
    ws.project('api', 'FROM scratch\n');
    ws.project('web', 'FROM scratch\n');
    ws.project('worker', 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  const planOf = (options: PlannedBuild['options'], hashTag: string, summary: string, details: string[]): PlannedBuild => ({ options, hashTag, changes: () => ({ summary, details }) }) as unknown as PlannedBuild;

  it('says what changed since the last build of each --explain task, settles it as a success, and leaves the others', () => {
    const { tasks, lines } = ws.tasks(['api', 'web', 'worker'], { api: { explain: true }, web: { explain: true } });
    const [api, web, worker] = tasks.ids.map((id) => tasks.get(id));
    api.plan = planOf(api.options as PlannedBuild['options'], 'nxb-111', 'src/a.py changed; 1 file added', ['src/a.py changed', 'src/b.py added']);
    worker.plan = planOf(worker.options as PlannedBuild['options'], 'nxb-333', 'first build', []);
    // web has no plan: it failed to hash, and is settled already.
    explain(tasks, tasks.ids);
    expect(lines).toEqual(['api     inputs nxb-111: src/a.py changed; 1 file added', '          src/a.py changed', '          src/b.py added']);
    expect([...tasks.drain()]).toEqual([{ task: 'api:docker-build', result: { success: true, status: 'success', terminalOutput: '\n' } }]);
    expect(tasks.records.size).toBe(0);
    expect(web.plan).toBeUndefined();
  });
});
