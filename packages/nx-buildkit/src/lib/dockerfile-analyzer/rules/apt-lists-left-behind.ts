import { cacheMounts, finalImageStages } from '../../dockerfile';
import { programName } from '../shell-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';

export const aptListsLeftBehind: DockerfileRule = {
  id: 'apt/lists-left-behind',
  severity: 'info',
  description: 'A RUN in the final image runs apt-get update and leaves /var/lib/apt/lists in the layer (no cache mount, no rm -rf).',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const stage of finalImageStages(dockerfile)) {
      for (const instruction of stage.instructions) {
        const steps = readRunSteps(instruction);
        if (!steps.aptUpdate) continue;
        const removed = steps.commands.some((command) => programName(command.words[0]) === 'rm' && command.words.some(removesAptLists));
        const mounted = cacheMounts(instruction).some((mount) => mount.target.replace(/\/+$/, '').startsWith('/var/lib/apt'));
        if (removed || mounted) continue;
        hits.push({
          line: instruction.startLine,
          message: 'apt package lists (tens of MB) stay in this layer of the final image.',
          fix: 'End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache: RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked --mount=type=cache,target=/var/cache/apt,sharing=locked ….',
        });
      }
    }
    return hits;
  },
};

const APT_LISTS = '/var/lib/apt/lists';

/**
 * Whether an rm argument takes the lists with it: the lists folder or what is in it (`/var/lib/apt/lists/*`), or a
 * folder above it, emptied or removed (`rm -rf /var/lib/apt`, `/var/lib/apt/*`).
 */
function removesAptLists(word: string): boolean {
  if (word.startsWith(APT_LISTS)) return true;
  const folder = word.replace(/(\/\*?)+$/, '');
  return folder !== '' && APT_LISTS.startsWith(`${folder}/`);
}
