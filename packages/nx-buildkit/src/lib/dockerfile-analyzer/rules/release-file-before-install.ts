import { posix } from 'node:path';
import { instructionSummary, walkStage } from '../../dockerfile';
import { isBroadSource, readCopy } from '../copy-sources';
import { InstallCommand, managerLabel } from '../install-commands';
import { installNeeds } from '../install-needs';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';

/** Files a release rewrites every time (the changelog, a version file): they change even when no dependency does. */
const RELEASE_FILE = /^(CHANGELOG|CHANGES|HISTORY|NEWS|RELEASES?|RELEASE[-_]NOTES)(\.[A-Za-z]+)?$|^(VERSION|version)(\.txt)?$|^\.version$|^\.release-please-manifest\.json$/i;

export function isReleaseFile(path: string): boolean {
  return RELEASE_FILE.test(posix.basename(path));
}

export const releaseFileBeforeInstall: DockerfileRule = {
  id: 'cache-order/release-file-before-install',
  severity: 'warning',
  description: 'A file every release rewrites (CHANGELOG.md, VERSION) is copied before a dependency install, so each release reruns the install.',
  check({ dockerfile, context }) {
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      const steps = walkStage(dockerfile, stage.index);
      steps.forEach(({ instruction, before }, index) => {
        const copy = readCopy(instruction, before, context);
        const released = copy?.sources.filter((source) => !isBroadSource(source) && source.path !== undefined && isReleaseFile(source.path)) ?? [];
        if (!copy || released.length === 0) return;
        const later = steps.slice(index + 1).find((step) => readRunSteps(step.instruction).installs.length > 0);
        if (!later) return;
        const install = readRunSteps(later.instruction).installs[0];
        // `uv pip install --no-deps .`, `poetry install`: installing the project itself reads its version file (dynamic
        // versions) and more, so the file belongs before it.
        if (installsTheProject(install, later.before.vars)) return;
        const files = released.map((source) => source.raw).join(', ');
        hits.push({
          line: instruction.startLine,
          message: `${instructionSummary(instruction, dockerfile)} copies ${files}, which every release rewrites, before \`${managerLabel(install)}\` (line ${later.instruction.startLine + 1}): each release reruns the install.`,
          fix: `Copy ${files} after the install (it is not a dependency manifest).`,
        });
      });
    }
    return hits;
  },
};

/** An install known to read the project's own sources (a local path, the project of a uv or poetry sync), told from its words alone. */
function installsTheProject(install: InstallCommand, vars: Readonly<Record<string, string | undefined>>): boolean {
  const result = installNeeds(install, { vars, read: () => undefined, isDirectory: () => false });
  return 'decline' in result && result.readsSources === true;
}
