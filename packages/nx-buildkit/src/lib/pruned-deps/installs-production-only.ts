import { parseDockerfile, ParsedDockerfile } from '../dockerfile';
import type { InstallCommand } from '../dockerfile-analyzer/install-commands';
import { readRunSteps } from '../dockerfile-analyzer/run-steps';

const NODE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);

/**
 * Whether every Node package install of the Dockerfile leaves devDependencies out (`npm ci --omit=dev`, `pnpm install
 * --prod`, `yarn install --production`, `NODE_ENV=production …`): the pruned manifest and lockfile then need none.
 * Pruning them away matters beyond size: Nx's pruned npm lockfile of an app whose build tool is a devDependency
 * (@nx/webpack for a NestJS app) can be one `npm ci` refuses even with --omit=dev, which checks the whole tree
 * (measured, Nx 23.2.1: "lock file's postcss@8.4.31 does not satisfy postcss@8.5.34"), and a build tool's update would
 * change the image's inputs. False when nothing installs, or when one install (a build stage's) needs them.
 */
export function installsProductionOnly(dockerfile: string | ParsedDockerfile): boolean {
  const model = typeof dockerfile === 'string' ? parseDockerfile(dockerfile) : dockerfile;
  const installs = model.instructions
    .flatMap((instruction) => readRunSteps(instruction).installs)
    .filter((install) => NODE_MANAGERS.has(install.manager) && install.action !== 'add');
  return installs.length > 0 && installs.every(omitsDevDependencies);
}

function omitsDevDependencies(install: InstallCommand): boolean {
  if (install.command.assignments['NODE_ENV'] === 'production') return true;
  const args = install.args;
  const has = (...flags: string[]) => args.some((arg) => flags.includes(arg));
  const valueOf = (flag: string) => args.flatMap((arg, index) => (arg.startsWith(`${flag}=`) ? [arg.slice(flag.length + 1)] : arg === flag ? [args[index + 1] ?? ''] : []));
  switch (install.manager) {
    case 'npm':
      return valueOf('--omit').includes('dev') || has('--production', '--only=prod', '--only=production');
    case 'pnpm':
      return has('--prod', '-P', '--production');
    case 'yarn':
    case 'bun':
      return has('--production', '--production=true');
    default:
      return false;
  }
}
