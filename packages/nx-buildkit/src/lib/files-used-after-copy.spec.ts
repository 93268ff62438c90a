import { filesUsedAfterCopy } from './files-used-after-copy';

const F = 'apps/api/Dockerfile';

describe('filesUsedAfterCopy', () => {
  it('finds a file inside a copied folder that a later RUN names', () => {
    const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY apps/api ./\nRUN cp src/.env.test .env && npm test\n';
    expect(filesUsedAfterCopy(F, dockerfile, ['apps/api/src/.env.test', 'apps/web/.env.test', 'apps/api/app.log'])).toEqual([
      { path: 'apps/api/src/.env.test', by: 'apps/api/Dockerfile:4 RUN cp src/.env.test .env && npm test', how: 'reads' },
    ]);
  });

  it("finds one a later stage's COPY --from takes out of the stage that copied the folder", () => {
    const dockerfile = 'FROM node:20 AS builder\nWORKDIR /app\nCOPY . .\nFROM node:20\nCOPY --from=builder /app/config/.env.sample ./.env\nUSER node\n';
    expect(filesUsedAfterCopy(F, dockerfile, ['config/.env.sample'])).toEqual([{ path: 'config/.env.sample', by: 'apps/api/Dockerfile:5 COPY --from=builder /app/config/.env.sample ./.env', how: 'reads' }]);
  });

  it('counts a dotenv file nothing names when a later RUN may load it, and says so', () => {
    const dockerfile = 'FROM node:20\nWORKDIR /app\nCOPY apps/web ./\nRUN npm run build\n';
    expect(filesUsedAfterCopy(F, dockerfile, ['apps/web/.env.production'])).toEqual([
      { path: 'apps/web/.env.production', by: 'apps/api/Dockerfile:3 COPY apps/web ./', how: 'sends', why: 'a dotenv file that apps/api/Dockerfile:4 RUN npm run build may load without naming it' },
    ]);
  });

  it.each([
    ['a file outside the copied folders', 'FROM x\nCOPY apps/api ./\nRUN cat .env.test\n', ['apps/web/.env.test']],
    ['a file no later instruction names (not a dotenv file)', 'FROM x\nCOPY . .\nRUN make\n', ['logs/build.log']],
    ['a dotenv file when nothing runs after the copy', 'FROM nginx\nCOPY site /usr/share/nginx/html\n', ['site/.env.local']],
    ['a name only as part of a longer one', 'FROM x\nCOPY . .\nRUN cat my.key.txt\n', ['certs/my.key']],
    ['a file copied by name (the copy itself already counts)', 'FROM x\nCOPY config/.env.test ./\n', ['config/.env.test']],
  ])('leaves out %s', (_name, dockerfile, candidates) => {
    expect(filesUsedAfterCopy(F, dockerfile, candidates)).toEqual([]);
  });
});
