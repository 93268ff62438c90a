import { BuildContext, isSent, sendsFile } from '../build-context';
import { isContextFree } from '../context-free-commands';
import { copiedFrom, CopySource, CopyStep, describeSource, isBroadSource, readCopy } from '../copy-sources';
import { instructionSummary, resolveInImage, StageState } from '../../dockerfile';
import { InstallCommand, managerLabel } from '../install-commands';
import { installNeeds } from '../install-needs';
import { DockerfileRule, RuleHit } from '../rule';
import { readRunSteps } from '../run-steps';
import { programName, SimpleCommand } from '../shell-commands';
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
  description:
    'A COPY/ADD of the whole context or a source folder comes before a dependency install in the same stage, so every source change reruns the install (installs that read the sources themselves, such as install scripts or `pip install .`, are not counted).',
  check({ dockerfile, context }) {
    const hits: RuleHit[] = [];
    dockerfile.stages.forEach((stage) => {
      const broad: Array<{ copy: CopyStep; source: CopySource; what: string; builtSince: boolean; installs: Array<{ install: InstallCommand; line: number }> }> = [];
      for (const { instruction, before } of walkStage(dockerfile, stage.index)) {
        const copy = readCopy(instruction, before, context);
        const source = copy?.sources.find(isBroadSource);
        if (copy && source) {
          broad.push({ copy, source, what: describeSource(source), builtSince: false, installs: [] });
          continue;
        }
        const { commands, installs } = readRunSteps(instruction);
        for (const entry of broad) {
          for (const command of commands) {
            const install = installs.find((candidate) => candidate.command === command);
            if (install && !entry.builtSince && !readsTheSources(install, entry.copy, entry.source, before, context)) entry.installs.push({ install, line: instruction.startLine });
            // A build step after the COPY (`npm run build`): an install after it may read what it generated.
            if (!install && isBuildStep(command, entry.copy.destInImage ?? '/')) entry.builtSince = true;
          }
        }
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

/** Commands that neither build nor generate files from what a COPY brought. */
const NOT_A_BUILD = new Set(['cd', 'mkdir', 'chown', 'chmod', 'chgrp', 'ls', 'ln', 'cat', 'pwd', 'test', '[', 'printf', 'touch', 'which', 'id', 'whoami', 'false', 'node', 'python', 'python3']);

function isBuildStep(command: SimpleCommand, copyDest: string): boolean {
  const program = programName(command.words[0]);
  // `node -v` / `python --version`: only with no script to run.
  if ((program === 'node' || /^python[0-9.]*$/.test(program)) && command.words.slice(1).some((word) => !word.startsWith('-'))) return true;
  return !NOT_A_BUILD.has(program) && !isContextFree(command, copyDest);
}

/**
 * Whether the install needs what the broad COPY brings: it runs install scripts, installs the project or a local path
 * (`pip install .`, `uv sync` of the project, a `file:` dependency). Moving it before the COPY would break it.
 */
function readsTheSources(install: InstallCommand, copy: CopyStep, source: CopySource, state: StageState, context: BuildContext | undefined): boolean {
  if (!context) return installsProjectItself(install);
  const fromCopy = copiedFrom(copy, source);
  const locate = (path: string) => fromCopy(resolveInImage(path, state.workdir ?? ''));
  const result = installNeeds(install, {
    vars: state.vars,
    read: (path) => {
      const contextPath = locate(path);
      return contextPath !== undefined && sendsFile(context, contextPath) ? context.files.readText(contextPath) : undefined;
    },
    isDirectory: (path) => {
      const contextPath = locate(path);
      return contextPath !== undefined && context.files.isDirectory(contextPath) && isSent(context, contextPath);
    },
  });
  return 'decline' in result && result.readsSources === true;
}

function fixFor(summary: string, installs: readonly InstallCommand[]): string {
  const manifests = [...new Set(installs.map((install) => MANIFESTS_TO_COPY[install.manager]).filter((m): m is string => m !== undefined))];
  if (manifests.length === 0) return `Move the install above ${summary}: it reads nothing from the context.`;
  return `Copy only ${manifests.join('; ')} before the install and move ${summary} after it (nx g nx-buildkit:optimize does this).`;
}

/** `pip install .` / `pip install -e .`: the install reads the project's own sources, not only a manifest. */
function installsProjectItself(install: InstallCommand): boolean {
  if (install.manager !== 'pip' && install.action !== 'pip install') return false;
  return install.args.some((arg, i) => arg === '.' || arg === './' || (arg === '-e' && /^\.\.?(\/|$)/.test(install.args[i + 1] ?? '')) || /^\.\.?\/|^\.\[/.test(arg));
}
