import { createBuildContext } from '../build-context';
import { memoryContextFiles } from '../../../../test/memory-context-files';
import { parseDockerfile } from '../../dockerfile';
import { broadCopyBeforeInstall } from './broad-copy-before-install';

const files = { 'package.json': '{}', 'package-lock.json': '{}', 'src/index.js': '', 'requirements.txt': '', 'app/main.py': '', 'wheels/a.whl': '' };
const check = (text: string) => broadCopyBeforeInstall.check({ dockerfile: parseDockerfile(text), context: createBuildContext(memoryContextFiles(files), { text: '' }) });

describe('cache-order/broad-copy-before-install', () => {
  it('reports COPY . . before npm ci at the COPY, naming the install and the fix', () => {
    const [hit, ...rest] = check('FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n');
    expect(rest).toEqual([]);
    expect(hit.line).toBe(2);
    expect(hit.message).toBe('COPY . . copies the whole build context before `npm ci` (line 4): any source change reruns the install.');
    expect(hit.fix).toContain('Copy only package.json and package-lock.json before the install and move COPY . . after it');
  });

  it.each([
    ['a source folder before pip', 'FROM python\nCOPY app /app\nRUN pip install -r /app/requirements.txt\n', 'the folder app/'],
    ['ADD of the context before apt-get install', 'FROM debian\nADD . /srv\nRUN apt-get update && apt-get install -y curl\n', 'the whole build context'],
    ['a wide glob', 'FROM node\nCOPY *.js ./\nRUN npm ci\n', 'everything matching *.js'],
    ['lower-case keywords', 'from node\ncopy . .\nrun npm install\n', 'the whole build context'],
  ])('reports %s', (_name, text, what) => {
    const hits = check(text);
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toContain(what);
  });

  it('tells to move an install that reads nothing from the context above the COPY', () => {
    expect(check('FROM debian\nCOPY . /srv\nRUN apt-get install -y curl\n')[0].fix).toBe('Move the install above COPY . /srv: it reads nothing from the context.');
  });

  it('reports an install whose options take values (`--network-timeout 600000` is not a subcommand)', () => {
    expect(check('FROM node\nCOPY . .\nRUN yarn --frozen-lockfile --network-timeout 600000\n').map((hit) => hit.line)).toEqual([1]);
  });

  it.each([
    ['a COPY of only manifests before the install', 'FROM node\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n'],
    ['a glob of manifests', 'FROM node\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n'],
    ['a manifest folder (wheels) and requirements', 'FROM python\nCOPY wheels/ ./wheels/\nCOPY requirements.txt .\nRUN pip install --no-index -f wheels -r requirements.txt\nCOPY . .\n'],
    ['a single source file', 'FROM python\nCOPY app/main.py .\nRUN pip install flask\n'],
    ['the install in another stage', 'FROM node AS a\nCOPY . .\nFROM node\nRUN npm ci\n'],
    ['a COPY --from another stage', 'FROM node AS a\nRUN true\nFROM node\nCOPY --from=a /app /app\nRUN npm ci\n'],
    ['a build step that is not an install', 'FROM node\nCOPY . .\nRUN npm run build\n'],
    ['pip install . (the install reads the project itself)', 'FROM python\nCOPY . .\nRUN pip install .\n'],
    ['an install after a build step (it may read what the build generated)', 'FROM node\nCOPY . .\nRUN npx nx build api && cd dist/apps/api && npm install --omit=dev\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});

describe('cache-order/broad-copy-before-install: what the install reads', () => {
  const withFiles = (extra: Record<string, string>, text: string) =>
    broadCopyBeforeInstall.check({ dockerfile: parseDockerfile(text), context: createBuildContext(memoryContextFiles({ ...files, ...extra }), { text: '' }) });

  it('follows `cd` to the folder the install runs in, and still reports an install of context manifests after a build step (pezzo)', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npx prisma generate\nRUN cd clickhouse && npm ci\n';
    const hits = withFiles({ 'clickhouse/package.json': '{}', 'clickhouse/package-lock.json': '{}' }, text);
    expect(hits.map((hit) => hit.line)).toEqual([2]);
    expect(hits[0].fix).toContain('Copy only package.json and package-lock.json of clickhouse/ before the install');
  });

  it('does not report a folder copied for an install script that reads it, even when package.json came by another COPY (ghostfolio)', () => {
    const pkg = JSON.stringify({ scripts: { postinstall: 'prisma generate' } });
    const text = 'FROM node:20\nWORKDIR /app\nCOPY ./.config .config/\nCOPY ./package.json package.json\nCOPY ./package-lock.json package-lock.json\nRUN npm install\n';
    expect(withFiles({ 'package.json': pkg, '.config/prisma.ts': '' }, text)).toEqual([]);
  });

  it('tells a pnpm workspace to copy pnpm-workspace.yaml and every workspace package.json too, without promising optimize', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n';
    const [hit, ...rest] = withFiles({ 'pnpm-workspace.yaml': 'packages: [apps/*]\n', 'pnpm-lock.yaml': '', 'apps/web/package.json': '{}' }, text);
    expect(rest).toEqual([]);
    expect(hit.fix).toBe('Copy only package.json, pnpm-lock.yaml, pnpm-workspace.yaml and the package.json of every workspace package (each in its own folder) before the install and move COPY . . after it.');
    // Without the workspace file, the two root files are enough.
    expect(withFiles({ 'pnpm-lock.yaml': '' }, text)[0].fix).toContain('Copy only package.json and pnpm-lock.yaml before the install');
  });

  it('reports the whole context copied in a base stage before an install in a stage built FROM it (pnpm\'s Docker guide)', () => {
    const text = 'FROM node:20 AS base\nCOPY . /app\nWORKDIR /app\nFROM base AS prod-deps\nRUN pnpm install --prod --frozen-lockfile\nFROM base AS build\nRUN pnpm install --frozen-lockfile\n';
    const [hit, ...rest] = withFiles({ 'pnpm-lock.yaml': '' }, text);
    expect(rest).toEqual([]);
    expect(hit.line).toBe(1);
    expect(hit.message).toBe('COPY . /app copies the whole build context before `pnpm install` (line 5), `pnpm install` (line 7) (in a stage built FROM this one): any source change reruns the install.');
    expect(hit.fix).toBe('Copy only package.json and pnpm-lock.yaml in this stage, and copy the rest (COPY . /app) after the install in each stage that installs.');
  });

  it.each([
    ['a source folder copied in the base stage', 'FROM node:20 AS base\nWORKDIR /app\nCOPY src ./src\nFROM base\nRUN npm ci\n'],
    ['a system package install in a stage built FROM the base', 'FROM debian AS base\nCOPY . /app\nFROM base\nRUN apt-get update && apt-get install -y curl\n'],
    ['an unrelated stage', 'FROM node:20 AS base\nCOPY . /app\nFROM node:20\nWORKDIR /app\nRUN npm ci\n'],
  ])('does not follow %s into a later stage', (_name, text) => {
    expect(withFiles({ 'src/a.js': '' }, text)).toEqual([]);
  });

  it('reports a broad COPY before an install whose only install script is patch-package, and says to copy patches/ with the manifests', () => {
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n';
    const pkg = (postinstall: string) => JSON.stringify({ scripts: { postinstall } });
    const [hit, ...rest] = withFiles({ 'package.json': pkg('patch-package'), 'patches/a+1.0.0.patch': '' }, text);
    expect(rest).toEqual([]);
    expect(hit.fix).toBe('Copy only package.json and package-lock.json with patches/ (its install scripts read it) before the install and move COPY . . after it.');
    expect(withFiles({ 'package.json': pkg('npx patch-package --patch-dir fixes/') }, text)[0].fix).toContain('with fixes/ (its install scripts read it)');
    // Any other script still exempts the COPY: it may read any file.
    expect(withFiles({ 'package.json': pkg('patch-package && node scripts/setup.js') }, text)).toEqual([]);
  });

  it('sees the install scripts of a pnpm workspace root', () => {
    const pkg = JSON.stringify({ scripts: { postinstall: 'pnpm -r build' } });
    const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\n';
    expect(withFiles({ 'package.json': pkg, 'pnpm-workspace.yaml': 'packages: [apps/*]\n', 'pnpm-lock.yaml': '' }, text)).toEqual([]);
  });
});
