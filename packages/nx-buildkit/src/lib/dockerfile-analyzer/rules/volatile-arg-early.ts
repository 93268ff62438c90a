import { runCommandText } from '../../dockerfile';
import { managerLabel } from '../install-commands';
import { DockerfileRule, RuleHit } from '../rule';
import { isBuildStep, readRunSteps } from '../run-steps';

/**
 * Names whose values change with every build: commit ids, build numbers, dates, release versions and cache busters.
 * Tool versions (NODE_VERSION, PYTHON_VERSION) stay the same from build to build and are not meant.
 */
const VOLATILE_NAME =
  /^(VERSION|(APP|BUILD|RELEASE|IMAGE|PROJECT|SERVICE|PACKAGE)_VERSION|RELEASE|REVISION|VCS_REF|SOURCE_COMMIT|COMMIT|COMMIT_(SHA|HASH|ID)|SHA|GIT_(SHA|COMMIT|HASH|REF|REVISION|BRANCH|TAG|DESCRIBE)|GITHUB_(SHA|REF|RUN_ID|RUN_NUMBER)|CI_(COMMIT_SHA|COMMIT_SHORT_SHA|PIPELINE_ID|JOB_ID)|BUILD_(DATE|TIME|TIMESTAMP|NUMBER|ID|REF|SHA)|BUILDTIME|BUILDDATE|TIMESTAMP|DATE|CACHE_?BUST(ER)?|CACHEBUST)$/i;

export function isVolatileName(name: string): boolean {
  return VOLATILE_NAME.test(name);
}

export const volatileArgEarly: DockerfileRule = {
  id: 'cache-order/volatile-arg-early',
  severity: 'warning',
  description: 'An ARG or ENV whose value changes every build (VERSION, GIT_SHA, BUILD_DATE, CACHEBUST…) is declared before RUN steps that do not use it; each new value reruns them all.',
  check({ dockerfile }) {
    const hits: RuleHit[] = [];
    for (const stage of dockerfile.stages) {
      const instructions = stage.instructions;
      instructions.forEach((instruction, index) => {
        if (instruction.keyword !== 'ARG' && instruction.keyword !== 'ENV') return;
        for (const { name, value } of instruction.properties) {
          const fromVolatile = instruction.keyword === 'ENV' && [...(value ?? '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].some((m) => isVolatileName(m[1]));
          if (!isVolatileName(name) && !fromVolatile) continue;
          // Measured with BuildKit 0.13: a changed build arg reruns every later RUN of the stage, whether it reads it or not.
          const later = instructions.slice(index + 1).filter((next) => next.keyword === 'RUN');
          const unaffected = later.filter((run) => !new RegExp(`\\$\\{?${name}\\b`).test(runCommandText(run)) && !runsBuildStep(run));
          if (unaffected.length === 0) continue;
          const firstUse = later.find((run) => !unaffected.includes(run));
          const expensive = unaffected.find((run) => readRunSteps(run).installs.length > 0) ?? unaffected[0];
          hits.push({
            line: instruction.startLine,
            message: `${instruction.keyword} ${name} changes with every build and comes before ${unaffected.length} RUN step${unaffected.length > 1 ? 's' : ''} that do${unaffected.length > 1 ? '' : 'es'} not use it (${describeRun(expensive)} at line ${expensive.startLine + 1}), so each new value reruns them.`,
            fix: firstUse
              ? `Declare ${instruction.keyword} ${name} just before line ${firstUse.startLine + 1}, the first step that uses it.`
              : `Declare ${instruction.keyword} ${name} after the last RUN of the stage (LABEL and ENV that use it can follow it there).`,
          });
        }
      });
    }
    return hits;
  },
};

/**
 * A RUN with a build step (`npm ci && npm run build`, `go build`) may read the value from its environment without
 * naming it (ARG and ENV both reach RUN as environment variables), so the declaration cannot move after it.
 */
function runsBuildStep(run: Parameters<typeof readRunSteps>[0]): boolean {
  const { commands, installs } = readRunSteps(run);
  // No COPY destination is involved here: a path outside every folder keeps \`rm\` of system paths context-free.
  return commands.some((command) => !installs.some((install) => install.command === command) && isBuildStep(command, NO_COPY_DESTINATION));
}

const NO_COPY_DESTINATION = '/\0';

function describeRun(run: Parameters<typeof readRunSteps>[0]): string {
  const install = readRunSteps(run).installs[0];
  if (install) return `\`${managerLabel(install)}\``;
  const text = runCommandText(run).trim().split('\n')[0];
  return `\`${text.length > 40 ? `${text.slice(0, 37)}…` : text}\``;
}
