/**
 * The version schemes of nx.json `release.docker.versionSchemes`, interpolated with the tokens @nx/docker documents:
 * `{projectName}`, `{currentDate}` (ISO), `{currentDate|YYMM.DD}` (any of YYYY YY MM DD HH mm ss, in UTC),
 * `{commitSha}`, `{shortCommitSha}` (7 characters) and `{env.NAME}`. Our own copy: the plugin does not depend on
 * @nx/docker (a devDependency of this repository only), and version-pattern.spec.ts compares the two on the same
 * patterns. As in @nx/docker, a token without a value stays as written; unresolvedTokens then names it.
 */

export interface VersionPatternValues {
  readonly projectName: string;
  /** Undefined outside a git repository: the commit tokens then stay unresolved. */
  readonly commitSha?: string;
  readonly currentDate: Date;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const TOKEN = /\{(env\.([^}]+)|([^|{}]+)(?:\|([^{}]+))?)\}/g;

export function interpolateVersionPattern(pattern: string, values: VersionPatternValues): string {
  const tokens: Record<string, string | Date | undefined> = {
    projectName: values.projectName,
    currentDate: values.currentDate,
    commitSha: values.commitSha,
    shortCommitSha: values.commitSha?.slice(0, 7),
  };
  return pattern.replace(TOKEN, (match, _whole: string, envName: string | undefined, name: string | undefined, format: string | undefined) => {
    if (envName) return values.env[envName] ?? match;
    const value = tokens[name as string];
    if (value === undefined) return match;
    if (value instanceof Date) return format ? formatUtcDate(value, format) : value.toISOString();
    return value;
  });
}

/** The `{…}` tokens left in an interpolated version: an unknown name or an unset variable. */
export function unresolvedTokens(version: string): string[] {
  return [...version.matchAll(/\{[^{}]*\}/g)].map((match) => match[0]);
}

function formatUtcDate(date: Date, format: string): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const year = String(date.getUTCFullYear());
  // One pass, so a replaced part is never read again as a pattern (YYYY is tried before YY, MM before mm).
  return format.replace(/YYYY|YY|MM|DD|HH|mm|ss/g, (part) => {
    switch (part) {
      case 'YYYY':
        return year;
      case 'YY':
        return year.slice(-2);
      case 'MM':
        return two(date.getUTCMonth() + 1);
      case 'DD':
        return two(date.getUTCDate());
      case 'HH':
        return two(date.getUTCHours());
      case 'mm':
        return two(date.getUTCMinutes());
      default:
        return two(date.getUTCSeconds());
    }
  });
}
