import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { posixRelative } from '../../lib/context/paths';
import { UserFacingError } from '../../lib/errors';
import { checkRuleSettings } from '../../lib/dockerfile-analyzer/analyze-dockerfile';
import { FailOn } from '../../lib/dockerfile-analyzer/format-findings';
import { SeveritySetting } from '../../lib/dockerfile-analyzer/rule';
import { DEFAULT_DOCKERFILE_NAMES, findDefaultDockerfiles } from '../../lib/image/options/default-dockerfile';
import type { LintExecutorSchema } from './schema';

export interface LintTarget {
  readonly workspaceRoot: string;
  readonly projectName: string;
  readonly projectRoot: string;
  readonly targetName: string;
}

export interface NormalizedLintOptions extends LintTarget {
  /** Absolute. */
  readonly dockerfile: string;
  /** Absolute. */
  readonly context: string;
  readonly format: 'text' | 'json';
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  readonly failOn: FailOn;
}

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'none'];

/** Resolves defaults and validates every option. Throws UserFacingError naming the option and the fix. */
export function normalizeLintOptions(options: LintExecutorSchema, target: LintTarget): NormalizedLintOptions {
  const { workspaceRoot, projectRoot, projectName, targetName } = target;
  const where = `in the "${targetName}" options of project "${projectName}"`;
  const fail = (message: string): never => {
    throw new UserFacingError(message);
  };

  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') fail(`Invalid "format" ${JSON.stringify(format)} ${where}: use "text" or "json".`);
  const failOn = options.failOn ?? 'error';
  if (!FAIL_ON.includes(failOn)) fail(`Invalid "failOn" ${JSON.stringify(failOn)} ${where}: use "error", "warning", "info" or "none".`);
  const rulesProblem = checkRuleSettings(options.rules);
  if (rulesProblem) fail(`Invalid "rules" ${where}: ${rulesProblem}.`);

  const context = inside(workspaceRoot, options.context ?? projectRoot, 'context', where);
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    fail(`Build context "${rel(workspaceRoot, context)}" does not exist or is not a folder. Set "context" ${where} to a folder relative to the workspace root.`);
  }

  let dockerfile: string;
  if (options.dockerfile !== undefined) {
    dockerfile = inside(workspaceRoot, options.dockerfile, 'dockerfile', where);
  } else {
    const found = findDefaultDockerfiles(projectRoot, (path) => existsSync(join(workspaceRoot, path))).map((path) => join(workspaceRoot, path));
    if (found.length > 1) {
      fail(`Project "${projectName}" has several Dockerfiles (${found.map((path) => rel(workspaceRoot, path)).join(', ')}). Set "dockerfile" ${where} to the one to check.`);
    }
    if (found.length === 0) {
      fail(`No Dockerfile found in "${projectRoot || '.'}" (looked for ${DEFAULT_DOCKERFILE_NAMES.join(', ')}). Set "dockerfile" ${where} to the Dockerfile to check.`);
    }
    dockerfile = found[0];
  }
  if (!existsSync(dockerfile)) {
    fail(`Dockerfile "${rel(workspaceRoot, dockerfile)}" not found. Set "dockerfile" ${where} to an existing file (a path relative to the workspace root).`);
  }
  if (statSync(dockerfile).isDirectory()) {
    fail(`"${rel(workspaceRoot, dockerfile)}" is a folder, not a Dockerfile. Set "dockerfile" ${where} to the file itself, e.g. "${rel(workspaceRoot, join(dockerfile, 'Dockerfile'))}".`);
  }

  return { ...target, dockerfile, context, format, failOn, rules: { ...(options.rules ?? {}) } };
}

function inside(workspaceRoot: string, value: unknown, option: string, where: string): string {
  if (typeof value !== 'string' || value === '') throw new UserFacingError(`Invalid "${option}" ${where}: expected a path relative to the workspace root.`);
  const abs = isAbsolute(value) ? value : resolve(workspaceRoot, value);
  const fromRoot = relative(workspaceRoot, abs);
  if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
    throw new UserFacingError(`"${option}" "${value}" ${where} is outside the workspace (${workspaceRoot}). Use a path inside the workspace, relative to its root.`);
  }
  return abs;
}

export function rel(workspaceRoot: string, abs: string): string {
  return posixRelative(workspaceRoot, abs) || '.';
}
