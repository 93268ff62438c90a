import { copyContext, listCorpus, removeContext } from '../../../test/dockerfile-corpus/load-corpus';
import { findIgnoreFile, readTextFromDisk } from '../context';
import { analyzeDockerfile } from './analyze-dockerfile';
import { createBuildContext, diskContextFiles } from './build-context';
import { RULES } from './analyze-dockerfile';
import { relative } from 'node:path';

const corpus = listCorpus();

describe('the Dockerfile corpus', () => {
  it('has at least 30 entries, and every rule is expected somewhere (so each rule is checked against real-looking files)', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    const expectedRules = new Set(corpus.flatMap((entry) => entry.expected.findings.map((finding) => finding.rule)));
    expect([...RULES.map((rule) => rule.id)].filter((id) => !expectedRules.has(id))).toEqual([]);
  });

  it('holds at least 20 real-world Dockerfiles, each with its repository, commit, path and licence', () => {
    const real = corpus.filter((entry) => entry.name.startsWith('real-world/'));
    expect(real.length).toBeGreaterThanOrEqual(20);
    for (const entry of real) {
      expect(entry.source).toMatchObject({ repo: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/), commit: expect.stringMatching(/^[0-9a-f]{40}$/), path: expect.any(String), licence: expect.stringMatching(/\S/) });
      expect(entry.source?.url).toBe(`https://github.com/${entry.source?.repo}/blob/${entry.source?.commit}/${entry.source?.path}`);
    }
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))('%s: the analyzer reports exactly the expected findings', (_name, entry) => {
    const root = copyContext(entry);
    try {
      const ignore = findIgnoreFile(readTextFromDisk, root, `${root}/Dockerfile`);
      const context = createBuildContext(diskContextFiles(root), { path: ignore.path ? relative(root, ignore.path) : undefined, text: ignore.text });
      const findings = analyzeDockerfile(entry.dockerfile, { file: 'Dockerfile', context });
      expect(findings.map(({ line, rule }) => ({ line, rule }))).toEqual(entry.expected.findings);
      // Every finding says why and what to do, in one line each.
      for (const finding of findings) {
        expect(finding.message).toMatch(/\S/);
        expect(finding.fix).toMatch(/\S/);
        expect(`${finding.message}${finding.fix}`).not.toContain('\n');
      }
    } finally {
      removeContext(root);
    }
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))('%s: the analyzer does not crash without a context either', (_name, entry) => {
    // The context-dependent rules stay silent; the others still run.
    const findings = analyzeDockerfile(entry.dockerfile, { file: 'Dockerfile' });
    expect(findings.every((finding) => !finding.rule.startsWith('context/'))).toBe(true);
  });
});
