import { readsPrunedDepsContext } from './reads-deps-context';

describe('readsPrunedDepsContext', () => {
  it('is true for a COPY --from=deps without a stage of that name', () => {
    expect(readsPrunedDepsContext('FROM node:20 AS build\nCOPY --from=deps / ./\nRUN npm ci\n')).toBe(true);
  });

  it('is true for a RUN mount from the deps context', () => {
    expect(readsPrunedDepsContext('FROM node:20\nRUN --mount=type=bind,from=deps,target=/deps ls /deps\n')).toBe(true);
  });

  it('is false when a stage is named deps (BuildKit copies from the stage)', () => {
    expect(readsPrunedDepsContext('FROM node:20 AS deps\nRUN true\nFROM node:20\nCOPY --from=deps /x /x\n')).toBe(false);
  });

  it('is false for copies from other stages and the context', () => {
    expect(readsPrunedDepsContext('FROM node:20 AS build\nCOPY package.json ./\nFROM nginx\nCOPY --from=build /app /app\n')).toBe(false);
  });
});
