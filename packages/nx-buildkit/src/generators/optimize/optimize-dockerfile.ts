import { analyzeParsed } from '../../lib/dockerfile-analyzer/analyze-dockerfile';
import { BuildContext } from '../../lib/dockerfile-analyzer/build-context';
import { parseDockerfile, ParsedDockerfile } from '../../lib/dockerfile';
import { planCacheMounts } from './add-cache-mounts';
import { planAptMerge } from './merge-apt-update';
import { DeclinedRewrite, PlannedRewrite, RewriteKind } from './rewrite';
import { planCopySplit } from './split-broad-copy';
import { applyEditsTracked } from './text-edits';
import { compareCodeUnits } from '../../lib/compare-text';

export interface OptimizeResult {
  /** The optimized text (the input when nothing changed). */
  readonly text: string;
  /** The rewrites made, in order, each with one sentence for the log. */
  readonly changes: ReadonlyArray<{ readonly kind: RewriteKind; readonly description: string }>;
  /** Rewrites not made, with the reason; lines (also those a reason cites) are the input's. */
  readonly declined: readonly DeclinedRewrite[];
  /** For each line of the result (index 0 = line 1), the 1-based input line it comes from. */
  readonly inputLines: readonly number[];
}

/** The finding each rewrite answers. */
const RULE_OF: Record<RewriteKind, string> = {
  'split-copy': 'cache-order/broad-copy-before-install',
  'merge-apt-update': 'apt/update-in-own-run',
  'cache-mount': 'cache-mount/install-without-cache',
};

/** Upper bound on structural rewrites: each one moves a COPY past installs or removes a RUN, so this is never reached. */
const MAX_ROUNDS = 50;

/**
 * Applies the safe rewrites to a Dockerfile's text: merge lone `apt-get update`s into the install after them, split
 * broad COPYs so installs run from the manifests alone, then add cache mounts. Pure: the context is read only
 * through `context.files`. Running it on its own output changes nothing.
 */
export function optimizeDockerfile(text: string, context: BuildContext): OptimizeResult {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let current = text.replace(/\r\n/g, '\n');
  // origins[i]: the input line that line i of `current` comes from.
  let origins = current.split('\n').map((_, i) => i);
  const changes: Array<{ kind: RewriteKind; description: string }> = [];
  const apply = (parsed: ParsedDockerfile, rewrites: readonly PlannedRewrite[]) => {
    const applied = applyEditsTracked(parsed.lines, origins, rewrites.flatMap((rewrite) => rewrite.edits));
    current = applied.lines.join('\n');
    origins = applied.origins;
    changes.push(...rewrites.map(({ kind, description }) => ({ kind, description })));
  };

  // Merges first: a split may then move the merged RUN as one install step.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const parsed = parseDockerfile(current);
    const rewrite = planAptMerge(parsed).rewrite ?? planCopySplit(parsed, context).rewrite;
    if (!rewrite) break;
    apply(parsed, [rewrite]);
  }
  // Each mount edits the lines of its own RUN only, so all of them apply at once.
  const parsed = parseDockerfile(current);
  apply(parsed, planCacheMounts(parsed, context).rewrites);

  const final = parseDockerfile(current);
  // The declines are found on the result, and told in the user's line numbers.
  const inputLine = (line: number) => (origins[line - 1] ?? line - 1) + 1;
  // A decline explains a finding that stays; one where lint finds nothing to fix (an install that reads the sources
  // after a COPY of them is in the right order) would only be noise.
  const findings = new Set(analyzeParsed(final, { file: 'Dockerfile', context }).map((finding) => `${finding.rule}@${finding.line}`));
  const declined = [...planAptMerge(final).declined, ...planCopySplit(final, context).declined, ...planCacheMounts(final, context).declined]
    .filter((declined) => findings.has(`${RULE_OF[declined.kind]}@${declined.line}`))
    .map((declined) => ({ ...declined, line: inputLine(declined.line), reason: declined.reason.replace(/\bline (\d+)\b/g, (_, n: string) => `line ${inputLine(Number(n))}`) }))
    .sort((a, b) => a.line - b.line || compareCodeUnits(a.kind, b.kind));
  return { text: eol === '\n' ? current : current.replace(/\n/g, eol), changes, declined, inputLines: origins.map((origin) => origin + 1) };
}
