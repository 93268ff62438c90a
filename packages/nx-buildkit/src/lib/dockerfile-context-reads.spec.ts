import { listContextReads } from './dockerfile-context-reads';

const paths = (text: string, buildArgs?: Record<string, string>) => listContextReads(text, buildArgs).map((read) => read.path);

describe('listContextReads', () => {
  it('lists COPY and ADD sources without the destination or flags', () => {
    const text = 'FROM debian:bookworm-slim\nCOPY --chown=1000:1000 package.json package-lock.json ./\nADD --chmod=644 config/app.ini /etc/app.ini\n';
    expect(listContextReads(text)).toEqual([
      { path: 'package.json', instruction: 'COPY', line: 1 },
      { path: 'package-lock.json', instruction: 'COPY', line: 1 },
      { path: 'config/app.ini', instruction: 'ADD', line: 2 },
    ]);
  });

  it('reads the JSON form and continuation lines', () => {
    expect(paths('FROM x\nCOPY ["libs/shared", "/app/libs/shared"]\nCOPY dist/apps/api \\\n     /app/dist\n')).toEqual(['libs/shared', 'dist/apps/api']);
  });

  it('keeps spaces inside JSON-form paths', () => {
    expect(paths('FROM x\nCOPY ["my app/x.txt", "/app/"]\n')).toEqual(['my app/x.txt']);
  });

  it('normalizes ./ and a leading / to context-relative paths, and . for the context root', () => {
    expect(paths('FROM x\nCOPY ./src/ /app/src\nCOPY /etc/app.conf /etc/\nCOPY . .\n')).toEqual(['src', 'etc/app.conf', '.']);
  });

  it('keeps glob characters', () => {
    expect(paths('FROM x\nCOPY apps/*/src /app/\n')).toEqual(['apps/*/src']);
  });

  it('leaves out other stages, URLs, git repositories and here-documents', () => {
    const text = [
      'FROM debian:bookworm-slim AS base',
      'COPY --from=base /etc/hosts /x',
      'ADD https://example.com/x.tgz /tmp/',
      'ADD git@github.com:acme/repo.git /src',
      'COPY <<EOT /app/hello',
      'hi',
      'EOT',
      'COPY main.py /app/',
    ].join('\n');
    expect(paths(text)).toEqual(['main.py']);
  });

  it('substitutes ARG defaults and build args, and leaves out sources using unknown variables', () => {
    const text = 'ARG APP=api\nFROM x\nARG TARGET\nCOPY apps/${APP}/src /app/src\nCOPY dist/$TARGET /app/dist\nCOPY $UNKNOWN /x\n';
    expect(paths(text)).toEqual(['apps/api/src']);
    expect(paths(text, { APP: 'web', TARGET: 'apps/web' })).toEqual(['apps/web/src', 'dist/apps/web']);
  });

  it('lists RUN bind-mount sources from the context, not caches or other stages', () => {
    const text = [
      'FROM x',
      'RUN --mount=type=bind,source=dist/apps/api,target=/src --mount=type=cache,target=/root/.npm cp -r /src /app',
      'RUN --mount=type=bind,from=base,source=/x,target=/y true',
      'RUN --mount=target=/ctx ls /ctx',
    ].join('\n');
    expect(listContextReads(text)).toEqual([
      { path: 'dist/apps/api', instruction: 'RUN --mount', line: 1 },
      { path: '.', instruction: 'RUN --mount', line: 3 },
    ]);
  });
});
