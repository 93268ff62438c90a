import type { SeveritySetting } from '../../lib/dockerfile-analyzer/rule';
import type { FailOn } from '../../lib/dockerfile-analyzer/format-findings';

export interface LintExecutorSchema {
  dockerfile?: string;
  context?: string;
  format?: 'text' | 'json';
  rules?: Record<string, SeveritySetting>;
  failOn?: FailOn;
}
