import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserFacingError } from '../errors';
import { BuildRecord, formatRecordLine, writeRecord } from './record';

const record: BuildRecord = {
  project: 'api',
  target: 'docker-build',
  image: 'localhost:5000/api',
  tags: ['localhost:5000/api:latest'],
  hash: 'ab'.repeat(32),
  hashTag: `nxb-${'ab'.repeat(8)}`,
  status: 'built',
  durationMs: 12_430,
  imageId: 'sha256:1234',
  steps: { total: 10, cached: 9 },
  pushed: false,
  finishedAt: '2026-11-27T18:16:00.000Z',
};

describe('writeRecord', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nxb-record-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates missing folders and writes the record as JSON, leaving no temp file', () => {
    const path = join(dir, 'dist/docker/api/docker-build.json');
    writeRecord(path, record);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(record);
    expect(readdirSync(join(dir, 'dist/docker/api'))).toEqual(['docker-build.json']);
  });

  it('replaces an existing record', () => {
    const path = join(dir, 'rec.json');
    writeRecord(path, record);
    writeRecord(path, { ...record, status: 'failed', error: 'boom' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ status: 'failed', error: 'boom' });
    expect(readdirSync(dir)).toEqual(['rec.json']);
  });

  // BUG: when mkdirSync fails with ENOTDIR, the cleanup `rmSync(temp, { force: true })` in the catch block throws
  // ENOTDIR too (force only ignores ENOENT), so a raw "ENOTDIR … lstat '….tmp'" escapes instead of the UserFacingError.
  it('throws a UserFacingError naming the path when the folder cannot be created (under a regular file)', () => {
    writeFileSync(join(dir, 'file'), '');
    const path = join(dir, 'file/sub/rec.json');
    let error: unknown;
    try {
      writeRecord(path, record);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toContain(path);
  });

  it('throws a UserFacingError and removes its temp file when the target is a folder', () => {
    const path = join(dir, 'taken');
    writeRecord(join(path, 'x.json'), record);
    expect(() => writeRecord(path, record)).toThrow(UserFacingError);
    expect(() => writeRecord(path, record)).toThrow(`Could not write the build record "${path}"`);
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('formatRecordLine', () => {
  it('formats a build with its cached steps', () => {
    expect(formatRecordLine(record)).toBe('api  built    12.4s  9/10 steps cached');
  });

  it('formats a build without step counts, and a pushed build', () => {
    expect(formatRecordLine({ ...record, steps: undefined, durationMs: 900 })).toBe('api  built    0.9s');
    expect(formatRecordLine({ ...record, pushed: true })).toBe('api  built    12.4s  9/10 steps cached  pushed');
  });

  it('formats a skip found locally and one found in the registry', () => {
    expect(formatRecordLine({ ...record, status: 'skipped', skippedBecause: 'local' })).toBe(`api  skipped  (unchanged, ${record.hashTag})`);
    expect(formatRecordLine({ ...record, status: 'skipped', skippedBecause: 'registry' })).toBe(`api  skipped  (unchanged in registry, ${record.hashTag})`);
  });

  it('names the platforms of a multi-platform build and skip', () => {
    const platforms = ['linux/amd64', 'linux/arm64'];
    expect(formatRecordLine({ ...record, pushed: true, platforms, reason: 'first build' })).toBe('api  built    12.4s  9/10 steps cached  pushed  linux/amd64, linux/arm64  (first build)');
    expect(formatRecordLine({ ...record, status: 'skipped', skippedBecause: 'registry', platforms })).toBe(`api  skipped  (unchanged in registry, ${record.hashTag})  linux/amd64, linux/arm64`);
  });

  it('formats a failure', () => {
    expect(formatRecordLine({ ...record, status: 'failed', durationMs: 3_050 })).toBe('api  failed   3.0s');
  });
});
