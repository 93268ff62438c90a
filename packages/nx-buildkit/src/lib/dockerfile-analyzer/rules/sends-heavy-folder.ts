import { isSent } from '../build-context';
import { readCopy } from '../copy-sources';
import { instructionSummary } from '../../dockerfile';
import { DockerfileRule, RuleHit } from '../rule';
import { walkStage } from '../../dockerfile';

const HEAVY = ['node_modules', '.git'];

export const sendsHeavyFolder: DockerfileRule = {
  id: 'context/sends-heavy-folder',
  severity: 'warning',
  description: 'A COPY sends node_modules or .git from the context because no ignore file excludes them: slow transfers, host-built modules and history in the image.',
  check({ dockerfile, context }) {
    if (!context || context.ignoreError) return [];
    const heavy = heavyFolders(context).filter((path) => isSent(context, path));
    if (heavy.length === 0) return [];
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      for (const { instruction, before } of walkStage(dockerfile, stage.index)) {
        const copy = readCopy(instruction, before, context);
        if (!copy) continue;
        const copied = heavy.filter((path) => copy.sources.some((source) => source.path !== undefined && (source.path === '.' || path === source.path || path.startsWith(`${source.path}/`))));
        if (copied.length === 0) continue;
        const ignore = context.ignoreFilePath ? `${context.ignoreFilePath} does not exclude them` : 'the context has no ignore file';
        hits.push({
          line: instruction.startLine,
          message: `${instructionSummary(instruction, dockerfile)} sends ${copied.join(' and ')} (${ignore}): every build transfers them, and host-built modules or git history land in the image.`,
          fix: context.ignoreFilePath
            ? `Add ${copied.map((path) => `"${path}"`).join(' and ')} to ${context.ignoreFilePath}.`
            : `Add a .dockerignore at the context root (or <Dockerfile>.dockerignore beside the Dockerfile) with node_modules, .git and other build output.`,
        });
      }
    }
    return hits;
  },
};

/** node_modules and .git at the context root and one folder down (apps/web/node_modules in a workspace-root context). */
function heavyFolders(context: NonNullable<Parameters<DockerfileRule['check']>[0]['context']>): string[] {
  const found: string[] = [];
  for (const name of HEAVY) if (context.files.exists(name)) found.push(name);
  for (const child of context.files.list('.') ?? []) {
    if (HEAVY.includes(child) || !context.files.isDirectory(child)) continue;
    for (const name of HEAVY) if (context.files.exists(`${child}/${name}`)) found.push(`${child}/${name}`);
  }
  return found;
}
