import { isAptUpdate } from '../install-commands';
import { programName, SimpleCommand } from '../shell-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';

/**
 * Commands that cannot read the package lists an update fetches, so a RUN of these and the update still does nothing
 * with it. Everything else may install through apt: not only `apt-get install`, but tools that call it
 * (`playwright install --with-deps`, `install-php-extensions`, a project's setup script).
 */
const HARMLESS_PROGRAMS = new Set(['set', 'echo', 'printf', 'true', ':', 'export']);

export const aptUpdateInOwnRun: DockerfileRule = {
  id: 'apt/update-in-own-run',
  severity: 'warning',
  description: '`apt-get update` runs in a RUN of its own: its layer is cached for good, so a later install reads stale package lists.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      const steps = readRunSteps(instruction);
      if (!steps.aptUpdate || !steps.commands.every(isUpdateOrHarmless)) continue;
      hits.push({
        line: instruction.startLine,
        message: 'apt-get update runs in its own RUN: once cached, that layer is reused while the install after it changes, so the install reads outdated package lists and can fail to find versions.',
        fix: 'Run `apt-get update && apt-get install …` in one RUN (nx g nx-buildkit:optimize merges it with the next install).',
      });
    }
    return hits;
  },
};

/** The update itself, or a command that cannot use what the update fetched. */
export function isUpdateOrHarmless(command: SimpleCommand): boolean {
  return isAptUpdate(command) || HARMLESS_PROGRAMS.has(programName(command.words[0]));
}
