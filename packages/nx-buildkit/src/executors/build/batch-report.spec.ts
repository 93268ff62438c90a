import type { BuildRecord } from '../../lib/record';
import { formatBatchSummary, formatBytes } from './batch-report';

const record = (project: string, status: BuildRecord['status'], extra: Partial<BuildRecord> = {}): BuildRecord => ({
  project,
  target: 'docker-build',
  image: project,
  tags: [`${project}:latest`],
  hash: 'h',
  hashTag: 'nxb-h',
  status,
  durationMs: 12_400,
  finishedAt: '2026-11-27T00:00:00Z',
  ...extra,
});

describe('formatBatchSummary', () => {
  it('has one aligned row per image with status, time, steps cached and size, then the counts', () => {
    const text = formatBatchSummary([
      { record: record('api', 'built', { steps: { total: 10, cached: 9 } }), sizeBytes: 157_286_400 },
      { record: record('web', 'skipped', { skippedBecause: 'local', durationMs: 300 }), sizeBytes: 2048 },
      { record: record('worker', 'failed', { target: 'docker-build-prod' }) },
    ]);
    expect(text.split('\n')).toEqual([
      'image                     status               time   steps cached  size',
      'api                       built                12.4s  9/10          150 MB',
      'web                       skipped (unchanged)  0.3s   -             2.0 KB',
      'worker:docker-build-prod  failed               12.4s  -             -',
      '3 images: 1 built, 1 skipped, 1 failed',
    ]);
  });
});

describe('formatBytes', () => {
  it.each([
    [512, '512 B'],
    [1536, '1.5 KB'],
    [5 * 1024 * 1024, '5.0 MB'],
    [3 * 1024 ** 3, '3.0 GB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
