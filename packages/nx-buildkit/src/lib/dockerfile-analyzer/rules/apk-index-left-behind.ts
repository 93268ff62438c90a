import { cacheMounts, finalImageStages } from '../../dockerfile';
import { programName, SimpleCommand } from '../shell-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';

/** `apk add`, `apk update` or `apk upgrade`: the commands that fetch Alpine's package index into /var/cache/apk. */
export function apkSubcommand(command: SimpleCommand): string | undefined {
  if (programName(command.words[0] ?? '') !== 'apk') return undefined;
  return command.words.slice(1).find((word) => ['add', 'update', 'upgrade', 'fix'].includes(word));
}

export const apkIndexLeftBehind: DockerfileRule = {
  id: 'apk/index-left-behind',
  severity: 'info',
  description: 'A RUN in the final image runs apk without --no-cache and leaves the package index in /var/cache/apk in the layer.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const stage of finalImageStages(dockerfile)) {
      for (const instruction of stage.instructions) {
        const { commands } = readRunSteps(instruction);
        const fetching = commands.filter((command) => apkSubcommand(command) !== undefined && !command.words.includes('--no-cache'));
        if (fetching.length === 0) continue;
        const removed = commands.some((command) => programName(command.words[0]) === 'rm' && command.words.some((word) => word.startsWith('/var/cache/apk')));
        const mounted = cacheMounts(instruction).some((mount) => mount.target.replace(/\/+$/, '').startsWith('/var/cache/apk') || mount.target.startsWith('/etc/apk/cache'));
        if (removed || mounted) continue;
        hits.push({
          line: instruction.startLine,
          message: `\`${fetching[0].text}\` runs without --no-cache: Alpine's package index stays in this layer of the final image.`,
          fix: 'Use `apk add --no-cache …`, which fetches the index, installs and leaves nothing behind (no `apk update` needed).',
        });
      }
    }
    return hits;
  },
};
