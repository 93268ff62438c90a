import { interpolateVersionPattern as dockerInterpolate } from '@nx/docker/src/release/version-pattern-utils';
import { interpolateVersionPattern, unresolvedTokens } from './version-pattern';

const values = {
  projectName: 'api',
  commitSha: '3a95d8c0f1e2d3c4b5a697887766554433221100',
  currentDate: new Date('2026-12-01T07:08:09.123Z'),
  env: { BUILD_NUMBER: '42' },
};

describe('interpolateVersionPattern', () => {
  it('fills the tokens @nx/docker documents, dates in UTC', () => {
    expect(interpolateVersionPattern('{currentDate|YYMM.DD}.{shortCommitSha}', values)).toBe('2612.01.3a95d8c');
    expect(interpolateVersionPattern('{projectName}-{currentDate|YYYY.MM.DD-HHmmss}-{env.BUILD_NUMBER}', values)).toBe('api-2026.12.01-070809-42');
    expect(interpolateVersionPattern('{commitSha}', values)).toBe(values.commitSha);
    expect(interpolateVersionPattern('{currentDate}', values)).toBe('2026-12-01T07:08:09.123Z');
  });

  it('keeps a token it has no value for, and unresolvedTokens names it', () => {
    const version = interpolateVersionPattern('{env.UNSET_FOR_TEST}.{versionActionsVersion}.{shortCommitSha}', values);
    expect(version).toBe('{env.UNSET_FOR_TEST}.{versionActionsVersion}.3a95d8c');
    expect(unresolvedTokens(version)).toEqual(['{env.UNSET_FOR_TEST}', '{versionActionsVersion}']);
  });

  // @nx/docker 23.2.1 (a devDependency of this repository, not of the plugin) on the same patterns: a difference here
  // means nx-buildkit would tag another version than @nx/docker for the same nx.json.
  it.each([
    '{currentDate|YYMM.DD}.{shortCommitSha}',
    '{currentDate|YYMM.DD}.{shortCommitSha}-hotfix',
    '{projectName}-{currentDate|YYYY-MM-DD}',
    '{currentDate|YYYY.MM.DD.HH.mm.ss}',
    '{currentDate|YYY|MM}',
    '{currentDate}',
    '{commitSha}',
    'v{env.BUILD_NUMBER}-{env.UNSET_FOR_TEST}',
    '{unknownToken}.{shortCommitSha}',
    'plain-1.0',
    '{projectName',
  ])('gives what @nx/docker gives for %s', (pattern) => {
    const previous = process.env.BUILD_NUMBER;
    process.env.BUILD_NUMBER = values.env.BUILD_NUMBER;
    try {
      const theirs = dockerInterpolate(pattern, {
        projectName: values.projectName,
        commitSha: values.commitSha,
        shortCommitSha: values.commitSha.slice(0, 7),
        currentDate: values.currentDate,
      });
      expect(interpolateVersionPattern(pattern, { ...values, env: process.env })).toBe(theirs);
    } finally {
      if (previous === undefined) delete process.env.BUILD_NUMBER;
      else process.env.BUILD_NUMBER = previous;
    }
  });
});
