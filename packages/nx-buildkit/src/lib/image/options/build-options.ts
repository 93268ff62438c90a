import { BUILD_OPTIONS, BuildOptionName, BuildOptionValue } from './option-table';

/** The executor that builds an image: targets that use it are the workspace's image builds. */
export const BUILD_EXECUTOR = 'nx-buildkit:build';

export type ProgressMode = BuildOptionValue<'progress'>;

/**
 * The options of nx-buildkit:build as a target or the command line gives them, derived from the option table
 * (option-table.ts: each option's kind, enum, default and what it does), so the type cannot drift from it.
 */
export type BuildExecutorSchema = { [Name in BuildOptionName]?: BuildOptionValue<Name> };

/** The progress modes, in the table's order. */
export const PROGRESS_MODES: readonly ProgressMode[] = BUILD_OPTIONS.progress.enum;
