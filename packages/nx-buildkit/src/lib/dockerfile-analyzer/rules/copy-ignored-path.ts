import { posix } from 'node:path';
import { isSent } from '../build-context';
import { readCopy } from '../copy-sources';
import { instructionSummary } from '../../dockerfile';
import { DockerfileRule, RuleHit } from '../rule';
import { walkStage } from '../../dockerfile';

export const copyIgnoredPath: DockerfileRule = {
  id: 'context/copy-ignored-path',
  severity: 'error',
  description: 'A COPY/ADD names a path the ignore file excludes: BuildKit never sends it, so the build fails with "not found".',
  check({ dockerfile, context }) {
    if (!context?.ignoreFilePath || context.ignoreError) return [];
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      for (const { instruction, before } of walkStage(dockerfile, stage.index)) {
        const copy = readCopy(instruction, before, context);
        if (!copy) continue;
        for (const source of copy.sources) {
          // Globs match whatever is sent; only literal paths can be wholly excluded.
          if (source.path === undefined || source.kind === 'context-root' || /[*?[]/.test(source.path)) continue;
          if (isSent(context, source.path)) continue;
          const pattern = excludingPattern(context, source.path);
          hits.push({
            line: instruction.startLine,
            message: `${instructionSummary(instruction, dockerfile)}: ${context.ignoreFilePath} excludes ${source.path}${pattern ? ` (pattern "${pattern}")` : ''}, so the build never receives it and fails with "not found".`,
            fix: `Remove that pattern from ${context.ignoreFilePath} or add "!${source.path}" after it; or stop copying ${source.path}.`,
          });
        }
      }
    }
    return hits;
  },
};

/** The last pattern that excludes the path or one of its folders (the one that decides, as in Docker). */
function excludingPattern(context: NonNullable<Parameters<DockerfileRule['check']>[0]['context']>, path: string): string | undefined {
  const candidates = [path];
  for (let dir = posix.dirname(path); dir !== '.'; dir = posix.dirname(dir)) candidates.push(dir);
  const matching = context.ignorePatterns.filter((pattern) => !pattern.exclusion && candidates.some((candidate) => pattern.test(candidate)));
  return matching[matching.length - 1]?.pattern;
}
