import type { BuildRecord } from '../record';
import { formatBatchSummary, formatBytes, formatStepSummary, whyLine } from './batch-report';

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

describe('formatStepSummary', () => {
  it('is a Markdown table with why each image was built, and the wall time against the images’ own', () => {
    const base = { target: 'docker-build', image: 'x', tags: [], hash: 'h', hashTag: 'nxb-1', finishedAt: '2026-12-01T00:00:00Z' };
    const markdown = formatStepSummary(
      [
        { record: { ...base, project: 'api', status: 'built', durationMs: 12_300, steps: { total: 10, cached: 9 }, reason: 'src/a|b.py changed' }, sizeBytes: 120 * 1024 * 1024 },
        { record: { ...base, project: 'web', status: 'skipped', skippedBecause: 'local', durationMs: 100 } },
        { record: { ...base, project: 'job', status: 'failed', durationMs: 2_000, error: 'The build of "apps/job/Dockerfile" failed.\nStep [2/3] RUN exit 3 failed: exit code: 3\nmore' } },
      ],
      13_000,
    );
    expect(markdown).toBe(
      [
        '### nx-buildkit: 3 images — 1 built, 1 skipped, 1 failed',
        '',
        "Wall time 13.0 s; the images' own times add up to 14.4 s.",
        '',
        '| image | status | time | steps cached | size | why |',
        '|---|---|---|---|---|---|',
        '| api | built | 12.3s | 9/10 | 120 MB | src/a\\|b.py changed |',
        '| web | skipped (unchanged) | 0.1s | - | - | inputs unchanged |',
        // Brackets escaped: GitHub shows them as typed, never as a link.
        '| job | failed | 2.0s | - | - | Step \\[2/3\\] RUN exit 3 failed: exit code: 3 |',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('whyLine', () => {
  const base = { project: 'p', target: 'docker-build', image: 'x', tags: [], hash: 'h', hashTag: 'nxb-1', finishedAt: '', durationMs: 1 };
  it('names the failed step of a failure, else its first line', () => {
    expect(whyLine({ ...base, status: 'failed', error: 'The build failed.\nStep [2/3] RUN x failed: exit code: 3' })).toBe('Step [2/3] RUN x failed: exit code: 3');
    expect(whyLine({ ...base, status: 'failed', error: 'Cannot reach the engine.\nStart it.' })).toBe('Cannot reach the engine.');
  });
  it('says where a skipped image was found', () => {
    expect(whyLine({ ...base, status: 'skipped', skippedBecause: 'registry' })).toBe('inputs unchanged; the image is in the registry');
  });
});
