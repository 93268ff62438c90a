import { join } from 'node:path';
import { isWithin, literalPrefix, posixRelative, relativeTo, resolveTokens } from './paths';

describe('workspace-relative paths', () => {
  it('posixRelative: a path under a folder with "/" separators, empty for the folder itself, ".." for outside', () => {
    const root = join('/work', 'ws');
    expect(posixRelative(root, join(root, 'apps', 'api', 'Dockerfile'))).toBe('apps/api/Dockerfile');
    expect(posixRelative(root, root)).toBe('');
    expect(posixRelative(root, join('/work', 'other'))).toBe('../other');
  });

  it('isWithin and relativeTo treat "." as the workspace root and never match a sibling prefix', () => {
    expect(isWithin('apps/api/src', 'apps/api')).toBe(true);
    expect(isWithin('apps/api-2/src', 'apps/api')).toBe(false);
    expect(isWithin('anything', '.')).toBe(true);
    expect(relativeTo('apps/api/src/main.ts', 'apps/api')).toBe('src/main.ts');
    expect(relativeTo('apps/api', 'apps/api')).toBe('.');
  });

  it('literalPrefix stops at the first glob segment; resolveTokens resolves Nx tokens', () => {
    expect(literalPrefix('apps/*/src')).toBe('apps');
    expect(resolveTokens('{projectRoot}/src/', 'apps/api')).toBe('apps/api/src');
    expect(resolveTokens('{workspaceRoot}', 'apps/api')).toBe('.');
  });
});
