import { analyzeDockerfile, checkRuleSettings, findingsAtLeast, RULES } from './analyze-dockerfile';
import { severityRank } from './rule';

const TEXT = 'FROM node:latest\nCOPY . .\nRUN npm ci\n';

describe('analyzeDockerfile', () => {
  it('returns findings sorted by line with 1-based lines, the file and the default severities', () => {
    expect(analyzeDockerfile(TEXT, { file: 'apps/api/Dockerfile' }).map(({ file, line, rule, severity }) => ({ file, line, rule, severity }))).toEqual([
      { file: 'apps/api/Dockerfile', line: 1, rule: 'base-image/unpinned-tag', severity: 'warning' },
      { file: 'apps/api/Dockerfile', line: 1, rule: 'security/final-stage-root', severity: 'warning' },
      { file: 'apps/api/Dockerfile', line: 2, rule: 'cache-order/broad-copy-before-install', severity: 'warning' },
      { file: 'apps/api/Dockerfile', line: 3, rule: 'cache-mount/install-without-cache', severity: 'info' },
    ]);
  });

  it('applies configured severities and turns rules off', () => {
    const findings = analyzeDockerfile(TEXT, { file: 'Dockerfile', rules: { 'security/final-stage-root': 'off', 'cache-order/broad-copy-before-install': 'error' } });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ['base-image/unpinned-tag', 'warning'],
      ['cache-order/broad-copy-before-install', 'error'],
      ['cache-mount/install-without-cache', 'info'],
    ]);
  });

  it('has unique rule ids of the form area/what, each with a description', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z-]+\/[a-z-]+$/);
      expect(rule.description.length).toBeGreaterThan(20);
    }
  });
});

describe('checkRuleSettings', () => {
  it('accepts known rules with known severities', () => {
    expect(checkRuleSettings(undefined)).toBeUndefined();
    expect(checkRuleSettings({ 'apt/update-in-own-run': 'error', 'dockerfile/no-from': 'off' })).toBeUndefined();
  });

  it.each([
    [[], 'expected an object of rule ids'],
    [{ 'cache/nope': 'error' }, 'unknown rule "cache/nope". Known rules: cache-order/broad-copy-before-install,'],
    [{ 'apt/update-in-own-run': 'fatal' }, 'invalid severity "fatal" for "apt/update-in-own-run"'],
  ])('rejects %j', (rules, message) => {
    expect(checkRuleSettings(rules)).toContain(message);
  });
});

describe('findingsAtLeast', () => {
  it('keeps findings at or above a severity', () => {
    const findings = analyzeDockerfile(TEXT, { file: 'Dockerfile' });
    expect(findingsAtLeast(findings, 'warning')).toHaveLength(3);
    expect(findingsAtLeast(findings, 'error')).toHaveLength(0);
    expect(severityRank('error')).toBeGreaterThan(severityRank('warning'));
  });
});

describe('malformed input', () => {
  const NASTY = [
    '',
    '\n\n\n',
    '\\',
    'FROM',
    'FROM \\\n',
    'COPY',
    'RUN <<EOF\nnever closed',
    'FROM x\nRUN --mount= --mount=type=cache, npm ci\n',
    'FROM x\nCOPY --from= . .\n',
    'FROM x AS\nFROM AS AS AS\n',
    'FROM x\nRUN [\n',
    'FROM x\nRUN ["unclosed\n',
    'FROM x\nENV =\nARG =1\nARG\n',
    'FROM x\nWORKDIR\nUSER\nCOPY . \n',
    '# escape=X\nFROM x\nRUN a X\n b\n',
    'FROM x\nRUN apt-get update && && || ; ; | npm ci "unclosed\n',
    'FROM x\nRUN echo $(unclosed && npm ci\n',
    '\u0000\u0001\u0002FROM x\n',
    `FROM x\nRUN ${'a '.repeat(20000)}\n`,
    'FROM x\r\nCOPY . .\r\nRUN npm ci\r\n',
    'ONBUILD COPY . .\nFROM x\nONBUILD RUN npm ci\n',
  ];

  it.each(NASTY.map((text) => [JSON.stringify(text).slice(0, 60), text]))('does not throw on %s', (_name, text) => {
    expect(() => analyzeDockerfile(text, { file: 'Dockerfile' })).not.toThrow();
  });
});
