import { CopyStep, describeSource, isBroadSource, readCopy } from '../copy-sources';
import { instructionSummary } from '../../dockerfile';
import { InstallCommand, managerLabel } from '../install-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';
import { walkStage } from '../../dockerfile';

/** Manifests each manager installs from, for the fix text. */
const MANIFESTS_TO_COPY: Partial<Record<InstallCommand['manager'], string>> = {
  npm: 'package.json and package-lock.json',
  pnpm: 'package.json and pnpm-lock.yaml',
  yarn: 'package.json and yarn.lock',
  bun: 'package.json and bun.lockb',
  pip: 'the requirements files',
  uv: 'pyproject.toml and uv.lock',
  poetry: 'pyproject.toml and poetry.lock',
  pipenv: 'Pipfile and Pipfile.lock',
  go: 'go.mod and go.sum',
  bundler: 'Gemfile and Gemfile.lock',
  maven: 'pom.xml',
  gradle: 'build.gradle(.kts), settings.gradle(.kts) and gradle/',
  composer: 'composer.json and composer.lock',
  cargo: 'Cargo.toml and Cargo.lock',
  dotnet: 'the *.csproj files',
};

export const broadCopyBeforeInstall: DockerfileRule = {
  id: 'cache-order/broad-copy-before-install',
  severity: 'warning',
  description: 'A COPY/ADD of the whole context or a source folder comes before a dependency install in the same stage, so every source change reruns the install.',
  check({ dockerfile, context }) {
    const hits: RuleHit[] = [];
    dockerfile.stages.forEach((stage) => {
      const broad: Array<{ copy: CopyStep; what: string; installs: Array<{ install: InstallCommand; line: number }> }> = [];
      for (const { instruction, before } of walkStage(dockerfile, stage.index)) {
        const copy = readCopy(instruction, before, context);
        const source = copy?.sources.find(isBroadSource);
        if (copy && source) {
          broad.push({ copy, what: describeSource(source), installs: [] });
          continue;
        }
        const installs = readRunSteps(instruction).installs;
        for (const entry of broad) for (const install of installs) entry.installs.push({ install, line: instruction.startLine });
      }
      for (const { copy, what, installs } of broad) {
        if (installs.length === 0) continue;
        const summary = instructionSummary(copy.instruction, dockerfile);
        const listed = installs.slice(0, 3).map(({ install, line }) => `\`${managerLabel(install)}\` (line ${line + 1})`);
        const more = installs.length > 3 ? ` and ${installs.length - 3} more` : '';
        hits.push({
          line: copy.instruction.startLine,
          message: `${summary} copies ${what} before ${listed.join(', ')}${more}: any source change reruns the install.`,
          fix: fixFor(summary, installs.map(({ install }) => install)),
        });
      }
    });
    return hits;
  },
};

function fixFor(summary: string, installs: readonly InstallCommand[]): string {
  if (installs.some(installsProjectItself)) {
    return `Install the dependencies first from a file copied alone (requirements.txt, a lockfile), then ${summary} and install the project itself with --no-deps.`;
  }
  const manifests = [...new Set(installs.map((install) => MANIFESTS_TO_COPY[install.manager]).filter((m): m is string => m !== undefined))];
  if (manifests.length === 0) return `Move the install above ${summary}: it reads nothing from the context.`;
  return `Copy only ${manifests.join('; ')} before the install and move ${summary} after it (nx g nx-buildkit:optimize does this).`;
}

/** `pip install .` / `pip install -e .`: the install reads the project's own sources, not only a manifest. */
function installsProjectItself(install: InstallCommand): boolean {
  if (install.manager !== 'pip' && install.action !== 'pip install') return false;
  return install.args.some((arg, i) => arg === '.' || arg === './' || (arg === '-e' && /^\.\.?(\/|$)/.test(install.args[i + 1] ?? '')) || /^\.\.?\/|^\.\[/.test(arg));
}
