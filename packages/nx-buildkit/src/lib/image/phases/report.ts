import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { InspectedImage } from '../identity/image-identity';
import type { NormalizedBuildOptions } from '../options/normalize-options';
import type { BuildRecord } from '../record';
import { formatBatchSummary, formatStepSummary, ReportRow } from '../report/batch-report';
import type { ReportEntry } from '../report/run-report';
import { currentRunId, REPORT_FILE, writeRunReport } from '../report/run-report-file';
import { engineCallsLine, RunState } from '../run-state';
import type { RunTask, RunTasks } from './run-tasks';

/**
 * The end of a run: the table (with --summary), the GitHub step summary, the run report of each record folder, and
 * under --verbose what the run asked of the engine. Sizes come from the images the run has seen; one built or pulled
 * in the run is asked for by ID (when many are, one fresh listing answers). They are checked against the real engine
 * by the e2e specs run-report.spec.ts and batch-parallel.spec.ts; what is pure here is in reportRows and
 * formatRunSummary.
 */
export async function report(tasks: RunTasks, run: RunState, output: { readonly summary: boolean; readonly otherShards: number; readonly runStarted: number }): Promise<void> {
  const imageIds = [...tasks.records.values()].flatMap((record) => (record.imageId ? [record.imageId] : []));
  const images = await run.localImagesById(imageIds).catch((): InspectedImage[] => []);
  const rows = reportRows(tasks, images);
  if (output.summary) tasks.say(formatRunSummary(rows.map(({ row }) => row), output.otherShards));
  appendStepSummary(
    rows.map(({ row }) => row),
    Date.now() - output.runStarted,
    tasks.say,
  );
  writeReports(rows, output.summary ? tasks.say : () => undefined, tasks.say);
  if (process.env.NX_VERBOSE_LOGGING === 'true') tasks.say(engineCallsLine(run));
}

/** A row for each task with a record, in the run's order, with its image's size from the listing. */
export function reportRows(tasks: RunTasks, images: readonly Pick<InspectedImage, 'id' | 'sizeBytes'>[]): { task: RunTask; row: ReportRow }[] {
  const sizes = new Map(images.map((image) => [image.id, image.sizeBytes]));
  return tasks.ids
    .filter((id) => tasks.records.has(id))
    .map((id) => {
      const record = tasks.records.get(id) as BuildRecord;
      return { task: tasks.get(id), row: { record, sizeBytes: record.imageId ? sizes.get(record.imageId) : undefined } };
    });
}

/** The --summary table after a blank line, and how many images were left to other shards. */
export function formatRunSummary(rows: readonly ReportRow[], otherShards: number): string {
  return `\n${formatBatchSummary(rows)}${otherShards ? `\n${otherShards} image${otherShards === 1 ? '' : 's'} left to other shards` : ''}`;
}

/**
 * With GITHUB_STEP_SUMMARY set (GitHub Actions), the run's table is appended there as Markdown. A summary that cannot
 * be written says so in one line and fails nothing: the images and records are what the run is for.
 */
export function appendStepSummary(rows: readonly ReportRow[], wallMs: number, say: (line: string) => void, path = process.env.GITHUB_STEP_SUMMARY): void {
  if (!path || rows.length === 0) return;
  try {
    appendFileSync(path, formatStepSummary(rows, wallMs));
  } catch (error) {
    say(`nx-buildkit: could not append the summary to GITHUB_STEP_SUMMARY (${path}): ${(error as Error).message}`);
  }
}

/**
 * The run report (`<recordDir>/report.html`, dist/docker by default) for every record folder the run used. A report
 * that cannot be written says so in one line and fails nothing. A run that recorded nothing (--explain) leaves the
 * last report as it was.
 */
export function writeReports(reported: readonly { readonly task: RunTask; readonly row: ReportRow }[], tell: (line: string) => void, warn: (line: string) => void): void {
  const byFolder = new Map<string, ReportEntry[]>();
  for (const { task, row: { record, sizeBytes } } of reported) {
    const folder = (task.options as NormalizedBuildOptions).recordDir;
    const entry: ReportEntry = { record, sizeBytes, startedAt: task.started, buildStartedAt: task.buildStarted, endedAt: task.ended ?? Date.now() };
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), entry]);
  }
  const runId = currentRunId();
  for (const [folder, entries] of byFolder) {
    try {
      tell(`Report: ${relative(process.cwd(), writeRunReport(folder, runId, entries)) || REPORT_FILE}`);
    } catch (error) {
      warn(`nx-buildkit: could not write the run report in ${folder}: ${(error as Error).message}`);
    }
  }
}
