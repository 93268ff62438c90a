import { BuildContext } from './build-context';
import { ParsedDockerfile } from '../dockerfile';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** info < warning < error. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export interface RuleInput {
  readonly dockerfile: ParsedDockerfile;
  /** The build context, when known; rules that need it report nothing without it. */
  readonly context?: BuildContext;
}

export interface RuleHit {
  /** 0-based line the finding points at. */
  readonly line: number;
  /** Why it matters, one line. */
  readonly message: string;
  /** What to change, one line. */
  readonly fix: string;
}

export interface DockerfileRule {
  /** `<area>/<what>`, stable: users configure severities by it. */
  readonly id: string;
  readonly severity: Severity;
  /** One line for documentation and `--help`. */
  readonly description: string;
  check(input: RuleInput): RuleHit[];
}
