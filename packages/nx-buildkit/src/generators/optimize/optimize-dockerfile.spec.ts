import { createBuildContext } from '../../lib/dockerfile-analyzer/build-context';
import { memoryContextFiles } from '../../../test/memory-context-files';
import { optimizeDockerfile } from './optimize-dockerfile';

const context = createBuildContext(memoryContextFiles({ 'package.json': '{}', 'package-lock.json': '{}', 'src/a.js': '' }), { path: '.dockerignore', text: 'node_modules\n' });

describe('optimizeDockerfile', () => {
  it('merges, splits and mounts, and a second run changes nothing', () => {
    const text = 'FROM node:20\nWORKDIR /app\nRUN apt-get update\nRUN apt-get install -y curl\nCOPY . .\nRUN npm ci\n';
    const result = optimizeDockerfile(text, context);
    expect(result.changes.map((change) => change.kind)).toEqual(['merge-apt-update', 'split-copy', 'cache-mount', 'cache-mount']);
    expect(result.text).toBe(
      [
        'FROM node:20',
        'WORKDIR /app',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
        '    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
        '    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y curl',
        '# nx-buildkit: dependency manifests first, so a source change does not rerun the install below',
        'COPY package.json package-lock.json ./',
        'RUN --mount=type=cache,target=/root/.npm npm ci',
        'COPY . .',
        '',
      ].join('\n'),
    );
    expect(optimizeDockerfile(result.text, context)).toMatchObject({ text: result.text, changes: [], declined: [] });
  });

  it('keeps CRLF line endings', () => {
    const result = optimizeDockerfile('FROM node\r\nCOPY . .\r\nRUN npm ci\r\n', context);
    expect(result.text).toBe('FROM node\r\n# nx-buildkit: dependency manifests first, so a source change does not rerun the install below\r\nCOPY package.json package-lock.json ./\r\nRUN --mount=type=cache,target=/root/.npm npm ci\r\nCOPY . .\r\n');
  });

  it('reports declined rewrites by line of the result', () => {
    const result = optimizeDockerfile('FROM node\nCOPY . .\nRUN npm ci && npm run build\n', context);
    expect(result.declined).toEqual([{ kind: 'split-copy', line: 2, reason: expect.stringContaining('`npm run build` (line 3)') }]);
  });

  it("cites the user's lines, not the rewritten file's, in declines and in the reasons' own line numbers", () => {
    // The split adds a comment and a COPY above the go RUNs: the rewritten file has them two lines lower.
    const text = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN apt-get install -y git\n';
    const goContext = createBuildContext(memoryContextFiles({ 'go.mod': 'module x\n', 'go.sum': '', 'main.go': '' }), { text: '' });
    const result = optimizeDockerfile(text, goContext);
    expect(result.changes.map((change) => change.kind)).toEqual(['split-copy']);
    expect(result.declined.map(({ kind, line }) => `${kind}@${line}`)).toEqual(['cache-mount@4', 'cache-mount@5']);
    expect(result.declined[1].reason).toContain('update');
    expect(result.inputLines).toEqual([1, 2, 3, 3, 4, 5, 3, 6]);
  });

  it('returns text it does not understand unchanged', () => {
    const text = 'this is not a Dockerfile\n\\\n';
    expect(optimizeDockerfile(text, context)).toMatchObject({ text, changes: [], declined: [] });
  });
});

describe('optimizeDockerfile on malformed input', () => {
  it.each([
    'FROM\nCOPY . .\nRUN npm ci\n',
    'FROM x\nCOPY\nRUN npm ci\n',
    'FROM x\nRUN apt-get update\nRUN apt-get install\n',
    'FROM x\nCOPY . .\nRUN npm ci "unclosed\n',
    'FROM x\nRUN <<EOF\nnever closed',
    'FROM x\nCOPY --chown= . .\nRUN npm ci\n',
  ])('does not throw on %j, and a second run changes nothing', (text) => {
    const once = optimizeDockerfile(text, context);
    expect(optimizeDockerfile(once.text, context).text).toBe(once.text);
  });
});
