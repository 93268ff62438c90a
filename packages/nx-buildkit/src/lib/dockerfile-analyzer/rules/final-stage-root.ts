import { externalBase, NON_ROOT_IMAGE } from '../../dockerfile';
import { DockerfileRule } from '../rule';
import { finalState, walkStage } from '../../dockerfile';

export const finalStageRoot: DockerfileRule = {
  id: 'security/final-stage-root',
  severity: 'warning',
  description: 'The final stage runs as root: no USER, or USER root/0.',
  check({ dockerfile }) {
    const last = dockerfile.stages[dockerfile.stages.length - 1];
    if (!last) return [];
    const user = finalState(dockerfile, last.index).user;
    const base = externalBase(dockerfile, last.index);
    const hint = /(^|\/)node:/.test(base) ? 'USER node (the image has it)' : 'USER <name> after creating one with useradd/adduser';
    if (user === undefined) {
      if (NON_ROOT_IMAGE.test(base) || base === '') return [];
      return [
        {
          line: last.from.startLine,
          message: `The final stage (${last.name ?? base}) sets no USER, so the container runs as root unless its base image switched user.`,
          fix: `Add ${hint} after the last step that needs root.`,
        },
      ];
    }
    if (!isRoot(user)) return [];
    const steps = walkStage(dockerfile, last.index);
    const lastUser = [...steps].reverse().find((step) => step.instruction.keyword === 'USER');
    return [
      {
        line: (lastUser?.instruction ?? last.from).startLine,
        message: `The final stage runs as ${user}: a process that escapes the application has root in the container.`,
        fix: `Switch to an unprivileged user at the end: ${hint}.`,
      },
    ];
  },
};

function isRoot(user: string): boolean {
  const name = user.split(':')[0].trim();
  return name === 'root' || name === '0';
}
