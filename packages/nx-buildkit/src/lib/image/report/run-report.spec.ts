import type { BuildRecord } from '../record';
import { escapeHtml, ReportEntry, renderRunReport } from './run-report';

const record = (project: string, status: BuildRecord['status'], extra: Partial<BuildRecord> = {}): BuildRecord => ({
  project,
  target: 'docker-build',
  image: project,
  tags: [`${project}:latest`],
  hash: 'h',
  hashTag: 'nxb-h',
  status,
  durationMs: 10_000,
  finishedAt: '2026-11-27T00:00:00Z',
  ...extra,
});

const t0 = Date.parse('2026-12-01T10:00:00Z');
const entries: ReportEntry[] = [
  { record: record('api', 'built', { steps: { total: 10, cached: 9 }, reason: 'src/api/main.py changed', durationMs: 8_000 }), sizeBytes: 157_286_400, startedAt: t0, buildStartedAt: t0 + 2_000, endedAt: t0 + 8_000 },
  { record: record('web', 'skipped', { skippedBecause: 'registry', durationMs: 500 }), sizeBytes: 2048, startedAt: t0, endedAt: t0 + 500 },
  { record: record('worker', 'failed', { target: 'docker-build-prod', error: 'The build failed.\nStep [3/3] RUN pip install failed: exit code: 1\nmore', durationMs: 4_000 }), startedAt: t0, buildStartedAt: t0 + 2_000, endedAt: t0 + 4_000 },
];
const html = renderRunReport(entries, new Date('2026-12-01T10:00:09Z'));
const rows = html.split('\n').filter((line) => line.startsWith('<tr><th scope="row"'));

describe('renderRunReport', () => {
  it('is one self-contained page: no script, no external stylesheet, image or font', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|https?:\/\//i);
  });

  it('has one row per image with its status, steps cached, size and why', () => {
    expect(rows).toHaveLength(3);
    const api = rows.find((row) => row.includes('>api<')) as string;
    expect(api).toContain('<span class="badge built">built</span>');
    expect(api).toContain('>9/10<');
    expect(api).toContain('>150 MB<');
    expect(api).toContain('>src/api/main.py changed<');
    const web = rows.find((row) => row.includes('>web<')) as string;
    expect(web).toContain('skipped (in registry)');
    expect(web).toContain('inputs unchanged; the image is in the registry');
    const worker = rows.find((row) => row.includes('>worker:docker-build-prod<')) as string;
    expect(worker).toContain('<span class="badge failed">failed</span>');
    expect(worker).toContain('>Step [3/3] RUN pip install failed: exit code: 1<');
    expect(worker).not.toContain('more');
  });

  it('draws each bar from its start to its end on the run’s time scale, the wait before a build hatched', () => {
    const api = rows.find((row) => row.includes('>api<')) as string;
    expect(api).toContain('class="queued" style="left:0.00%;width:25.00%"');
    expect(api).toContain('class="bar built" style="left:25.00%;width:75.00%"');
    const web = rows.find((row) => row.includes('>web<')) as string;
    expect(web).not.toContain('queued');
    expect(web).toContain('class="bar skipped" style="left:0.00%;width:6.25%"');
  });

  it('totals the statuses and puts the wall time beside the sum of the images’ times', () => {
    expect(html).toContain('<li class="total-built"><strong>1</strong>built</li>');
    expect(html).toContain('<li class="total-skipped"><strong>1</strong>skipped</li>');
    expect(html).toContain('<li class="total-failed"><strong>1</strong>failed</li>');
    expect(html).toContain('Wall time 8.0 s; the images\' own times add up to 12.5 s.');
    expect(html).toContain('<strong>9/10</strong>steps cached in the builds');
  });

  it('names the platforms of a multi-platform image under its name, each with its manifest digest', () => {
    const amd64 = `sha256:${'a'.repeat(64)}`;
    const arm64 = `sha256:${'b'.repeat(64)}`;
    const multi = record('api', 'skipped', { skippedBecause: 'registry', platforms: ['linux/amd64', 'linux/arm64'], platformDigests: { 'linux/amd64': amd64, 'linux/arm64': arm64 } });
    const page = renderRunReport([{ record: multi, startedAt: t0, endedAt: t0 + 1 }], new Date(t0));
    expect(page).toContain(`<span class="platforms">linux/amd64 <code title="${amd64}">sha256:aaaaaaaaaaaa</code></span><span class="platforms">linux/arm64 <code title="${arm64}">sha256:bbbbbbbbbbbb</code></span></th>`);
    expect(rows.join('\n')).not.toContain('class="platforms"');
  });

  it('escapes what it shows', () => {
    const page = renderRunReport([{ record: record('a', 'built', { reason: '<b>x</b> & "y"' }), startedAt: t0, endedAt: t0 + 1 }], new Date(t0));
    expect(page).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('renders a run whose images all took no measurable time', () => {
    const page = renderRunReport([{ record: record('a', 'skipped', { durationMs: 0 }), startedAt: t0, endedAt: t0 }], new Date(t0));
    expect(page).toContain('class="bar skipped" style="left:0.00%;width:0.40%"');
  });
});
