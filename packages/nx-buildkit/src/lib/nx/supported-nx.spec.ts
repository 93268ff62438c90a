import { batchModeHint, findInstalledNx, isSupportedNxMajor, majorOf, unsupportedNxMessage } from './supported-nx';

describe('unsupportedNxMessage', () => {
  it.each([
    ['21.6.11', '21.6.11'],
    ['22.7.12', '22.7.12'],
    ['23.3.2', '23.3.2'],
    ['24.0.6', '24.0.0'],
    // nx bumped ahead of the workspace's @nx/* plugins (and so of their @nx/devkit): both majors are supported.
    ['24.0.6', '23.3.2'],
  ])('is silent for nx %s with @nx/devkit %s', (nx, devkit) => {
    expect(unsupportedNxMessage({ nx, devkit }, '0.1.0')).toBeUndefined();
  });

  it('names what was found, where, the range and the fix, in one line (pezzo hoists @nx/devkit 16.6)', () => {
    const message = unsupportedNxMessage({ nx: '16.6.0', devkit: '16.6.0', devkitPath: '/ws/node_modules/@nx/devkit' }, '0.1.0');
    expect(message).toBe(
      "nx-buildkit 0.1.0 supports Nx 21 to 24 (nx and @nx/devkit 21.x–24.x), but this workspace has nx 16.6.0 and @nx/devkit 16.6.0 (/ws/node_modules/@nx/devkit): upgrade to Nx 21 or later with `npx nx migrate 21` (nx and @nx/devkit of one major), or remove nx-buildkit from nx.json's plugins.",
    );
    expect(message).not.toContain('\n');
  });

  it('names only the package that is off', () => {
    expect(unsupportedNxMessage({ nx: '24.0.6', devkit: '20.8.1' }, '0.1.0')).toContain('this workspace has @nx/devkit 20.8.1: upgrade to Nx 21');
  });

  it('says a newer Nx needs a newer plugin, not a migration back', () => {
    const message = unsupportedNxMessage({ nx: '25.1.0', devkit: '25.1.0' }, '0.1.0');
    expect(message).toContain('this workspace has nx 25.1.0 and @nx/devkit 25.1.0: install a newer nx-buildkit that supports it, or stay on Nx 24');
    expect(message).not.toContain('\n');
  });

  it('is silent when a package is not installed at all (Nx itself reports that)', () => {
    expect(unsupportedNxMessage({ nx: '23.3.2' }, '0.1.0')).toBeUndefined();
  });
});

describe('majorOf and isSupportedNxMajor', () => {
  it('reads the major of release and prerelease versions, and nothing else', () => {
    expect(majorOf('21.6.11')).toBe(21);
    expect(majorOf('24.1.0-beta.3')).toBe(24);
    expect(majorOf('latest')).toBeUndefined();
    expect(majorOf(undefined)).toBeUndefined();
  });

  it('accepts 21 through 24 only', () => {
    expect([20, 21, 22, 23, 24, 25].map(isSupportedNxMajor)).toEqual([false, true, true, true, true, false]);
    expect(isSupportedNxMajor(undefined)).toBe(false);
  });
});

describe('findInstalledNx', () => {
  it("reads the versions this repository's own install resolves", () => {
    const found = findInstalledNx();
    expect(found.nx).toMatch(/^24\./);
    expect(found.devkit).toMatch(/^24\./);
  });
});

describe('batchModeHint', () => {
  it('tells an Nx 21 user how to ask for batch mode', () => {
    expect(batchModeHint(21)).toBe(
      'nx-buildkit: on Nx 21 batch mode (every image of a run in one process, one engine connection) is not the default: pass --batch (`nx affected -t docker-build --batch`) or set NX_BATCH_MODE=true in CI.',
    );
  });

  it.each([22, 23, 24, undefined])('says nothing on Nx %s, where the executor prefers batch mode (or Nx is not found)', (major) => {
    expect(batchModeHint(major)).toBeUndefined();
  });
});
