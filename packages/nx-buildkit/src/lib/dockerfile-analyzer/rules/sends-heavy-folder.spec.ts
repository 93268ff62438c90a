import { createBuildContext } from '../build-context';
import { memoryContextFiles } from '../../../../test/memory-context-files';
import { parseDockerfile } from '../../dockerfile';
import { sendsHeavyFolder } from './sends-heavy-folder';

const check = (text: string, files: Record<string, string>, ignore?: string) =>
  sendsHeavyFolder.check({ dockerfile: parseDockerfile(text), context: createBuildContext(memoryContextFiles(files), ignore === undefined ? { text: '' } : { path: '.dockerignore', text: ignore }) });

describe('context/sends-heavy-folder', () => {
  it('reports COPY . . with node_modules and .git and no ignore file', () => {
    const [hit] = check('FROM node\nCOPY . .\n', { 'node_modules/ms/index.js': '', '.git/HEAD': '', 'index.js': '' });
    expect(hit.line).toBe(1);
    expect(hit.message).toBe('COPY . . sends node_modules and .git (the context has no ignore file): every build transfers them, and host-built modules or git history land in the image.');
    expect(hit.fix).toContain('Add a .dockerignore');
  });

  it('reports an ignore file that misses node_modules one folder down, and a COPY of that folder', () => {
    const hits = check('FROM node\nCOPY web /web\n', { 'web/node_modules/x/index.js': '', 'web/index.js': '' }, '*.log\n');
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toContain('sends web/node_modules (.dockerignore does not exclude them)');
    expect(hits[0].fix).toBe('Add "web/node_modules" to .dockerignore.');
  });

  it.each([
    ['excluded by the ignore file', 'FROM node\nCOPY . .\n', { 'node_modules/x/i.js': '' }, 'node_modules\n'],
    ['not copied (BuildKit sends only what COPY reads)', 'FROM node\nCOPY package.json .\n', { 'node_modules/x/i.js': '', 'package.json': '' }, undefined],
    ['no heavy folder in the context', 'FROM node\nCOPY . .\n', { 'index.js': '' }, undefined],
  ])('does not report %s', (_name, text, files, ignore) => {
    expect(check(text, files, ignore)).toEqual([]);
  });

  it('needs the context', () => {
    expect(sendsHeavyFolder.check({ dockerfile: parseDockerfile('FROM node\nCOPY . .\n') })).toEqual([]);
  });
});
