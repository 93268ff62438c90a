import { Finding } from './analyze-dockerfile';
import { buildReport, formatReportJson, formatReportText } from './format-findings';

const finding = (severity: Finding['severity'], line: number): Finding => ({
  file: 'apps/api/Dockerfile',
  line,
  rule: 'cache-order/broad-copy-before-install',
  severity,
  message: 'COPY . . copies the whole build context before `npm ci` (line 13): any source change reruns the install.',
  fix: 'Copy only package.json and package-lock.json first.',
});

const report = (findings: Finding[], failOn: 'error' | 'warning' | 'info' | 'none' = 'error') =>
  buildReport({ dockerfile: 'apps/api/Dockerfile', context: 'apps/api', ignoreFile: null, failOn, findings });

describe('lint reports', () => {
  it('print one line per finding and a summary', () => {
    expect(formatReportText(report([finding('warning', 12), finding('info', 14)]))).toEqual([
      'apps/api/Dockerfile:12  cache-order/broad-copy-before-install  warning  COPY . . copies the whole build context before `npm ci` (line 13): any source change reruns the install. Fix: Copy only package.json and package-lock.json first.',
      'apps/api/Dockerfile:14  cache-order/broad-copy-before-install  info  COPY . . copies the whole build context before `npm ci` (line 13): any source change reruns the install. Fix: Copy only package.json and package-lock.json first.',
      'apps/api/Dockerfile: 1 warning, 1 info (passes, failOn: error).',
    ]);
  });

  it('fail at or above failOn, never with none', () => {
    expect(report([finding('warning', 1)]).passed).toBe(true);
    expect(report([finding('warning', 1)], 'warning').passed).toBe(false);
    expect(report([finding('error', 1), finding('error', 2)], 'none').passed).toBe(true);
    expect(formatReportText(report([finding('error', 1), finding('error', 2)])).pop()).toBe('apps/api/Dockerfile: 2 errors (fails: findings at or above "error").');
    expect(formatReportText(report([])).pop()).toBe('apps/api/Dockerfile: no findings (passes, failOn: error).');
  });

  it('print JSON with counts and the outcome', () => {
    const json = JSON.parse(formatReportJson(report([finding('error', 3)])));
    expect(json).toMatchObject({ dockerfile: 'apps/api/Dockerfile', passed: false, counts: { error: 1, warning: 0, info: 0 }, findings: [{ line: 3, severity: 'error' }] });
  });
});
