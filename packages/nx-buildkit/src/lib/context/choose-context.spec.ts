import { parseDockerfile, listContextReads } from '../dockerfile';
import { chooseContext, namesProjectRoot } from './choose-context';

function choose(dockerfile: string, existing: readonly string[], buildOutputs: readonly string[]) {
  return chooseContext({
    projectRoot: 'apps/nest-api',
    mode: 'auto',
    reads: listContextReads(parseDockerfile(dockerfile, {})),
    buildOutputs,
    exists: (path) => existing.includes(path),
  }).context;
}

describe('chooseContext', () => {
  // A build target another plugin infers (@nx/webpack/plugin) declares nothing inference reads: the defaults
  // (dist/<root> and <root>/dist) are all it knows, and before the first build neither folder exists.
  const DEFAULT_OUTPUTS = ['dist/apps/nest-api', 'apps/nest-api/dist'];

  it('takes the workspace root for a build output named by the project path, before any build', () => {
    expect(choose('FROM x\nCOPY dist/apps/nest-api/ ./\n', [], DEFAULT_OUTPUTS)).toBe('.');
  });

  it("keeps the project root for the project's own dist/ and for files that exist there", () => {
    expect(choose('FROM x\nCOPY dist/ ./\n', [], DEFAULT_OUTPUTS)).toBe('apps/nest-api');
    expect(choose('FROM x\nCOPY src/ ./src/\n', ['apps/nest-api/src'], DEFAULT_OUTPUTS)).toBe('apps/nest-api');
  });

  it('keeps the project root when a folder of that name exists inside the project', () => {
    expect(choose('FROM x\nCOPY apps/nest-api/ ./\n', ['apps/nest-api/apps/nest-api'], [])).toBe('apps/nest-api');
  });
});

describe('namesProjectRoot', () => {
  it('matches whole segments only', () => {
    expect(namesProjectRoot('dist/apps/api', 'apps/api')).toBe(true);
    expect(namesProjectRoot('apps/api/.next/standalone', 'apps/api')).toBe(true);
    expect(namesProjectRoot('dist/apps/api-gateway', 'apps/api')).toBe(false);
    expect(namesProjectRoot('dist', '.')).toBe(false);
  });
});
