import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../../atomic-file';
import { buildRecordShape } from '../record';
import { readStateFile } from '../../state-file/read-state-file';
import { listOf, number, object, optional, Shape } from '../../state-file/shape';
import { ReportEntry, renderRunReport } from './run-report';

export const REPORT_FILE = 'report.html';
/**
 * Where the entries of recent runs wait to be drawn: one folder per Nx run, one file per process of the run, holding
 * the entries of its images (one with --batch=false; all of the batch in batch mode, one write instead of one per image).
 */
const ENTRIES_FOLDER = '.report-entries';
const reportEntryShape: Shape<ReportEntry> = object({ record: buildRecordShape, sizeBytes: optional(number), startedAt: number, buildStartedAt: optional(number), endedAt: number });
const entriesFileShape: Shape<ReportEntry[]> = listOf(reportEntryShape);
/** An entry is one record with a few times (~1 KB): 64 MB is far more than the largest batch needs. */
const ENTRIES_FILE_BYTES = 64 * 1024 * 1024;

/** Entries of other runs older than this are removed; a run that takes longer keeps its own folder (it is in use). */
const STALE_MS = 6 * 60 * 60 * 1000;

/**
 * Writes `<recordDir>/report.html` for this Nx run. In batch mode one process holds every image; with
 * `--batch=false` each image's process adds its entry to the run's folder and redraws the page from all of them, so
 * the report covers the whole `nx run-many`, not the last task. Concurrent task processes may redraw at once; each
 * redraws again while the folder holds more entries than it drew, so the last page written has all of them.
 * Returns the report's path.
 */
export function writeRunReport(recordDir: string, runId: string, entries: readonly ReportEntry[], now = new Date()): string {
  const runFolder = join(recordDir, ENTRIES_FOLDER, runId);
  // Named after its first image: each task runs once per Nx run, so no two processes of a run share a name.
  if (entries.length) writeFileAtomically(join(runFolder, `${encodeURIComponent(`${entries[0].record.project}:${entries[0].record.target}`)}.json`), JSON.stringify(entries));
  removeStaleRuns(join(recordDir, ENTRIES_FOLDER), runId, now.getTime());
  const path = join(recordDir, REPORT_FILE);
  let drawn = -1;
  for (let attempt = 0; attempt < 5; attempt++) {
    const all = readRunReportEntries(runFolder);
    if (all.length === drawn) break;
    writeFileAtomically(path, renderRunReport(all, now));
    drawn = all.length;
  }
  return path;
}

/** The entries of one run's folder, from its files that are lists of entries (see reportEntryShape). */
export function readRunReportEntries(folder: string): ReportEntry[] {
  const entries: ReportEntry[] = [];
  for (const file of existsSync(folder) ? readdirSync(folder) : []) {
    if (!file.endsWith('.json') || file.startsWith('.')) continue;
    // One that is not a list of entries is left out of the page: being replaced by its writer right now (the rename
    // makes it whole; the next redraw reads it), or not written by nx-buildkit.
    const { value } = readStateFile(join(folder, file), entriesFileShape, ENTRIES_FILE_BYTES);
    if (value) entries.push(...value);
  }
  return entries;
}

function removeStaleRuns(folder: string, keep: string, now: number): void {
  if (!existsSync(folder)) return;
  for (const run of readdirSync(folder)) {
    if (run === keep) continue;
    try {
      if (now - statSync(join(folder, run)).mtimeMs > STALE_MS) rmSync(join(folder, run), { recursive: true, force: true });
    } catch {
      // Removed by a concurrent run already.
    }
  }
}

/**
 * The id of this Nx run, shared by every task process it starts: the pid of the Nx process that forked us (Nx
 * passes its ancestors in NX_INVOCATION_ANCESTOR_PIDS, outermost first) with that process's start time, so a reused
 * pid is another run. Nx 21–23 do not pass them (measured: no such variable in 21.6.11, 22.7.12, 23.3.2); there a
 * task process (NX_TASK_TARGET_PROJECT set) was forked by the Nx process itself, its parent. Outside Nx, this
 * process is the run.
 */
export function currentRunId(env: NodeJS.ProcessEnv = process.env, readStartTime = processStartTime, parentPid = process.ppid): string {
  const ancestors = (env.NX_INVOCATION_ANCESTOR_PIDS ?? '').split(',').map(Number).filter((pid) => Number.isInteger(pid) && pid > 0);
  const pid = ancestors.length ? ancestors[ancestors.length - 1] : env.NX_TASK_TARGET_PROJECT ? parentPid : process.pid;
  return `${pid}-${readStartTime(pid) ?? 'unknown'}`;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); Linux only, undefined elsewhere. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
