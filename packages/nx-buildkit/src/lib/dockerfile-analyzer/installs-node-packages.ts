import { parseDockerfile, ParsedDockerfile } from '../dockerfile';
import { readRunSteps } from './run-steps';

const NODE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);

/**
 * Whether some RUN of the Dockerfile installs Node packages (npm, pnpm, yarn or bun, through corepack too). Only
 * then can a `file:`/`link:`/`portal:` dependency of a manifest the build sends fail the build: a Dockerfile that
 * copies package.json for its version or scripts, and installs nothing, reads no dependency path.
 */
export function installsNodePackages(dockerfile: string | ParsedDockerfile): boolean {
  const model = typeof dockerfile === 'string' ? parseDockerfile(dockerfile) : dockerfile;
  return model.instructions.some((instruction) => readRunSteps(instruction).installs.some((install) => NODE_MANAGERS.has(install.manager)));
}
