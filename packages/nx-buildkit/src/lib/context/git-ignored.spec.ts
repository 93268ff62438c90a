import { createGitIgnoredTest } from './git-ignored';

describe('createGitIgnoredTest', () => {
  const NX_GITIGNORE = ['# compiled output', 'dist', 'tmp', '/coverage', '.next/', 'node_modules', '.vscode/*', '!.vscode/settings.json', ''].join('\n');
  const ignored = createGitIgnoredTest(NX_GITIGNORE);

  it('matches a pattern without a slash at any depth, and everything below it', () => {
    expect(ignored('dist')).toBe(true);
    expect(ignored('dist/apps/web/index.html')).toBe(true);
    expect(ignored('apps/site/.next/standalone')).toBe(true);
    expect(ignored('apps/site/.next/static/chunks/main.js')).toBe(true);
    expect(ignored('libs/shared/node_modules/x')).toBe(true);
  });

  it('anchors a pattern with a slash at the root', () => {
    expect(ignored('coverage/lcov.info')).toBe(true);
    expect(ignored('apps/api/coverage/lcov.info')).toBe(false);
  });

  it('leaves sources alone and honours a negation', () => {
    expect(ignored('apps/web/src/main.tsx')).toBe(false);
    expect(ignored('apps/distribution/main.ts')).toBe(false);
    expect(ignored('.vscode/launch.json')).toBe(true);
    expect(ignored('.vscode/settings.json')).toBe(false);
  });

  it('ignores nothing without a .gitignore, or with only comments', () => {
    expect(createGitIgnoredTest(undefined)('dist/apps/web')).toBe(false);
    expect(createGitIgnoredTest('# nothing\n\n')('dist/apps/web')).toBe(false);
  });
});
