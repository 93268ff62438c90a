import { createBuildContext } from '../build-context';
import { memoryContextFiles } from '../../../../test/memory-context-files';
import { parseDockerfile } from '../../dockerfile';
import { copySourceMissing } from './copy-source-missing';

const files = { 'package.json': '{}', 'src/main.js': '', 'config/app.yaml': '' };
const check = (text: string, options: { ignore?: string; produced?: Array<{ path: string; producer: string }> } = {}) =>
  copySourceMissing.check({
    dockerfile: parseDockerfile(text),
    context: createBuildContext(memoryContextFiles(files), options.ignore === undefined ? { text: '' } : { path: '.dockerignore', text: options.ignore }, options.produced),
  });

describe('context/copy-source-missing', () => {
  it('reports a COPY source that matches nothing in the context, naming it and its line', () => {
    const [hit, ...rest] = check('FROM x\nCOPY package.json ./\nCOPY ./meta/ /app/meta\n');
    expect(rest).toEqual([]);
    expect(hit.line).toBe(2);
    expect(hit.message).toBe('COPY ./meta/ (line 3): meta matches nothing in the build context, so building this stage fails with "not found" (and no change to it can select the image in nx affected).');
    expect(hit.fix).toContain('make meta before the build in a target the image\'s build depends on');
  });

  it('reports a source whose ARG default names a missing file, and a missing bind-mount source', () => {
    const hits = check('FROM x\nARG BIN=server\nCOPY artifacts/$BIN /app/server\nRUN --mount=type=bind,source=scripts,target=/s sh /s/run.sh\n');
    expect(hits.map((hit) => hit.line)).toEqual([2, 3]);
    expect(hits[0].message).toContain('artifacts/server matches nothing');
  });

  it.each([
    ['sources that exist', 'FROM x\nCOPY package.json src/ config/app.yaml ./\n'],
    ['another stage', 'FROM x AS build\nRUN mkdir /out\nFROM x\nCOPY --from=build /out /out\n'],
    ['an image or named context', 'FROM x\nCOPY --from=deps package.json ./\n'],
    ['an optional file by wildcard', 'FROM x\nCOPY package.json yarn.lock* ./\n'],
    ['a variable without a value', 'FROM x\nARG DIR\nCOPY $DIR /app\n'],
    ['the whole context', 'FROM x\nCOPY . .\n'],
    ['a URL', 'FROM x\nADD https://example.com/a.tgz /tmp/\n'],
    ['a here-document', 'FROM x\nCOPY <<EOF /etc/a\nhi\nEOF\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });

  it('stays silent on a path a target of the workspace writes (a build output not built yet)', () => {
    expect(check('FROM x\nCOPY dist/apps/api /app\n', { produced: [{ path: 'dist/apps/api', producer: 'api:build' }] })).toEqual([]);
    expect(check('FROM x\nCOPY dist/apps/api /app\n')).toHaveLength(1);
  });

  it('leaves a path the ignore file excludes to context/copy-ignored-path', () => {
    expect(check('FROM x\nCOPY build/ /app/\n', { ignore: 'build\n' })).toEqual([]);
  });

  it('says nothing without a context or with an invalid ignore file', () => {
    expect(copySourceMissing.check({ dockerfile: parseDockerfile('FROM x\nCOPY meta /m\n') })).toEqual([]);
    expect(check('FROM x\nCOPY meta /m\n', { ignore: 'src/[abc\n' })).toEqual([]);
  });
});
