import { installsProductionOnly } from './installs-production-only';

const dockerfile = (...runs: string[]) => ['FROM node:20 AS deps', 'WORKDIR /app', 'COPY --from=deps / ./', ...runs.map((run) => `RUN ${run}`)].join('\n');

describe('installsProductionOnly', () => {
  it.each([
    ['npm ci --omit=dev', 'npm ci --omit=dev --no-audit --no-fund && mkdir -p node_modules'],
    ['npm ci --omit dev', 'npm ci --omit dev'],
    ['npm install --production', 'npm install --production'],
    ['pnpm --prod', 'pnpm install --frozen-lockfile --prod'],
    ['yarn 1 --production', 'yarn install --frozen-lockfile --production'],
    ['yarn workspaces focus --production', 'yarn workspaces focus --production @acme/api'],
    ['NODE_ENV=production', 'NODE_ENV=production npm ci'],
    ['through corepack', 'corepack pnpm install --prod'],
  ])('is true for %s', (_, run) => {
    expect(installsProductionOnly(dockerfile(run))).toBe(true);
  });

  it.each([
    ['a full install', ['npm ci']],
    ['a build stage installing everything beside a production install', ['npm ci', 'npm ci --omit=dev']],
    ['--omit of another kind', ['npm ci --omit=optional']],
    ['no install at all', ['echo hi']],
  ])('is false for %s', (_, runs) => {
    expect(installsProductionOnly(dockerfile(...runs))).toBe(false);
  });
});
