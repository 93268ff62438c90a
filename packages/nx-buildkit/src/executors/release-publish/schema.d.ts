export interface ReleasePublishExecutorSchema {
  build?: boolean;
  extraTags?: string[];
  dryRun?: boolean;
  /** Set by `nx release` (not by a standalone `nx release publish`): each project's new version. */
  nxReleaseVersionData?: Record<string, { newVersion?: string | null } | undefined>;
}
