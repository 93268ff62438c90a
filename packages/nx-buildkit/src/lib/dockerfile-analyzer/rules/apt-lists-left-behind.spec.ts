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
    ['lists removed', 'FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n'],
    ['a lists cache mount', 'FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n'],
    ['a builder stage the final image does not start FROM', 'FROM debian AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian\nCOPY --from=build /x /x\n'],
  ])('does not report %s', (_name, text) => {
    expect(check(text)).toEqual([]);
  });
});
