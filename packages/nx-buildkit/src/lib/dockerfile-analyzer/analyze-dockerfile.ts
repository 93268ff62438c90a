import { BuildContext } from './build-context';
import { parseDockerfile, ParsedDockerfile } from '../dockerfile';
import { DockerfileRule, Severity, SEVERITIES, SeveritySetting, severityRank } from './rule';
import { apkIndexLeftBehind } from './rules/apk-index-left-behind';
import { apkUpdateInOwnRun } from './rules/apk-update-in-own-run';
import { aptListsLeftBehind } from './rules/apt-lists-left-behind';
import { aptUpdateInOwnRun } from './rules/apt-update-in-own-run';
import { broadCopyBeforeInstall } from './rules/broad-copy-before-install';
import { copyIgnoredPath } from './rules/copy-ignored-path';
import { copySourceMissing } from './rules/copy-source-missing';
import { finalStageRoot } from './rules/final-stage-root';
import { installWithoutCacheMount } from './rules/install-without-cache-mount';
import { missingFrom } from './rules/missing-from';
import { releaseFileBeforeInstall } from './rules/release-file-before-install';
import { sendsHeavyFolder } from './rules/sends-heavy-folder';
import { syntaxDirective } from './rules/syntax-directive';
import { unpinnedBaseImage } from './rules/unpinned-base-image';
import { volatileArgEarly } from './rules/volatile-arg-early';
import { compareCodeUnits } from '../compare-text';

/** Every rule, in the order the documentation lists them. */
export const RULES: readonly DockerfileRule[] = [
  broadCopyBeforeInstall,
  releaseFileBeforeInstall,
  installWithoutCacheMount,
  aptUpdateInOwnRun,
  aptListsLeftBehind,
  apkUpdateInOwnRun,
  apkIndexLeftBehind,
  volatileArgEarly,
  copyIgnoredPath,
  copySourceMissing,
  sendsHeavyFolder,
  finalStageRoot,
  unpinnedBaseImage,
  syntaxDirective,
  missingFrom,
];

export interface Finding {
  /** The Dockerfile as the user should see it (relative to the workspace root). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
}

export interface AnalyzeOptions {
  /** Shown in findings. */
  readonly file: string;
  /** The build context; rules about the context and the ignore file need it. */
  readonly context?: BuildContext;
  /** Severity per rule id; "off" disables a rule. */
  readonly rules?: Readonly<Record<string, SeveritySetting>>;
}

/** Checks a Dockerfile's text. Pure: it reads the context only through `context.files`. */
export function analyzeDockerfile(text: string, options: AnalyzeOptions): Finding[] {
  return analyzeParsed(parseDockerfile(text), options);
}

export function analyzeParsed(dockerfile: ParsedDockerfile, options: AnalyzeOptions): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const setting = options.rules?.[rule.id] ?? rule.severity;
    if (setting === 'off') continue;
    for (const hit of rule.check({ dockerfile, context: options.context })) {
      findings.push({ file: options.file, line: hit.line + 1, rule: rule.id, severity: setting, message: hit.message, fix: hit.fix });
    }
  }
  return findings.sort((a, b) => a.line - b.line || compareCodeUnits(a.rule, b.rule) || compareCodeUnits(a.message, b.message));
}

/** An error message for a `rules` option that names an unknown rule or severity; undefined when it is valid. */
export function checkRuleSettings(rules: unknown): string | undefined {
  if (rules === undefined) return undefined;
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    return 'expected an object of rule ids to "off", "info", "warning" or "error", e.g. { "security/final-stage-root": "off" }';
  }
  const known = RULES.map((rule) => rule.id);
  for (const [id, value] of Object.entries(rules)) {
    if (!known.includes(id)) return `unknown rule "${id}". Known rules: ${known.join(', ')}`;
    if (value !== 'off' && !SEVERITIES.includes(value as Severity)) return `invalid severity ${JSON.stringify(value)} for "${id}": use "off", "info", "warning" or "error"`;
  }
  return undefined;
}

/** Findings at or above a severity. */
export function findingsAtLeast(findings: readonly Finding[], severity: Severity): Finding[] {
  return findings.filter((finding) => severityRank(finding.severity) >= severityRank(severity));
}
