import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingWorkspaceFiles, stillObserved } from './workspace-files';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nxb-workspace-files-'));
  mkdirSync(join(root, 'apps/api'), { recursive: true });
  writeFileSync(join(root, 'apps/api/Dockerfile'), 'FROM x\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('RecordingWorkspaceFiles', () => {
  it('reads files by workspace-relative path; folders and missing paths are not files', () => {
    const files = new RecordingWorkspaceFiles(root);
    expect(files.readText('apps/api/Dockerfile')).toBe('FROM x\n');
    expect(files.readText('apps/api')).toBeUndefined();
    expect(files.readText('apps/api/Dockerfile.prod')).toBeUndefined();
    expect(files.exists('apps/api')).toBe(true);
    expect(files.exists('libs')).toBe(false);
  });

  it('records every answer, and they hold until the workspace changes there', () => {
    const files = new RecordingWorkspaceFiles(root);
    files.readText('apps/api/Dockerfile');
    files.readText('apps/api/.dockerignore');
    files.exists('package-lock.json');
    const observed = files.observed();
    expect(Object.keys(observed)).toEqual(['text:apps/api/Dockerfile', 'text:apps/api/.dockerignore', 'exists:package-lock.json']);
    expect(stillObserved(root, observed)).toBe(true);

    writeFileSync(join(root, 'apps/api/Dockerfile'), 'FROM y\n');
    expect(stillObserved(root, observed)).toBe(false);
  });

  it.each([
    ['a file appears where none was', 'apps/api/.dockerignore'],
    ['a path appears that did not exist', 'package-lock.json'],
  ])('notices when %s', (_, path) => {
    const files = new RecordingWorkspaceFiles(root);
    files.readText('apps/api/.dockerignore');
    files.exists('package-lock.json');
    const observed = files.observed();
    writeFileSync(join(root, path), '');
    expect(stillObserved(root, observed)).toBe(false);
  });
});
