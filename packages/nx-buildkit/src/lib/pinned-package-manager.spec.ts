import { installRunLine, installToolLines, packageManagerSetup, pinnedPackageManager } from './package-manager';

describe('pinnedPackageManager', () => {
  it('installs the pinned pnpm at that exact version with npm, instead of corepack', () => {
    const pm = pinnedPackageManager(packageManagerSetup('pnpm'), 'pnpm@10.34.9+sha512.abc');
    expect(installToolLines(pm)).toEqual(['RUN npm install --global --no-audit --no-fund pnpm@10.34.9']);
    expect(installRunLine(pm, false, 'apps/web')).toBe('RUN --mount=type=cache,target=/root/.local/share/pnpm/store cd apps/web && pnpm install --frozen-lockfile');
  });

  it('uses yarn 2+ (the @yarnpkg/cli-dist package) with --immutable and its own cache folder', () => {
    const pm = pinnedPackageManager(packageManagerSetup('yarn'), 'yarn@4.18.1');
    expect(installToolLines(pm)).toEqual(['RUN npm install --global --no-audit --no-fund @yarnpkg/cli-dist@4.18.1']);
    expect(installRunLine(pm)).toBe('RUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable');
  });

  it('keeps yarn 1 on --frozen-lockfile, and tells berry from its lockfile when nothing is pinned', () => {
    expect(pinnedPackageManager(packageManagerSetup('yarn'), 'yarn@1.22.22').install).toBe('yarn install --frozen-lockfile');
    const unpinned = pinnedPackageManager(packageManagerSetup('yarn'), undefined, '__metadata:\n  version: 10\n');
    expect(unpinned.install).toBe('yarn install --immutable');
    expect(installToolLines(unpinned)).toEqual([]);
    expect(unpinned.enable).toBe('corepack enable yarn');
  });

  it('ignores a pin of another manager, and never reinstalls npm', () => {
    expect(pinnedPackageManager(packageManagerSetup('pnpm'), 'yarn@4.18.1')).toEqual(packageManagerSetup('pnpm'));
    expect(installToolLines(pinnedPackageManager(packageManagerSetup('npm'), 'npm@11.19.1'))).toEqual([]);
  });
});
