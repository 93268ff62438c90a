import { phaseWorkspace } from '../../../../test/phase-workspace';
import type { BuildRecord } from '../record';
import { settleBuilt, skipAfterFailedParent } from './build-rest';

/**
 * The pure part of buildRest: how a build's outcome and a failed parent settle a task. The builds themselves run
 * BuildKit through execa, which Jest's module loader cannot import: the real-engine checks are the e2e specs
 * parallel.spec.ts (each task its own result, the failure fails alone, an image built after the one it starts FROM,
 * one line per image as it goes) and batch-parallel.spec.ts (as many builds at once as Nx's --parallel).
 */
describe('buildRest', () => {
  const ws = phaseWorkspace('build-rest');
  beforeAll(() => {
    ws.project('base', 'FROM scratch\n');
    ws.project('child', 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  const record = (project: string, fields: Partial<BuildRecord>): BuildRecord =>
    ({ project, target: 'docker-build', image: `acme/${project}`, tags: [], hash: 'e'.repeat(64), hashTag: 'nxb-eeee', status: 'built', durationMs: 3400, steps: { total: 3, cached: 1 }, ...fields }) as BuildRecord;

  it("says a built image's record line and settles it as a success with its record", () => {
    const { tasks, lines } = ws.tasks(['base', 'child']);
    settleBuilt(tasks, tasks.get('base:docker-build'), record('base', {}));
    expect(lines).toEqual(['base   built    3.4s  1/3 steps cached']);
    expect(tasks.records.get('base:docker-build')?.status).toBe('built');
    expect([...tasks.drain()]).toEqual([{ task: 'base:docker-build', result: { success: true, status: 'success', terminalOutput: '\n' } }]);
  });

  it("says `failed` for a build that failed and gives the record's error as the task's message", () => {
    const { tasks, lines } = ws.tasks(['base', 'child']);
    settleBuilt(tasks, tasks.get('base:docker-build'), record('base', { status: 'failed', error: 'RUN make: exit code 2' }));
    expect(lines).toEqual(['base   failed']);
    expect([...tasks.drain()]).toEqual([{ task: 'base:docker-build', result: { success: false, status: 'failure', terminalOutput: 'RUN make: exit code 2\n' } }]);
  });

  it('settles an image FROM a failed one as skipped, with a failed record that names the parent and the fix', () => {
    const { tasks, lines } = ws.tasks(['base', 'child']);
    skipAfterFailedParent(tasks, tasks.get('child:docker-build'), 'base:docker-build');
    const message = 'Not built: it starts FROM the image of base:docker-build, which failed. Fix that one and rerun.';
    expect(lines).toEqual(['child  skipped  (base:docker-build failed)']);
    expect(tasks.records.get('child:docker-build')).toMatchObject({ status: 'failed', project: 'child', error: message });
    expect([...tasks.drain()]).toEqual([{ task: 'child:docker-build', result: { success: false, status: 'skipped', terminalOutput: `${message}\n` } }]);
  });
});
