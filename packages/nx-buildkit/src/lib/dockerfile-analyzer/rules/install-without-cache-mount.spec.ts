import { parseDockerfile } from '../../dockerfile';
import { createBuildContext } from '../build-context';
import { memoryContextFiles } from '../../../../test/memory-context-files';
import { installWithoutCacheMount } from './install-without-cache-mount';

const check = (text: string) => installWithoutCacheMount.check({ dockerfile: parseDockerfile(text) });

describe('cache-mount/install-without-cache', () => {
  it('reports an install without a mount, with the mount for that manager', () => {
    const [hit] = check('FROM node\nRUN npm ci\n');
    expect(hit.line).toBe(1);
    expect(hit.message).toBe('RUN npm ci: `npm ci` runs without a cache mount, so every rebuild of this step downloads all packages again.');
    expect(hit.fix).toBe('Use RUN --mount=type=cache,target=/root/.npm ….');
  });

  it('reports every manager of a RUN in one finding', () => {
    const hits = check('FROM python\nRUN pip install poetry && poetry install --no-root\n');
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toContain('`pip install` and `poetry install` run without a cache mount');
    expect(hits[0].fix).toContain('--mount=type=cache,target=/root/.cache/pip --mount=type=cache,target=/root/.cache/pypoetry/cache');
  });

  it('says nothing for an install of local paths only, with --no-deps: nothing is downloaded', () => {
    expect(check('FROM python\nRUN pip install --no-deps .\n')).toEqual([]);
    expect(check('FROM python\nRUN uv pip install --system --no-deps ./packages/core dist/app-1.0-py3-none-any.whl\n')).toEqual([]);
    expect(check('FROM python\nRUN pip install --no-deps -e /src/app\n')).toEqual([]);
    // Without --no-deps the dependencies are downloaded; a registry name is downloaded too.
    expect(check('FROM python\nRUN pip install .\n')).toHaveLength(1);
    expect(check('FROM python\nRUN pip install --no-deps . requests\n')).toHaveLength(1);
  });

  it.each([
    ['apt (lock the cache, docker-clean)', 'FROM debian\nRUN apt-get update && apt-get install -y curl\n', 'sharing=locked'],
    ['pip --no-cache-dir', 'FROM python\nRUN pip install --no-cache-dir -r r.txt\n', 'drop --no-cache-dir'],
    ['go, whose cache later steps read', 'FROM golang\nRUN go mod download\n', 'mount the same cache on the steps that build'],
  ])('tailors the fix for %s', (_name, text, fix) => {
    expect(check(text)[0].fix).toContain(fix);
  });

  it.each([
    ['a mount on the manager cache', 'FROM node\nRUN --mount=type=cache,target=/root/.npm npm ci\n'],
    ['a mount found by id', 'FROM node\nRUN --mount=type=cache,id=npm,target=/cache npm ci\n'],
    ['apk add --no-cache (nothing left behind)', 'FROM alpine\nRUN apk add --no-cache curl\n'],
    ['a RUN that installs nothing', 'FROM node\nRUN npm run build\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });

  it('reports a mount for another manager as missing', () => {
    expect(check('FROM node\nRUN --mount=type=cache,target=/root/.cache/pip npm ci\n')).toHaveLength(1);
  });
});

describe('cache-mount/install-without-cache: a mount on the wrong folder', () => {
  const check = (text: string) => installWithoutCacheMount.check({ dockerfile: parseDockerfile(text) });

  it('reports yarn with a mount on /root/.cache/yarn, where Yarn 1 as root does not cache (excalidraw)', () => {
    const [hit] = check('FROM node:18\nRUN --mount=type=cache,target=/root/.cache/yarn yarn --frozen-lockfile --network-timeout 600000\n');
    expect(hit.fix).toContain('/usr/local/share/.cache/yarn');
  });

  it('accepts that mount when YARN_CACHE_FOLDER points there', () => {
    expect(check('FROM node:18\nENV YARN_CACHE_FOLDER=/root/.cache/yarn\nRUN --mount=type=cache,target=/root/.cache/yarn yarn install --frozen-lockfile\n')).toEqual([]);
  });
});

describe('cache-mount/install-without-cache: a RUN that removes the cache folder', () => {
  it('says to drop the removal first, or the mount would fail the build (datasette)', () => {
    const [hit] = installWithoutCacheMount.check({ dockerfile: parseDockerfile('FROM python:3.11\nRUN pip install datasette && rm -rf /root/.cache/pip\n') });
    expect(hit.fix).toContain('drop `rm -rf /root/.cache/pip` first');
  });

  it("names Yarn 4's cache folder, not Yarn 1's, for a project pinned to Yarn 4 by packageManager", () => {
    const context = createBuildContext(memoryContextFiles({ 'package.json': '{"packageManager":"yarn@4.3.1"}' }), { text: '' });
    const [hit] = installWithoutCacheMount.check({ dockerfile: parseDockerfile('FROM node\nRUN yarn install --immutable\n'), context });
    expect(hit.fix).toContain('--mount=type=cache,target=/root/.yarn/berry/cache');
    expect(hit.fix).not.toContain('/usr/local/share/.cache/yarn');
    expect(check('FROM node\nRUN yarn install --frozen-lockfile\n')[0].fix).toContain('/usr/local/share/.cache/yarn');
  });
});
