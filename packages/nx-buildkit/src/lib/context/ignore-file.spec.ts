import { findIgnoreFile, ignoreFileCandidates } from './ignore-file';

describe('findIgnoreFile', () => {
  const readerOf = (files: Record<string, string | null>) => (path: string) => (files[path] === null ? undefined : files[path]);

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile to the context root .dockerignore', () => {
    const read = readerOf({ 'apps/api/Dockerfile.prod.dockerignore': 'a', '.dockerignore': 'b' });
    expect(findIgnoreFile(read, '.', 'apps/api/Dockerfile.prod')).toEqual({ path: 'apps/api/Dockerfile.prod.dockerignore', text: 'a' });
    expect(findIgnoreFile(readerOf({ '.dockerignore': 'b' }), '.', 'apps/api/Dockerfile.prod')).toEqual({ path: '.dockerignore', text: 'b' });
  });

  it('passes over a candidate that is not a readable file (a folder) and takes the next one, as BuildKit does', () => {
    const read = readerOf({ 'apps/api/Dockerfile.dockerignore': null, 'apps/api/.dockerignore': 'node_modules\n' });
    expect(findIgnoreFile(read, 'apps/api', 'apps/api/Dockerfile')).toEqual({ path: 'apps/api/.dockerignore', text: 'node_modules\n' });
  });

  it('is no ignore file when neither exists', () => {
    expect(findIgnoreFile(readerOf({}), 'apps/api', 'apps/api/Dockerfile')).toEqual({ text: '' });
  });

  it('lists the candidates in BuildKit order', () => {
    expect(ignoreFileCandidates('/ws/apps/web', '/ws/apps/web/Dockerfile')).toEqual(['/ws/apps/web/Dockerfile.dockerignore', '/ws/apps/web/.dockerignore']);
  });
});
