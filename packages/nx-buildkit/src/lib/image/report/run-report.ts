import type { BuildRecord } from '../record';
import { escapeHtml } from '../../escape-text';
import { formatBytes, whyLine } from './batch-report';
import { compareCodeUnits } from '../../compare-text';

/** One image of a run as the report shows it: its record, its size, and when its work started and ended. */
export interface ReportEntry {
  readonly record: BuildRecord;
  readonly sizeBytes?: number;
  /** Epoch ms: when the run took this image up (the moment its record's duration counts from). */
  readonly startedAt: number;
  /** Epoch ms: when it was handed to BuildKit, for an image that was built (or failed building). */
  readonly buildStartedAt?: number;
  /** Epoch ms: when its result was known. */
  readonly endedAt: number;
}

const STATUS_TEXT = { built: 'built', skipped: 'skipped', failed: 'failed' } as const;

/**
 * The run report, `dist/docker/report.html`: one self-contained page (inline CSS, no script, no network) with a
 * timeline of one bar per image from start to end, its status, steps cached of total, size and why it was built,
 * then the totals and the run's wall time against the sum of the images' own times. Pure: the caller writes it.
 */
export function renderRunReport(entries: readonly ReportEntry[], generatedAt: Date): string {
  // In the order the work started: a batch takes every image up at once, so the builds' own starts order it.
  const begins = (entry: ReportEntry) => entry.buildStartedAt ?? entry.startedAt;
  const sorted = [...entries].sort((a, b) => begins(a) - begins(b) || compareCodeUnits(label(a.record), label(b.record)));
  const runStart = Math.min(...sorted.map((entry) => entry.startedAt));
  const runEnd = Math.max(...sorted.map((entry) => entry.endedAt));
  const wallMs = sorted.length ? Math.max(runEnd - runStart, 0) : 0;
  const ownMs = sorted.reduce((sum, entry) => sum + entry.record.durationMs, 0);
  const scale = (ms: number) => (wallMs > 0 ? (ms / wallMs) * 100 : 0);
  const counts = (['built', 'skipped', 'failed'] as const).map((status) => ({ status, count: sorted.filter((e) => e.record.status === status).length }));
  const stepsTotal = sorted.reduce((sum, e) => sum + (e.record.status === 'built' ? (e.record.steps?.total ?? 0) : 0), 0);
  const stepsCached = sorted.reduce((sum, e) => sum + (e.record.status === 'built' ? (e.record.steps?.cached ?? 0) : 0), 0);

  const rows = sorted.map((entry) => {
    const { record } = entry;
    const waitEnd = entry.buildStartedAt ?? entry.startedAt;
    const queued = waitEnd > entry.startedAt ? `<span class="queued" style="left:${pct(scale(entry.startedAt - runStart))};width:${pct(scale(waitEnd - entry.startedAt))}" title="hashing, checks and waiting for a build slot"></span>` : '';
    const bar = `<span class="bar ${record.status}" style="left:${pct(scale(waitEnd - runStart))};width:${pct(Math.max(scale(entry.endedAt - waitEnd), 0.4))}"></span>`;
    return [
      '<tr>',
      `<th scope="row" class="image">${escapeHtml(label(record))}${platformsCell(record)}</th>`,
      `<td class="status"><span class="badge ${record.status}">${statusText(record)}</span></td>`,
      `<td class="num">${seconds(record.durationMs)}</td>`,
      `<td class="num">${record.status === 'built' && record.steps ? `${record.steps.cached}/${record.steps.total}` : '–'}</td>`,
      `<td class="num">${entry.sizeBytes === undefined ? '–' : formatBytes(entry.sizeBytes)}</td>`,
      `<td class="timeline"><div class="track">${queued}${bar}</div></td>`,
      `<td class="why">${escapeHtml(whyLine(record))}</td>`,
      '</tr>',
    ].join('');
  });

  const title = `nx-buildkit run: ${sorted.length} image${sorted.length === 1 ? '' : 's'}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
:root { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
body { margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.meta { color: #59636e; margin: 0 0 16px; }
.totals { display: flex; gap: 12px; flex-wrap: wrap; margin: 0 0 16px; padding: 0; list-style: none; }
.totals li { border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 12px; }
.totals strong { display: block; font-size: 18px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #d1d9e0; vertical-align: middle; }
thead th { font-weight: 600; color: #59636e; white-space: nowrap; }
.image { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-weight: 600; white-space: nowrap; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.timeline { width: 32%; min-width: 160px; }
.track { position: relative; height: 14px; background: #f6f8fa; border-radius: 3px; }
.bar, .queued { position: absolute; top: 0; bottom: 0; border-radius: 3px; }
.queued { background: repeating-linear-gradient(45deg, #d1d9e0, #d1d9e0 3px, #f6f8fa 3px, #f6f8fa 6px); }
.bar.built, .badge.built { background: #1f883d; color: #fff; }
.bar.skipped, .badge.skipped { background: #8c959f; color: #fff; }
.bar.failed, .badge.failed { background: #cf222e; color: #fff; }
.badge { border-radius: 10px; padding: 1px 8px; white-space: nowrap; }
.why { color: #1f2328; }
.platforms { display: block; font-weight: 400; font-size: 12px; color: #59636e; }
.legend { color: #59636e; margin-top: 12px; }
.legend span { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 12px; vertical-align: middle; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Written ${escapeHtml(generatedAt.toISOString())} by nx-buildkit. Wall time ${seconds(wallMs)}; the images' own times add up to ${seconds(ownMs)}.</p>
<ul class="totals">
${counts.map(({ status, count }) => `<li class="total-${status}"><strong>${count}</strong>${status}</li>`).join('\n')}
<li class="total-steps"><strong>${stepsCached}/${stepsTotal}</strong>steps cached in the builds</li>
<li class="total-wall"><strong>${seconds(wallMs)}</strong>wall time (${seconds(ownMs)} of image time)</li>
</ul>
<table>
<thead><tr><th scope="col">image</th><th scope="col">status</th><th scope="col" class="num">time</th><th scope="col" class="num">steps cached</th><th scope="col" class="num">size</th><th scope="col">timeline (${seconds(wallMs)})</th><th scope="col">why</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="legend"><span style="background:#1f883d"></span>built<span style="background:#8c959f"></span>skipped<span style="background:#cf222e"></span>failed<span style="background:#d1d9e0"></span>hashing, checks, waiting for a build slot</p>
</body>
</html>
`;
}

function label(record: BuildRecord): string {
  return `${record.project}${record.target === 'docker-build' ? '' : `:${record.target}`}`;
}

/**
 * Under the image's name, for an image built for named platforms: each platform, with the digest of its manifest when
 * the image is a multi-platform index in a registry (what `docker pull --platform` fetches), the full digest on hover.
 */
function platformsCell(record: BuildRecord): string {
  if (!record.platforms?.length) return '';
  return record.platforms
    .map((platform) => {
      const digest = record.platformDigests?.[platform];
      const shown = digest ? ` <code title="${escapeHtml(digest)}">${escapeHtml(digest.slice(0, 'sha256:'.length + 12))}</code>` : '';
      return `<span class="platforms">${escapeHtml(platform)}${shown}</span>`;
    })
    .join('');
}

function statusText(record: BuildRecord): string {
  if (record.status !== 'skipped') return STATUS_TEXT[record.status];
  return `skipped (${record.skippedBecause === 'registry' ? 'in registry' : 'unchanged'})`;
}


function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function pct(value: number): string {
  return `${Math.min(Math.max(value, 0), 100).toFixed(2)}%`;
}

/** Kept here for the report's spec; the escaping itself is shared with the step summary (lib/escape-text.ts). */
export { escapeHtml };
