import { programName } from '../shell-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';

export const aptUpdateInOwnRun: DockerfileRule = {
  id: 'apt/update-in-own-run',
  severity: 'warning',
  description: '`apt-get update` runs in a RUN of its own: its layer is cached for good, so a later install reads stale package lists.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      const steps = readRunSteps(instruction);
      if (!steps.aptUpdate) continue;
      const installsOrUpgrades = steps.commands.some((command) => {
        const program = programName(command.words[0]);
        return ['apt-get', 'apt', 'aptitude'].includes(program) && command.words.some((word) => ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep'].includes(word));
      });
      if (installsOrUpgrades) continue;
      hits.push({
        line: instruction.startLine,
        message: 'apt-get update runs in its own RUN: once cached, that layer is reused while the install after it changes, so the install reads outdated package lists and can fail to find versions.',
        fix: 'Run `apt-get update && apt-get install …` in one RUN (nx g nx-buildkit:optimize merges it with the next install).',
      });
    }
    return hits;
  },
};
