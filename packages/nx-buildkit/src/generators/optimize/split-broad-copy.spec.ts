import { BuildContext, createBuildContext } from '../../lib/dockerfile-analyzer/build-context';
import { memoryContextFiles } from '../../../test/memory-context-files';
import { parseDockerfile } from '../../lib/dockerfile';
import { planCopySplit } from './split-broad-copy';
import { applyEdits } from './text-edits';

const NODE = { 'package.json': '{"name":"a"}', 'package-lock.json': '{}', 'src/index.js': '' };

function split(text: string, files: Record<string, string> = NODE, ignore?: string): { text?: string; declined: string[] } {
  const context: BuildContext = createBuildContext(memoryContextFiles(files), ignore === undefined ? { text: '' } : { path: '.dockerignore', text: ignore });
  const parsed = parseDockerfile(text);
  const plan = planCopySplit(parsed, context);
  return {
    text: plan.rewrite && applyEdits(parsed.lines, plan.rewrite.edits).join('\n'),
    declined: plan.declined.map((d) => `${d.line}: ${d.reason}`),
  };
}

describe('planCopySplit', () => {
  it('declines, naming the line, a context copied in a base stage whose installs run in a stage built FROM it (only lint reports it)', () => {
    const result = split('FROM node AS base\nWORKDIR /app\nCOPY . .\nFROM base AS deps\nRUN npm ci\n');
    expect(result).toEqual({ text: undefined, declined: ['3: the install after COPY . . is in a stage built FROM this one (line 5); optimize rewrites within one stage, so split it by hand.'] });
    // An unrelated later stage is not built FROM it.
    expect(split('FROM node AS base\nWORKDIR /app\nCOPY . .\nFROM node\nRUN npm ci\n')).toEqual({ text: undefined, declined: [] });
  });

  it('copies the manifests first and moves the original COPY, unchanged, after the install', () => {
    expect(split('FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node"]\n').text).toBe(
      'FROM node\nWORKDIR /app\n# nx-buildkit: dependency manifests first, so a source change does not rerun the install below\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\nCMD ["node"]\n',
    );
  });

  it('keeps the keyword case, the indentation and --chown, and writes a destination folder', () => {
    expect(split('from node\nworkdir /home/node/app\n  copy --chown=node:node . /home/node/app\nrun npm ci\n').text).toBe(
      'from node\nworkdir /home/node/app\n  # nx-buildkit: dependency manifests first, so a source change does not rerun the install below\n  copy --chown=node:node package.json package-lock.json /home/node/app/\nrun npm ci\n  copy --chown=node:node . /home/node/app\n',
    );
  });

  it('maps manifests of a source folder copied to another folder', () => {
    const files = { 'app/requirements.txt': 'x==1\n', 'app/main.py': '' };
    expect(split('FROM python\nWORKDIR /srv\nCOPY app/ ./\nRUN pip install -r requirements.txt\n', files).text).toContain('COPY app/requirements.txt ./\nRUN pip');
  });

  it('copies the optional manifests the context sends (.npmrc), and not those it excludes', () => {
    const text = 'FROM node\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
    expect(split(text, { ...NODE, '.npmrc': 'fund=false\n' }).text).toContain('COPY package.json package-lock.json .npmrc ./');
    expect(split(text, { ...NODE, '.npmrc': 'fund=false\n' }, '.npmrc\n').text).toContain('COPY package.json package-lock.json ./');
  });

  it('moves a COPY past an install that reads nothing it brings (apt), and past other COPYs it does not overlap', () => {
    expect(split('FROM debian\nCOPY . /srv\nRUN apt-get update && apt-get install -y tree\n', { 'a.sh': '' }).text).toBe('FROM debian\nRUN apt-get update && apt-get install -y tree\nCOPY . /srv\n');
    // Without WORKDIR the COPY may go into /, where apt writes.
    expect(split('FROM debian\nCOPY . .\nRUN apt-get install -y tree\n', { 'a.sh': '' }).declined).toEqual([expect.stringContaining("base image's working directory (/ in most images)")]);
    expect(split('FROM node\nWORKDIR /w\nCOPY dist/ ./dist/\nCOPY package.json package-lock.json ./\nRUN npm ci\n', { ...NODE, 'dist/main.js': '' }).text).toBe(
      'FROM node\nWORKDIR /w\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY dist/ ./dist/\n',
    );
  });

  it('keeps ENV and ARG between the COPY and the install in their place before the install', () => {
    expect(split('FROM node\nCOPY . .\nENV NODE_ENV=production\nRUN npm ci --omit=dev\nRUN npm run build\n').text).toBe(
      'FROM node\n# nx-buildkit: dependency manifests first, so a source change does not rerun the install below\nCOPY package.json package-lock.json ./\nENV NODE_ENV=production\nRUN npm ci --omit=dev\nCOPY . .\nRUN npm run build\n',
    );
  });

  it('uses the JSON form for paths with spaces', () => {
    expect(split('FROM node\nCOPY ["my app", "/app"]\nWORKDIR /app\n', { 'my app/package.json': '{}' }).text).toBeUndefined();
    expect(split('FROM node\nWORKDIR "/my app"\nCOPY . .\nRUN npm ci\n', NODE).text).toContain('COPY package.json package-lock.json ./');
  });

  it.each([
    ['--link', 'FROM node\nCOPY --link . .\nRUN npm ci\n', NODE, 'has --link'],
    ['a variable', 'FROM node\nARG DIR=/app\nCOPY . $DIR\nRUN npm ci\n', NODE, 'uses variables'],
    ['several sources', 'FROM node\nCOPY src lib ./\nRUN npm ci\n', { ...NODE, 'lib/a.js': '' }, 'several sources'],
    ['a glob', 'FROM node\nCOPY *.js ./\nRUN npm ci\n', { ...NODE, 'a.js': '' }, 'copies a pattern'],
    ['WORKDIR in between', 'FROM node\nCOPY . /app\nWORKDIR /app\nRUN npm ci\n', NODE, 'WORKDIR changes at line 3'],
    ['USER in between', 'FROM node\nCOPY . .\nUSER node\nRUN npm ci\n', NODE, 'USER node (line 3) comes between'],
    ['a build step in between', 'FROM node\nCOPY . .\nRUN make\nRUN npm ci\n', NODE, '`make` (line 3) runs before the install could move'],
    ['a build in the same RUN', 'FROM node\nCOPY . .\nRUN npm ci && npm run build\n', NODE, '`npm run build`'],
    ['node_modules sent by the context', 'FROM node\nCOPY . .\nRUN npm ci\n', { ...NODE, 'node_modules/x/i.js': '' }, 'the context sends node_modules'],
    ['a system destination', 'FROM debian\nCOPY rootfs/ /\nRUN apt-get install -y curl\n', { 'rootfs/etc/x': '' }, 'copies into /, where'],
    ['a bind mount', 'FROM node\nCOPY . .\nRUN --mount=type=bind,source=.,target=/src npm ci\n', NODE, 'bind-mounts files'],
    ['an unknown working directory', 'FROM node\nWORKDIR $HOME\nCOPY . .\nRUN npm ci\n', NODE, 'working directory that is not known'],
  ])('declines %s, with the reason', (_name, text, files, reason) => {
    const result = split(text, files as Record<string, string>);
    expect(result.text).toBeUndefined();
    expect(result.declined.join('\n')).toContain(reason);
  });

  it('does not consider a COPY with no install after it', () => {
    expect(split('FROM node\nRUN npm ci\nCOPY . .\n')).toEqual({ text: undefined, declined: [] });
  });
});
