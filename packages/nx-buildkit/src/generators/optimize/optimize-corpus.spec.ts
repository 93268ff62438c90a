import { relative } from 'node:path';
import { copyContext, listCorpus, removeContext } from '../../../test/dockerfile-corpus/load-corpus';
import { findIgnoreFile, readTextFromDisk } from '../../lib/context';
import { analyzeDockerfile } from '../../lib/dockerfile-analyzer/analyze-dockerfile';
import { createBuildContext, diskContextFiles } from '../../lib/dockerfile-analyzer/build-context';
import { parseDockerfile } from '../../lib/dockerfile';
import { optimizeDockerfile } from './optimize-dockerfile';

const corpus = listCorpus();

/** The base images the equivalence suite can build from here (scripts/base-images.sh makes them). */
const LOCAL_IMAGES = ['debian:bookworm-slim', 'python:3.11-slim-bookworm', 'node:20-bookworm-slim', 'nginx:1.27-bookworm'];

/** Which rewrite answers which finding: a finding of these rules that survives optimize must have been declined. */
const REWRITE_FOR_RULE: Record<string, string> = {
  'cache-order/broad-copy-before-install': 'split-copy',
  'apt/update-in-own-run': 'merge-apt-update',
  'cache-mount/install-without-cache': 'cache-mount',
};

function optimizeEntry(entry: (typeof corpus)[number]) {
  const root = copyContext(entry);
  try {
    const ignore = findIgnoreFile(readTextFromDisk, root, `${root}/Dockerfile`);
    const context = createBuildContext(diskContextFiles(root), { path: ignore.path ? relative(root, ignore.path) : undefined, text: ignore.text });
    const result = optimizeDockerfile(entry.dockerfile, context);
    return { result, again: optimizeDockerfile(result.text, context), findingsAfter: analyzeDockerfile(result.text, { file: 'Dockerfile', context }) };
  } finally {
    removeContext(root);
  }
}

describe('optimize on the Dockerfile corpus', () => {
  it.each(corpus.map((entry) => [entry.name, entry] as const))('%s: makes the expected rewrites and declines the rest with the reason', (_name, entry) => {
    const { result } = optimizeEntry(entry);
    expect(result.changes.map((change) => change.kind)).toEqual(entry.expected.optimize.rewrites);
    expect(result.declined.map(({ kind, line }) => ({ kind, line }))).toEqual(entry.expected.optimize.declined.map(({ kind, line }) => ({ kind, line })));
    result.declined.forEach((declined, i) => expect(declined.reason).toContain(entry.expected.optimize.declined[i].reason));
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))('%s: a second run changes nothing, and what is left of the fixed rules was declined', (_name, entry) => {
    const { result, again, findingsAfter } = optimizeEntry(entry);
    expect(again.text).toBe(result.text);
    expect(again.changes).toEqual([]);
    const declined = new Set(result.declined.map((d) => `${d.kind}@${d.line}`));
    // Declines cite the user's lines; findings on the result are mapped back to them.
    const unexplained = findingsAfter.filter((finding) => REWRITE_FOR_RULE[finding.rule] && !declined.has(`${REWRITE_FOR_RULE[finding.rule]}@${result.inputLines[finding.line - 1]}`));
    expect(unexplained).toEqual([]);
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))('%s: keeps every comment and every instruction it did not rewrite', (_name, entry) => {
    const { result } = optimizeEntry(entry);
    const comments = (text: string) => text.split('\n').filter((line) => /^\s*#/.test(line) && !line.includes('nx-buildkit:'));
    expect(comments(result.text)).toEqual(comments(entry.dockerfile));
    // Every original instruction keyword is still there, in the same number (a merge turns two RUNs into one).
    const count = (text: string) => parseDockerfile(text).instructions.filter((i) => i.keyword !== 'COPY' && i.keyword !== 'RUN').map((i) => i.keyword);
    expect(count(result.text)).toEqual(count(entry.dockerfile));
  });

  it.each(corpus.map((entry) => [entry.name, entry] as const))('%s: the equivalence suite builds it, or the entry says why not', (_name, entry) => {
    const { result } = optimizeEntry(entry);
    const changed = result.text !== entry.dockerfile;
    const equivalence = entry.expected.equivalence;
    if (!changed) {
      // Nothing to compare: the optimized file is the original.
      expect(equivalence).toEqual({ build: false, reason: expect.stringContaining('optimize changes nothing') });
      return;
    }
    if (equivalence.build) {
      // Buildable here: every stage starts from a local stand-in image or an earlier stage.
      const parsed = parseDockerfile(entry.dockerfile);
      expect(parsed.stages.filter((stage) => stage.baseStage === undefined).map((stage) => stage.base).filter((base) => !LOCAL_IMAGES.includes(base))).toEqual([]);
    } else {
      expect(equivalence.reason).not.toContain('optimize changes nothing');
      expect(equivalence.reason.length).toBeGreaterThan(10);
    }
  });
});
