import { ParsedDockerfile, ParsedStage } from '../../dockerfile';
import { SimpleCommand } from '../shell-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';
import { apkSubcommand } from './apk-index-left-behind';
import { isUpdateOrHarmless } from './apt-update-in-own-run';

export const apkUpdateInOwnRun: DockerfileRule = {
  id: 'apk/update-in-own-run',
  severity: 'warning',
  description: '`apk update` runs in a RUN of its own: its layer is cached for good, so a later `apk add` reads a stale index, or nothing reads it at all.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      stage.instructions.forEach((instruction, position) => {
        const { commands } = readRunSteps(instruction);
        const apk = commands.map(apkSubcommand).filter((sub) => sub !== undefined);
        if (!apk.includes('update') || apk.some((sub) => sub !== 'update')) return;
        // Only a RUN that does nothing else: any other command (`./install.sh`) may install from the index.
        if (!commands.every((command) => apkSubcommand(command) === 'update' || isUpdateOrHarmless(command))) return;
        const users = laterIndexUsers(dockerfile, stage, position);
        hits.push({ line: instruction.startLine, ...explain(users) });
      });
    }
    return hits;
  },
};

/** The message and fix, by what comes after the update: a stale read, or an index nobody reads. */
function explain(users: readonly SimpleCommand[]): Pick<RuleHit, 'message' | 'fix'> {
  const fix = 'Drop the `apk update` RUN and use `apk add --no-cache …`, which fetches a fresh index each time it runs.';
  if (users.some((command) => !command.words.includes('--no-cache'))) {
    return {
      message: 'apk update runs in its own RUN: once cached, that layer is reused while the `apk add` after it changes, so the install reads an outdated index and can fail to find versions.',
      fix,
    };
  }
  if (users.length > 0) {
    return {
      message: 'apk update runs in its own RUN, but the later `apk add --no-cache` fetches an index of its own: the one fetched here is never read and only adds a download and a layer.',
      fix: 'Delete the `apk update` RUN: `apk add --no-cache` needs no update.',
    };
  }
  return {
    message: 'apk update runs in its own RUN and no `apk add` follows in this stage or the stages built on it: the index it fetches is never read and only adds a download and a layer.',
    fix: 'Delete the `apk update` RUN (and when a package is needed later, install it with `apk add --no-cache …`).',
  };
}

/**
 * The apk commands that read the index (add, upgrade, fix) after the instruction at `position`: later in its stage,
 * and in every stage that starts FROM this one, since they inherit the layer.
 */
function laterIndexUsers(dockerfile: ParsedDockerfile, stage: ParsedStage, position: number): SimpleCommand[] {
  const instructions = [...stage.instructions.slice(position + 1), ...stagesBuiltOn(dockerfile, stage).flatMap((later) => later.instructions)];
  return instructions.flatMap((instruction) => readRunSteps(instruction).commands.filter((command) => ['add', 'upgrade', 'fix'].includes(apkSubcommand(command) ?? '')));
}

/** The stages whose FROM chain goes through `stage`. */
function stagesBuiltOn(dockerfile: ParsedDockerfile, stage: ParsedStage): ParsedStage[] {
  return dockerfile.stages.filter((candidate) => {
    const seen = new Set<number>();
    for (let base = candidate.baseStage; base !== undefined && !seen.has(base); base = dockerfile.stages[base].baseStage) {
      if (base === stage.index) return true;
      seen.add(base);
    }
    return false;
  });
}
