import { DockerfileRule } from '../rule';

export const missingFrom: DockerfileRule = {
  id: 'dockerfile/no-from',
  severity: 'error',
  description: 'The file has no FROM instruction, so nothing can be built from it.',
  check({ dockerfile }) {
    if (dockerfile.stages.length > 0) return [];
    const first = dockerfile.instructions.find((instruction) => instruction.keyword !== 'ARG');
    return [
      {
        line: first?.startLine ?? 0,
        message: 'No FROM instruction: docker build fails before it starts ("no build stage in current context").',
        fix: 'Start the file with FROM <image>:<tag> (only ARG may come before it).',
      },
    ];
  },
};
