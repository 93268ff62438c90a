import { instructionSummary, ParsedDockerfile } from '../../lib/dockerfile';
import { isAptUpdate } from '../../lib/dockerfile-analyzer/install-commands';
import { readRunSteps } from '../../lib/dockerfile-analyzer/run-steps';
import { isUpdateOrHarmless } from '../../lib/dockerfile-analyzer/rules/apt-update-in-own-run';
import { DeclinedRewrite, PlanResult } from './rewrite';

/**
 * Merges a RUN that only runs `apt-get update` into the RUN right after it when that one installs with apt: the
 * install then always reads fresh lists. The update command is put in front of the install's command
 * (`RUN apt-get update && apt-get install …`); every other line of both is kept.
 */
export function planAptMerge(dockerfile: ParsedDockerfile): PlanResult {
  const declined: DeclinedRewrite[] = [];
  for (const stage of dockerfile.stages) {
    const instructions = stage.instructions;
    for (let i = 0; i < instructions.length; i++) {
      const update = instructions[i];
      const steps = readRunSteps(update);
      // The same RUNs lint reports: the update alone, or with commands that cannot use it (`set -eux`, `echo`).
      if (!steps.aptUpdate || !steps.commands.every(isUpdateOrHarmless)) continue;
      const decline = (reason: string) => declined.push({ kind: 'merge-apt-update', line: update.startLine + 1, reason });
      const next = instructions[i + 1];
      const nextSteps = next ? readRunSteps(next) : undefined;
      if (!next || !nextSteps || next.keyword !== 'RUN' || !nextSteps.installs.some((install) => install.manager === 'apt')) {
        decline(`the instruction after ${instructionSummary(update, dockerfile)} is not an apt install; merge the update into the RUN that installs by hand.`);
        continue;
      }
      if (update.flags.length > 0 || update.json || update.heredocs.length > 0) {
        decline(`${instructionSummary(update, dockerfile)} has flags or is not in shell form.`);
        continue;
      }
      if (next.json || next.heredocs.length > 0 || !next.argsStart) {
        decline(`the install at line ${next.startLine + 1} is not in shell form (exec form or here-document).`);
        continue;
      }
      const first = nextSteps.commands[0];
      if (!first || !nextSteps.installs.some((install) => install.command === first)) {
        decline(`the RUN at line ${next.startLine + 1} does not start with the apt install.`);
        continue;
      }
      // `apt-get update && a; b` would run b after a failed update: only && chains keep the original's failure.
      if (nextSteps.commands.slice(1).some((command) => command.after !== '&&')) {
        decline(`the RUN at line ${next.startLine + 1} chains commands with ; || | or newlines: prefixing the update with && would not stop them when it fails.`);
        continue;
      }
      // Only the update moves: `set -eux` or `echo` in the update's own RUN did nothing that lasts, and put in front of
      // the install they would change how it runs (`set -u` fails on an unset variable).
      const updateCommand = steps.commands.filter(isAptUpdate).map((command) => command.text.replace(/\s+/g, ' ').trim()).join(' && ');
      const updateLines = dockerfile.lines.slice(update.startLine, update.endLine + 1);
      // Comment lines inside a continued update RUN are kept where they were.
      const comments = updateLines.slice(1).filter((line) => /^\s*#/.test(line));
      return {
        rewrite: {
          kind: 'merge-apt-update',
          edits: [
            { kind: 'replace', start: update.startLine, end: update.endLine, lines: comments },
            { kind: 'insert-text', line: next.argsStart.line, character: next.argsStart.character, text: `${updateCommand} && ` },
          ],
          description: `${instructionSummary(update, dockerfile)} merged into the install after it (${instructionSummary(next, dockerfile)}).`,
        },
        declined,
      };
    }
  }
  return { declined };
}
