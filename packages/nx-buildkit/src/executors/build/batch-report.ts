import type { BuildRecord } from '../../lib/record';

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
