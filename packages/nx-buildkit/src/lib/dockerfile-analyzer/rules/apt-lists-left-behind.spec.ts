import { parseDockerfile } from '../../dockerfile';
import { aptListsLeftBehind } from './apt-lists-left-behind';

const check = (text: string) => aptListsLeftBehind.check({ dockerfile: parseDockerfile(text) });

describe('apt/lists-left-behind', () => {
  it('reports an update whose lists stay in the final image', () => {
    const [hit] = check('FROM debian\nRUN apt-get update && apt-get install -y curl\n');
    expect(hit.line).toBe(1);
    expect(hit.fix).toContain('rm -rf /var/lib/apt/lists/*');
  });

  it('reports it in a stage the final image starts FROM', () => {
    expect(check('FROM debian AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nUSER nobody\n').map((hit) => hit.line)).toEqual([1]);
  });

  it.each([
    ['a sibling folder', 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/dpkg/info/* /var/lib/aptitude\n'],
    ['a file under the parent, not the lists', 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -f /var/lib/apt/extended_states\n'],
  ])('still reports an rm that leaves the lists: %s', (_name, text) => {
    expect(check(text)).toHaveLength(1);
  });

  it.each([
    ['lists removed', 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n'],
    // simonw-datasette, line 7: `apt clean && rm -rf /var/lib/apt && rm -rf /var/lib/dpkg/info/*`.
    ['the parent folder removed', 'FROM python:3.11.0-slim-bullseye\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends libsqlite3-mod-spatialite && \\\n    apt clean && \\\n    rm -rf /var/lib/apt && \\\n    rm -rf /var/lib/dpkg/info/*\n'],
    ['the parent folder emptied', 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/*\n'],
    ['a lists cache mount', 'FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n'],
    ['a builder stage the final image does not start FROM', 'FROM debian AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian\nCOPY --from=build /x /x\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});

describe('apt/lists-left-behind and commented-out lines', () => {
  it('sees the rm -rf after a comment line that ends in a continuation (BuildKit drops the whole line)', () => {
    const text = 'FROM debian\nRUN apt-get update \\\n  && apt-get install -y curl \\\n  # && apt-get install -y vim \\\n  && apt-get clean \\\n  && rm -rf /var/lib/apt/lists/*\n';
    expect(aptListsLeftBehind.check({ dockerfile: parseDockerfile(text) })).toEqual([]);
  });
});
