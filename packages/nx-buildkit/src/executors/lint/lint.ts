// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { ExecutorContext, logger } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { findIgnoreFile, ProducedPath, producedInContext, readTextFromDisk, workspaceTargetOutputs } from '../../lib/context';
import { analyzeDockerfile } from '../../lib/dockerfile-analyzer/analyze-dockerfile';
import { createBuildContext, diskContextFiles } from '../../lib/dockerfile-analyzer/build-context';
import { buildReport, formatReportJson, formatReportText, LintReport } from '../../lib/dockerfile-analyzer/format-findings';
import { writePendingCodeCaches } from '../../lib/code-cache';
import { describeError, UserFacingError } from '../../lib/errors';
import { normalizeLintOptions, NormalizedLintOptions, rel } from './normalize-lint-options';
import type { LintExecutorSchema } from './schema';

export default async function lintExecutor(options: LintExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  try {
    const projectName = context.projectName;
    if (!projectName) throw new UserFacingError('nx-buildkit:lint must run as a project target (no project name in the executor context).');
    const normalized = normalizeLintOptions(options, {
      workspaceRoot: context.root,
      projectName,
      projectRoot: context.projectsConfigurations?.projects[projectName]?.root ?? '',
      targetName: context.targetName ?? 'docker-lint',
    });
    // Build outputs not built yet (docker-lint does not depend on the build) are no missing COPY sources.
    const outputs = workspaceTargetOutputs(context.projectsConfigurations?.projects ?? {});
    const report = lintDockerfile(normalized, producedInContext(outputs, rel(normalized.workspaceRoot, normalized.context)));
    const output = normalized.format === 'json' ? [formatReportJson(report)] : formatReportText(report);
    for (const line of output) logger.info(line);
    return { success: report.passed };
  } catch (error) {
    logger.error(describeError(error));
    if (!(error instanceof UserFacingError) && error instanceof Error && error.stack) logger.verbose(error.stack);
    return { success: false };
  } finally {
    writePendingCodeCaches();
  }
}

/** Reads the Dockerfile and its context from disk and checks them. Throws UserFacingError when they cannot be read. */
export function lintDockerfile(options: NormalizedLintOptions, producedPaths: readonly ProducedPath[] = []): LintReport {
  const where = `in the "${options.targetName}" options of project "${options.projectName}"`;
  const dockerfile = rel(options.workspaceRoot, options.dockerfile);
  let text: string;
  try {
    text = readFileSync(options.dockerfile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : describeError(error);
    throw new UserFacingError(`Dockerfile "${dockerfile}" cannot be read (${why}). Make it readable, or set "dockerfile" ${where} to another file.`);
  }
  const ignore = findIgnoreFile(readTextFromDisk, options.context, options.dockerfile);
  const ignoreFile = ignore.path ? rel(options.workspaceRoot, ignore.path) : undefined;
  const context = createBuildContext(diskContextFiles(options.context), { path: ignoreFile, text: ignore.text }, producedPaths);
  if (context.ignoreError) {
    throw new UserFacingError(`Ignore file "${ignoreFile}" has an invalid pattern: ${context.ignoreError}. Fix or remove that line (docker build rejects it too).`);
  }
  const findings = analyzeDockerfile(text, { file: dockerfile, context, rules: options.rules });
  return buildReport({ dockerfile, context: rel(options.workspaceRoot, options.context), ignoreFile: ignoreFile ?? null, failOn: options.failOn, findings });
}
