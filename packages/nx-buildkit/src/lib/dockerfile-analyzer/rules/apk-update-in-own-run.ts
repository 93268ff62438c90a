import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';
import { apkSubcommand } from './apk-index-left-behind';

export const apkUpdateInOwnRun: DockerfileRule = {
  id: 'apk/update-in-own-run',
  severity: 'warning',
  description: '`apk update` runs in a RUN of its own: its layer is cached for good, so a later `apk add` reads a stale index.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      const { commands } = readRunSteps(instruction);
      const apk = commands.map(apkSubcommand).filter((sub) => sub !== undefined);
      if (!apk.includes('update') || apk.some((sub) => sub !== 'update')) continue;
      hits.push({
        line: instruction.startLine,
        message: 'apk update runs in its own RUN: once cached, that layer is reused while the `apk add` after it changes, so the install reads an outdated index and can fail to find versions.',
        fix: 'Drop the `apk update` RUN and use `apk add --no-cache …`, which fetches a fresh index each time it runs.',
      });
    }
    return hits;
  },
};
