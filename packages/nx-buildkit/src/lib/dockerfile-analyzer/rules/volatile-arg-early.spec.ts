import { parseDockerfile } from '../../dockerfile';
import { isVolatileName, volatileArgEarly } from './volatile-arg-early';

const check = (text: string) => volatileArgEarly.check({ dockerfile: parseDockerfile(text) });

describe('cache-order/volatile-arg-early', () => {
  it.each(['VERSION', 'APP_VERSION', 'GIT_SHA', 'GIT_COMMIT', 'COMMIT_SHA', 'BUILD_DATE', 'BUILD_NUMBER', 'CACHEBUST', 'CACHE_BUST', 'VCS_REF', 'GITHUB_SHA'])('%s changes per build', (name) => {
    expect(isVolatileName(name)).toBe(true);
  });

  it.each(['NODE_VERSION', 'PYTHON_VERSION', 'GO_VERSION', 'NODE_ENV', 'PORT'])('%s does not', (name) => {
    expect(isVolatileName(name)).toBe(false);
  });

  it('reports an ARG before RUN steps that do not use it, naming the install it reruns', () => {
    const [hit] = check('FROM node\nARG GIT_SHA\nCOPY package.json .\nRUN npm ci\nRUN echo $GIT_SHA > /rev\n');
    expect(hit.line).toBe(1);
    expect(hit.message).toBe('ARG GIT_SHA changes with every build and comes before 1 RUN step that does not use it (`npm ci` at line 4), so each new value reruns them.');
    expect(hit.fix).toBe('Declare ARG GIT_SHA just before line 5, the first step that uses it.');
  });

  it('counts a RUN whose build step may read the value from its environment as a use, even when it also installs', () => {
    // `npm ci && npm run build`: the build reads APP_VERSION from the environment, so the ENV cannot move after it.
    expect(check('FROM node\nARG VERSION\nENV APP_VERSION=$VERSION\nRUN npm ci && npm run build\n')).toEqual([]);
    // An install-only RUN before the build is still reported, with the build's RUN as the first use.
    const [hit, ...rest] = check('FROM node\nARG GIT_SHA\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\nRUN npm ci && npm run build\n');
    expect(rest).toEqual([]);
    expect(hit.fix).toBe('Declare ARG GIT_SHA just before line 4, the first step that uses it.');
  });

  it('reports an ENV set from a per-build ARG', () => {
    expect(check('FROM node\nARG COMMIT\nENV REV=$COMMIT\nRUN npm ci\n').map((hit) => hit.line)).toEqual([1, 2]);
  });

  it.each([
    ['declared after the last RUN', 'FROM node\nRUN npm ci\nARG VERSION\nLABEL version=$VERSION\n'],
    ['a tool version', 'FROM node\nARG NODE_VERSION=20\nRUN npm ci\n'],
    ['only RUNs that use it', 'FROM node\nARG VERSION\nRUN echo $VERSION > /v\n'],
    ['a global ARG used only in FROM', 'ARG VERSION=1\nFROM node:${VERSION}\nRUN npm ci\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
