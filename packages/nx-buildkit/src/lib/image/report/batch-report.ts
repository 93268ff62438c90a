import { markdownTableCell } from '../../escape-text';
import type { BuildRecord } from '../record';

export interface ReportRow {
  readonly record: BuildRecord;
  /** Image size in bytes, when the engine has the image. */
  readonly sizeBytes?: number;
}

/** The end-of-batch table: one row per image, plain text (CI logs have no cursor). */
export function formatBatchSummary(rows: readonly ReportRow[]): string {
  const header = ['image', 'status', 'time', 'steps cached', 'size'];
  const body = rows.map(({ record, sizeBytes }) => [
    `${record.project}${record.target === 'docker-build' ? '' : `:${record.target}`}`,
    record.status === 'skipped' ? `skipped (${record.skippedBecause === 'registry' ? 'in registry' : 'unchanged'})` : record.status,
    `${(record.durationMs / 1000).toFixed(1)}s`,
    record.steps ? `${record.steps.cached}/${record.steps.total}` : '-',
    sizeBytes === undefined ? '-' : formatBytes(sizeBytes),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  const counts = ['built', 'skipped', 'failed'].map((status) => `${rows.filter((r) => r.record.status === status).length} ${status}`).join(', ');
  return [line(header), ...body.map(line), `${rows.length} images: ${counts}`].join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/**
 * The same table as Markdown, for GitHub Actions' job summary (GITHUB_STEP_SUMMARY): one row per image with why it
 * was built, and the run's wall time against the sum of the images' own times.
 */
export function formatStepSummary(rows: readonly ReportRow[], wallMs: number): string {
  const counts = ['built', 'skipped', 'failed'].map((status) => `${rows.filter((r) => r.record.status === status).length} ${status}`).join(', ');
  const own = rows.reduce((sum, { record }) => sum + record.durationMs, 0);
  const lines = [
    `### nx-buildkit: ${rows.length} image${rows.length === 1 ? '' : 's'} — ${counts}`,
    '',
    `Wall time ${(wallMs / 1000).toFixed(1)} s; the images' own times add up to ${(own / 1000).toFixed(1)} s.`,
    '',
    '| image | status | time | steps cached | size | why |',
    '|---|---|---|---|---|---|',
    ...rows.map(({ record, sizeBytes }) =>
      [
        `${record.project}${record.target === 'docker-build' ? '' : `:${record.target}`}`,
        record.status === 'skipped' ? `skipped (${record.skippedBecause === 'registry' ? 'in registry' : 'unchanged'})` : record.status,
        `${(record.durationMs / 1000).toFixed(1)}s`,
        record.steps ? `${record.steps.cached}/${record.steps.total}` : '-',
        sizeBytes === undefined ? '-' : formatBytes(sizeBytes),
        whyLine(record),
      ]
        .map(markdownTableCell)
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Why, in one line: the inputs that changed for a built image, that nothing changed for a skipped one, and for a
 * failure the step that failed (the error's own first line only says which Dockerfile).
 */
export function whyLine(record: BuildRecord): string {
  if (record.status === 'skipped') return record.skippedBecause === 'registry' ? 'inputs unchanged; the image is in the registry' : 'inputs unchanged';
  if (record.status === 'built') return record.reason ?? '';
  const lines = (record.error ?? 'failed').split('\n');
  return lines.find((line) => line.startsWith('Step ')) ?? lines[0];
}
