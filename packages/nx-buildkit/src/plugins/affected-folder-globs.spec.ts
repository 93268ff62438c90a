import { needsAffectedFolderGlobs, withAffectedFolderGlobs } from './affected-folder-globs';
import type { WorkspaceFiles } from './workspace-files';

const workspace = (folders: string[], files: string[]): WorkspaceFiles => ({
  readText: (path) => (files.includes(path) ? 'text' : undefined),
  exists: (path) => files.includes(path) || folders.includes(path),
});

describe('withAffectedFolderGlobs', () => {
  const files = workspace(['libs/shared', 'config', 'apps/api/src'], ['package.json', '.dockerignore', 'apps/api/Dockerfile']);

  it('adds a glob after each workspace folder input, keeping the folder input', () => {
    expect(withAffectedFolderGlobs(['{projectRoot}/Dockerfile', '{workspaceRoot}/libs/shared', '{workspaceRoot}/config/'], files)).toEqual([
      '{projectRoot}/Dockerfile',
      '{workspaceRoot}/libs/shared',
      '{workspaceRoot}/libs/shared/**/*',
      '{workspaceRoot}/config/',
      '{workspaceRoot}/config/**/*',
    ]);
  });

  it('leaves files, globs, missing paths, exclusions and project inputs alone', () => {
    const inputs = [
      '{workspaceRoot}/package.json',
      '{workspaceRoot}/.dockerignore',
      '{workspaceRoot}/**/*',
      '{workspaceRoot}/apps/*/src',
      '{workspaceRoot}/meta',
      '!{workspaceRoot}/libs/shared',
      '{projectRoot}/src',
    ];
    expect(withAffectedFolderGlobs(inputs, files)).toEqual(inputs);
  });
});

describe('needsAffectedFolderGlobs', () => {
  it('is needed below Nx 24 only', () => {
    expect([21, 22, 23, 24].map(needsAffectedFolderGlobs)).toEqual([true, true, true, false]);
    expect(needsAffectedFolderGlobs(undefined)).toBe(false);
  });
});
