import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { phaseWorkspace } from '../../../../test/phase-workspace';
import type { BuildRecord } from '../record';
import { appendStepSummary, formatRunSummary, reportRows, writeReports } from './report';

/**
 * The pure part of the report phase. What the engine lists (the sizes of the images a run built or skipped) and the
 * whole report phase are checked against the real engine by the e2e specs run-report.spec.ts and batch-parallel.spec.ts.
 */
describe('report', () => {
  const ws = phaseWorkspace('report');
  let dir: string;
  beforeAll(() => {
    for (const name of ['a', 'b', 'c']) ws.project(name, 'FROM scratch\n');
    dir = mkdtempSync(join(tmpdir(), 'nxb-report-out-'));
  });
  afterAll(() => {
    ws.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (project: string, fields: Partial<BuildRecord>): BuildRecord =>
    ({ project, target: 'docker-build', image: `acme/${project}`, tags: [`acme/${project}:latest`], hash: 'f'.repeat(64), hashTag: 'nxb-ffff', status: 'built', durationMs: 1200, ...fields }) as BuildRecord;

  it("has a row for each recorded task, in the run's order, with its image's size from the listing", () => {
    const { tasks } = ws.tasks(['a', 'b', 'c']);
    tasks.settle(tasks.get('c:docker-build'), record('c', { imageId: 'sha256:c' }), 'success');
    tasks.settle(tasks.get('b:docker-build'), undefined, 'success');
    tasks.settle(tasks.get('a:docker-build'), record('a', { status: 'failed' }), 'failure');
    const rows = reportRows(tasks, [{ id: 'sha256:c', sizeBytes: 2048 }, { id: 'sha256:x', sizeBytes: 1 }]);
    expect(rows.map(({ task, row }) => [task.id, row.record.project, row.sizeBytes])).toEqual([
      ['a:docker-build', 'a', undefined],
      ['c:docker-build', 'c', 2048],
    ]);
  });

  it('puts the table after a blank line and counts the images left to other shards', () => {
    const rows = [{ record: record('a', {}), sizeBytes: 2048 }];
    expect(formatRunSummary(rows, 0)).toMatch(/^\nimage\s+status/);
    expect(formatRunSummary(rows, 0)).not.toContain('other shards');
    expect(formatRunSummary(rows, 1).endsWith('\n1 image left to other shards')).toBe(true);
    expect(formatRunSummary(rows, 3).endsWith('\n3 images left to other shards')).toBe(true);
  });

  it('appends the step summary when asked, and says in one line when it cannot', () => {
    const said: string[] = [];
    const rows = [{ record: record('a', {}) }];
    const path = join(dir, 'summary.md');
    writeFileSync(path, 'before\n');
    appendStepSummary(rows, 2000, (line) => said.push(line), path);
    expect(readFileSync(path, 'utf8')).toMatch(/^before\n### nx-buildkit: 1 image — 1 built, 0 skipped, 0 failed/);
    appendStepSummary([], 2000, (line) => said.push(line), join(dir, 'untouched.md'));
    appendStepSummary(rows, 2000, (line) => said.push(line), undefined);
    appendStepSummary(rows, 2000, (line) => said.push(line), join(dir, 'no-such-folder', 'summary.md'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^nx-buildkit: could not append the summary to GITHUB_STEP_SUMMARY \(.*no-such-folder.*\): ENOENT/);
  });

  it('writes one run report per record folder, and says in one line when one cannot be written', () => {
    const { tasks } = ws.tasks(['a', 'b'], { b: { recordDir: 'other-records' } });
    tasks.settle(tasks.get('a:docker-build'), record('a', {}), 'success');
    tasks.settle(tasks.get('b:docker-build'), record('b', {}), 'success');
    const told: string[] = [];
    const warned: string[] = [];
    writeReports(reportRows(tasks, []), (line) => told.push(line), (line) => warned.push(line));
    expect(told).toHaveLength(2);
    expect(warned).toEqual([]);
    for (const id of tasks.ids) expect(readFileSync(join(tasks.get(id).options?.recordDir as string, 'report.html'), 'utf8')).toContain(id.split(':')[0]);
    // A record folder that is a file: the report cannot be written there.
    const blocked = ws.tasks(['c'], { c: { recordDir: 'blocked' } });
    ws.write('blocked', 'a file\n');
    blocked.tasks.settle(blocked.tasks.get('c:docker-build'), record('c', {}), 'success');
    writeReports(reportRows(blocked.tasks, []), (line) => told.push(line), (line) => warned.push(line));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^nx-buildkit: could not write the run report in .*blocked: /);
  });
});
