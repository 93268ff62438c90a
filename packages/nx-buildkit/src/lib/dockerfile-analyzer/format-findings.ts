import { Finding, findingsAtLeast } from './analyze-dockerfile';
import { Severity, SEVERITIES } from './rule';

export type FailOn = Severity | 'none';

export interface LintReport {
  readonly dockerfile: string;
  readonly context: string;
  readonly ignoreFile: string | null;
  readonly failOn: FailOn;
  /** True when no finding is at or above failOn. */
  readonly passed: boolean;
  readonly counts: Readonly<Record<Severity, number>>;
  readonly findings: readonly Finding[];
}

export function buildReport(fields: Omit<LintReport, 'passed' | 'counts'>): LintReport {
  const counts = { error: 0, warning: 0, info: 0 } as Record<Severity, number>;
  for (const finding of fields.findings) counts[finding.severity]++;
  const passed = fields.failOn === 'none' || findingsAtLeast(fields.findings, fields.failOn).length === 0;
  return { ...fields, passed, counts };
}

/** `apps/api/Dockerfile:12  cache-order/broad-copy-before-install  warning  …why… Fix: …`, then a summary line. */
export function formatReportText(report: LintReport): string[] {
  const lines = report.findings.map((f) => `${f.file}:${f.line}  ${f.rule}  ${f.severity}  ${f.message} Fix: ${f.fix}`);
  const counted = [...SEVERITIES]
    .reverse()
    .filter((severity) => report.counts[severity] > 0)
    .map((severity) => `${report.counts[severity]} ${severity === 'info' ? 'info' : `${severity}${report.counts[severity] > 1 ? 's' : ''}`}`);
  const outcome = report.failOn === 'none' ? 'failOn: none' : report.passed ? `passes, failOn: ${report.failOn}` : `fails: findings at or above "${report.failOn}"`;
  lines.push(`${report.dockerfile}: ${counted.length ? counted.join(', ') : 'no findings'} (${outcome}).`);
  return lines;
}

export function formatReportJson(report: LintReport): string {
  return JSON.stringify(report, null, 2);
}
