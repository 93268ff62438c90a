import { cacheMounts, instructionSummary } from '../../dockerfile';
import { InstallCommand, isMisplacedMount, MANAGER_CACHES, managerLabel, mountCoversCache } from '../install-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';
import { targetConflict } from '../cache-target-conflicts';
import { usesYarnBerry } from '../yarn-release';

/** Managers whose "cache" is the dependency store later steps build from: the mount must be on those steps too. */
const STORE_IS_THE_RESULT = new Set<InstallCommand['manager']>(['go', 'maven', 'gradle', 'cargo', 'dotnet']);

/**
 * `pip install --no-deps .` (or `uv pip install --no-deps ./pkg`, a wheel file): it installs what the context holds and
 * downloads no package, so a cache mount has nothing to keep.
 */
export function installsOnlyLocalPaths(install: InstallCommand): boolean {
  if (install.manager !== 'pip' && install.manager !== 'uv') return false;
  if (!install.action.endsWith('install') || !install.args.includes('--no-deps')) return false;
  const packages = install.args.filter((arg) => !arg.startsWith('-'));
  return packages.length > 0 && packages.every((arg) => /^(\.|\/|~)/.test(arg) || /\.(whl|tar\.gz|zip)$/.test(arg));
}

export const installWithoutCacheMount: DockerfileRule = {
  id: 'cache-mount/install-without-cache',
  severity: 'info',
  description: "A dependency install has no BuildKit cache mount for its manager's download cache, so any change downloads every package again.",
  check({ dockerfile, context }) {
    const hits: RuleHit[] = [];
    for (const instruction of dockerfile.instructions) {
      const { commands, installs } = readRunSteps(instruction);
      const mounts = cacheMounts(instruction);
      const missing: InstallCommand[] = [];
      const misplaced: string[] = [];
      for (const install of installs) {
        const cache = MANAGER_CACHES[install.manager];
        if (!cache || missing.some((other) => other.manager === install.manager) || installsOnlyLocalPaths(install)) continue;
        const covering = mounts.filter((mount) => mountCoversCache(install.manager, mount));
        const wrong = covering.filter((mount) => isMisplacedMount(install, mount.target, dockerfile.text));
        if (covering.length > wrong.length) continue;
        misplaced.push(...wrong.map((mount) => mount.target));
        missing.push(install);
      }
      if (missing.length === 0) continue;
      // Yarn 2+ does not cache in Yarn 1's folder: Yarn 4's global cache is ~/.yarn/berry/cache unless .yarnrc.yml moves it.
      const berry = context !== undefined && usesYarnBerry(context.files);
      const flags = missing.flatMap((install) => {
        if (install.manager === 'yarn' && berry) return ['--mount=type=cache,target=/root/.yarn/berry/cache'];
        const cache = MANAGER_CACHES[install.manager];
        return (cache?.targets ?? []).map((target) => `--mount=type=cache,target=${target}${cache?.sharing ? `,sharing=${cache.sharing}` : ''}`);
      });
      const notes: string[] = [];
      if (missing.some((install) => install.manager === 'apt')) notes.push('remove /etc/apt/apt.conf.d/docker-clean so downloaded packages stay in the cache');
      if (missing.some((install) => STORE_IS_THE_RESULT.has(install.manager))) notes.push('mount the same cache on the steps that build, which read it');
      if (missing.some((install) => install.args.includes('--no-cache-dir'))) notes.push('drop --no-cache-dir: the mount keeps the cache out of the image');
      // datasette: a RUN that ends with `rm -rf /root/.cache/pip` would fail on a mount there.
      const removal = missing
        .flatMap((install) => (MANAGER_CACHES[install.manager]?.targets ?? []).map((target) => targetConflict(commands, target, '/')))
        .find((conflict) => conflict?.kind === 'removes');
      if (removal) notes.push(`drop \`${removal.command.text}\` first: removing a mounted folder fails ("Device or resource busy")`);
      if (berry && missing.some((install) => install.manager === 'yarn')) {
        notes.push("Yarn 2+ (packageManager or .yarnrc.yml): that is Yarn 4's global cache as root; use the folder .yarnrc.yml's cacheFolder or globalFolder names if it sets one");
      }
      if (misplaced.length) notes.push(`the mount on ${misplaced.join(', ')} is not where Yarn 1 caches as root (/usr/local/share/.cache/yarn; \`yarn cache dir\` shows it)`);
      const labels = missing.map((install) => `\`${managerLabel(install)}\``).join(' and ');
      hits.push({
        line: instruction.startLine,
        message: `${instructionSummary(instruction, dockerfile)}: ${labels} run${missing.length > 1 ? '' : 's'} without a cache mount, so every rebuild of this step downloads all packages again.`,
        fix: `Use RUN ${flags.join(' ')} …${notes.length ? `; ${notes.join('; ')}` : ''}.`,
      });
    }
    return hits;
  },
};
