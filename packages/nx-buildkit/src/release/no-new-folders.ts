import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Runs `work` and then removes the folders on the way to `folder` that did not exist before and are still empty.
 * Planning a build may make its record folder (a Dockerfile that installs from the pruned dependencies has them
 * derived beside its record); a release plan (the version step, a dry run) records nothing, so it leaves no empty
 * folder behind either.
 */
export async function withoutNewEmptyFolders<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const missing: string[] = [];
  for (let path = folder; !existsSync(path) && dirname(path) !== path; path = dirname(path)) missing.push(path);
  try {
    return await work();
  } finally {
    for (const path of missing) {
      try {
        if (readdirSync(path).length > 0) break;
        rmdirSync(path);
      } catch {
        // Not there, or not removable: nothing of ours to clean.
      }
    }
  }
}
