import type { Tree } from '@nx/devkit';
import { join, posix } from 'node:path';
import { UserFacingError } from '../lib/errors';
import { readStateFile } from '../lib/state-file/read-state-file';
import { object, string } from '../lib/state-file/shape';

/**
 * The version `nx release version` gave a project's images, for a later standalone `nx release publish` (which, unlike
 * `nx release`, hands the publish executor no version). It sits beside the build records (dist/docker, which init
 * keeps out of git; nx release never stages an ignored file). Written through nx release's Tree, so that
 * `--dry-run` writes nothing: nx 24 tells a VersionActions nothing else about a dry run.
 */
export interface ReleaseVersionFile {
  readonly project: string;
  readonly version: string;
}

const versionFileShape = object({ project: string, version: string });
/** The file holds a name and a version: anything past this is not one. */
const VERSION_FILE_BYTES = 64 * 1024;

/** `dist/docker/<project>/release-version.json`, or under the `recordDir` the project's build targets set. */
export function versionFilePathOf(projectName: string, targets: Readonly<Record<string, { options?: Record<string, unknown> }>>): string {
  const recordDir = Object.values(targets)
    .map((target) => target.options?.recordDir)
    .find((dir): dir is string => typeof dir === 'string');
  return posix.join(recordDir ?? 'dist/docker', projectName.replace(/[/\\]/g, '__'), 'release-version.json');
}

export function writeVersionFile(tree: Tree, path: string, content: ReleaseVersionFile): void {
  tree.write(path, `${JSON.stringify(content, null, 2)}\n`);
}

/** The version the last `nx release version` gave the project; throws naming the file and what to run. */
export function readVersionFile(workspaceRoot: string, path: string, projectName: string): string {
  const { value: content, problem } = readStateFile(join(workspaceRoot, path), versionFileShape, VERSION_FILE_BYTES);
  if (!content) {
    const why = problem ? `is ${problem}` : 'is missing';
    throw new UserFacingError(`No release version for project "${projectName}": "${path}" ${why}. Run "nx release version" first, or "nx release" to version and publish in one go.`);
  }
  if (content.project !== projectName || content.version.trim() === '') {
    throw new UserFacingError(`"${path}" holds no release version for project "${projectName}". Run "nx release version" again.`);
  }
  return content.version;
}
