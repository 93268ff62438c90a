import type { WorkspaceFiles } from './workspace-files';

/**
 * The first Nx major whose `nx affected` reads target inputs: it selects a project for a changed file that any of
 * its targets' inputs name, folders included. Measured on Nx 21.6.11 and 22.7.12 (`nx show projects --affected`):
 * a file outside the project folder selects it only through a `{workspaceRoot}/…` input that matches the file's path
 * as a glob — `{workspaceRoot}/libs/shared/**\/*` and `{workspaceRoot}/root.txt` do, the folder form
 * `{workspaceRoot}/libs/shared` does not, and `!` exclusions are ignored (over-selection). Nx 23.3.2 matched folders
 * too; earlier 23.x releases were seen not to, so the globs are added below 24.
 */
export const NX_MAJOR_READING_FOLDER_INPUTS = 24;

export function needsAffectedFolderGlobs(nxMajor: number | undefined): boolean {
  return nxMajor !== undefined && nxMajor < NX_MAJOR_READING_FOLDER_INPUTS;
}

const GLOB_CHARACTERS = /[*?[\]{}!]/;

/**
 * The inputs with `<folder>/**\/*` after each `{workspaceRoot}/<folder>` input, so that older Nx majors select the
 * project when a file under the folder changes. The folder input stays: Nx's own hashing of it is unchanged, and it
 * also covers dotfiles whatever a glob makes of them. Files, globs and `{projectRoot}` inputs (inside the project
 * folder, which every major selects on) are kept as they are.
 */
export function withAffectedFolderGlobs(inputs: readonly string[], files: WorkspaceFiles): string[] {
  const result: string[] = [];
  for (const input of inputs) {
    result.push(input);
    const match = /^\{workspaceRoot\}\/(.+)$/.exec(input);
    if (!match) continue;
    const path = match[1].replace(/\/+$/, '');
    // An unbraced token or glob is kept as written; a path that is no folder (a file, or missing) needs no glob.
    if (GLOB_CHARACTERS.test(path.replace(/^\{|\}$/g, '')) || path.includes('{')) continue;
    if (files.readText(path) === undefined && files.exists(path)) result.push(`{workspaceRoot}/${path}/**/*`);
  }
  return result;
}
