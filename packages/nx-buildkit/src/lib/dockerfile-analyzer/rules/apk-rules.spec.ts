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

  it('does not report an update in the RUN that adds', () => {
    expect(lines(apkUpdateInOwnRun, 'FROM alpine:3.20\nRUN apk update && apk add curl\n')).toEqual([]);
  });
});
