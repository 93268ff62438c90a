import { listContextReads } from './context-reads';

const paths = (text: string, buildArgs?: Record<string, string>) => listContextReads(text, buildArgs).map((read) => read.path);

describe('listContextReads', () => {
  it('lists COPY and ADD sources without the destination or flags', () => {
    const text = 'FROM debian:bookworm-slim\nCOPY --chown=1000:1000 package.json package-lock.json ./\nADD --chmod=644 config/app.ini /etc/app.ini\n';
    expect(listContextReads(text)).toEqual([
      { path: 'package.json', raw: 'package.json', instruction: 'COPY', line: 1, stage: 0 },
      { path: 'package-lock.json', raw: 'package-lock.json', instruction: 'COPY', line: 1, stage: 0 },
      { path: 'config/app.ini', raw: 'config/app.ini', instruction: 'ADD', line: 2, stage: 0 },
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

  it('substitutes ARG defaults and build args as BuildKit scopes them; a source with an unknown variable has no path', () => {
    const text = 'ARG APP=api\nFROM x\nARG APP\nARG TARGET\nCOPY apps/${APP}/src /app/src\nCOPY dist/$TARGET /app/dist\nCOPY $UNKNOWN /x\n';
    expect(paths(text)).toEqual(['apps/api/src', undefined, undefined]);
    expect(paths(text, { APP: 'web', TARGET: 'apps/web' })).toEqual(['apps/web/src', 'dist/apps/web', undefined]);
  });

  it('does not resolve a global ARG in a stage that does not redeclare it (Docker does not)', () => {
    expect(paths('ARG APP=apps/api\nFROM x\nCOPY $APP/src /app/src\n')).toEqual([undefined]);
  });

  it('reads several ARGs declared on one line, each usable in COPY', () => {
    const text = 'FROM x\nARG APP=apps/api LIB=libs/shared\nCOPY $APP/src/ /app/src/\nCOPY $LIB/ /app/lib/\n';
    expect(paths(text)).toEqual(['apps/api/src', 'libs/shared']);
  });

  it('uses ENV values, and a stage inherits ENV (not ARG) from the stage it starts FROM', () => {
    const text = 'FROM x AS base\nENV APP=apps/web\nARG ONLY_HERE=z\nFROM base\nCOPY $APP/src /s\nCOPY $ONLY_HERE /z\n';
    expect(paths(text)).toEqual(['apps/web/src', undefined]);
  });

  it('lists RUN bind-mount sources from the context, not caches or other stages', () => {
    const text = [
      'FROM x',
      'RUN --mount=type=bind,source=dist/apps/api,target=/src --mount=type=cache,target=/root/.npm cp -r /src /app',
      'RUN --mount=type=bind,from=base,source=/x,target=/y true',
      'RUN --mount=target=/ctx ls /ctx',
    ].join('\n');
    expect(listContextReads(text).map(({ path, instruction, line }) => ({ path, instruction, line }))).toEqual([
      { path: 'dist/apps/api', instruction: 'RUN --mount', line: 1 },
      { path: '.', instruction: 'RUN --mount', line: 3 },
    ]);
  });
});
