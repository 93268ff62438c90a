import { parseDockerfile } from '../../dockerfile';
import { apkIndexLeftBehind } from './apk-index-left-behind';
import { apkUpdateInOwnRun } from './apk-update-in-own-run';

const lines = (rule: typeof apkIndexLeftBehind, text: string) => rule.check({ dockerfile: parseDockerfile(text) }).map((hit) => hit.line);

describe('apk/index-left-behind', () => {
  it('reports apk add without --no-cache in the final image, naming the command', () => {
    const [hit] = apkIndexLeftBehind.check({ dockerfile: parseDockerfile('FROM alpine:3.20\nRUN apk update && apk add curl git\n') });
    expect(hit.line).toBe(1);
    expect(hit.message).toContain('`apk update`');
    expect(hit.fix).toContain('apk add --no-cache');
  });

  it.each([
    ['--no-cache', 'FROM alpine:3.20\nRUN apk add --no-cache curl\n'],
    ['the index removed', 'FROM alpine:3.20\nRUN apk add curl && rm -rf /var/cache/apk/*\n'],
    ['a cache mount', 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n'],
    ['a builder stage', 'FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM alpine:3.20\nCOPY --from=build /x /x\n'],
    ['options before the subcommand', 'FROM alpine:3.20\nRUN apk --no-cache add curl\n'],
  ])('does not report %s', (_name, text) => {
    expect(lines(apkIndexLeftBehind, text)).toEqual([]);
  });
});

describe('apk/update-in-own-run', () => {
  it('reports a RUN that only updates the index', () => {
    expect(lines(apkUpdateInOwnRun, 'FROM alpine:3.20\nRUN apk update\nRUN apk add curl\n')).toEqual([1]);
  });

  it('says the install reads a stale index when a later apk add uses the cached one', () => {
    const [hit] = apkUpdateInOwnRun.check({ dockerfile: parseDockerfile('FROM alpine:3.20 AS base\nRUN apk update\nFROM base\nRUN apk add curl\n') });
    expect(hit.message).toContain('the install reads an outdated index');
    expect(hit.fix).toContain('apk add --no-cache');
  });

  it('says the index is never read when no apk add follows', () => {
    // pezzolabs-pezzo-proxy, line 4: `RUN apk update`, then only `npm i --omit=dev` and COPYs.
    const text = 'FROM node:20-alpine\nLABEL org.opencontainers.image.source https://github.com/pezzolabs/pezzo/proxy\n\nRUN apk update\n\nWORKDIR /app\nCOPY ./dist/apps/proxy/package*.json ./\nRUN npm i --omit=dev\n';
    const [hit] = apkUpdateInOwnRun.check({ dockerfile: parseDockerfile(text) });
    expect(hit.line).toBe(3);
    expect(hit.message).toBe('apk update runs in its own RUN and no `apk add` follows in this stage or the stages built on it: the index it fetches is never read and only adds a download and a layer.');
    expect(hit.fix).toContain('Delete the `apk update` RUN');
  });

  it('says the index is never read when the apk add that follows fetches its own (--no-cache), or comes in an unrelated stage', () => {
    const noCache = apkUpdateInOwnRun.check({ dockerfile: parseDockerfile('FROM alpine:3.20\nRUN apk update\nRUN apk add --no-cache curl\n') });
    expect(noCache[0].message).toContain('the later `apk add --no-cache` fetches an index of its own');
    const otherStage = apkUpdateInOwnRun.check({ dockerfile: parseDockerfile('FROM alpine:3.20 AS a\nRUN apk update\nFROM alpine:3.20\nRUN apk add curl\n') });
    expect(otherStage[0].message).toContain('no `apk add` follows');
  });

  it('does not report an update in a RUN that runs something else that may install (./install.sh)', () => {
    expect(lines(apkUpdateInOwnRun, 'FROM alpine:3.20\nRUN apk update && ./install.sh\nRUN apk add curl\n')).toEqual([]);
  });

  it('does not report an update in the RUN that adds', () => {
    expect(lines(apkUpdateInOwnRun, 'FROM alpine:3.20\nRUN apk update && apk add curl\n')).toEqual([]);
  });
});
