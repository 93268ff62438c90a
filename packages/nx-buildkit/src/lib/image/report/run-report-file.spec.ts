import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildRecord } from '../record';
import { currentRunId, writeRunReport } from './run-report-file';

const entry = (project: string) => ({
  record: { project, target: 'docker-build', image: project, tags: [], hash: 'h', hashTag: 'nxb-h', status: 'built', durationMs: 1000, finishedAt: '' } as BuildRecord,
  startedAt: 1000,
  endedAt: 2000,
});

describe('writeRunReport', () => {
  it('draws every image of the same Nx run, whichever process wrote it (--batch=false)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nxb-report-'));
    writeRunReport(dir, 'run-1', [entry('api')]);
    const path = writeRunReport(dir, 'run-1', [entry('web')]);
    expect(path).toBe(join(dir, 'report.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('>api<');
    expect(html).toContain('>web<');
  });

  it('keeps a batch in one file of the run folder, and draws it beside the files of other processes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nxb-report-'));
    writeRunReport(dir, 'run-1', [entry('api'), entry('worker')]);
    const html = readFileSync(writeRunReport(dir, 'run-1', [entry('web')]), 'utf8');
    expect(readdirSync(join(dir, '.report-entries', 'run-1')).sort()).toEqual(['api%3Adocker-build.json', 'web%3Adocker-build.json']);
    for (const project of ['api', 'worker', 'web']) expect(html).toContain(`>${project}<`);
  });

  it('starts afresh for another run and removes the entries of runs long gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nxb-report-'));
    writeRunReport(dir, 'run-1', [entry('api')]);
    const old = join(dir, '.report-entries', 'run-0');
    mkdirSync(old);
    writeFileSync(join(old, 'x.json'), '{}');
    utimesSync(old, new Date(0), new Date(0));
    writeRunReport(dir, 'run-2', [entry('web')]);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).not.toContain('>api<');
    expect(html).toContain('>web<');
    expect(readdirSync(join(dir, '.report-entries')).sort()).toEqual(['run-1', 'run-2']);
  });
});

describe('currentRunId', () => {
  it("is the forking Nx process on Nx 21–23, which pass no ancestors: a task process's parent", () => {
    expect(currentRunId({ NX_TASK_TARGET_PROJECT: 'api' }, (pid) => `t${pid}`, 4242)).toBe('4242-t4242');
  });

  it('is the Nx process that started the task (the last ancestor) with its start time', () => {
    expect(currentRunId({ NX_INVOCATION_ANCESTOR_PIDS: '10,20' }, (pid) => `t${pid}`)).toBe('20-t20');
  });

  it('is this process outside Nx', () => {
    expect(currentRunId({}, () => undefined)).toBe(`${process.pid}-unknown`);
  });

  it('reads a real process start time', () => {
    expect(currentRunId({ NX_INVOCATION_ANCESTOR_PIDS: String(process.pid) })).toMatch(new RegExp(`^${process.pid}-\\d+$`));
  });
});
