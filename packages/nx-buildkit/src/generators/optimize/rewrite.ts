import { TextEdit } from './text-edits';

export type RewriteKind = 'split-copy' | 'cache-mount' | 'merge-apt-update';

/** A rewrite ready to apply. */
export interface PlannedRewrite {
  readonly kind: RewriteKind;
  readonly edits: readonly TextEdit[];
  /** What it does, for the log: one sentence naming the instructions. */
  readonly description: string;
}

/** A rewrite the optimizer will not make, and why. */
export interface DeclinedRewrite {
  readonly kind: RewriteKind;
  /** 1-based line of the instruction it concerns. */
  readonly line: number;
  readonly reason: string;
}

export interface PlanResult {
  /** The first rewrite that can be made; the file is re-read after it. */
  readonly rewrite?: PlannedRewrite;
  readonly declined: readonly DeclinedRewrite[];
}
