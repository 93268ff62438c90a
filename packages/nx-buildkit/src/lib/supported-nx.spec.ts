import { findInstalledNx, unsupportedNxMessage } from './supported-nx';

describe('unsupportedNxMessage', () => {
  it('is silent for Nx 24', () => {
    expect(unsupportedNxMessage({ nx: '24.0.6', devkit: '24.0.0' }, '0.1.0')).toBeUndefined();
  });

  it('names what was found, where, and what is needed, in one line (pezzo hoists @nx/devkit 16.6)', () => {
    const message = unsupportedNxMessage({ nx: '16.6.0', devkit: '16.6.0', devkitPath: '/ws/node_modules/@nx/devkit' }, '0.1.0');
    expect(message).toBe(
      'nx-buildkit 0.1.0 needs Nx 24 (nx and @nx/devkit 24.x), but this workspace has nx 16.6.0 and @nx/devkit 16.6.0 (/ws/node_modules/@nx/devkit): upgrade with `npx nx migrate 24` (and install @nx/devkit 24), or remove nx-buildkit from nx.json\'s plugins.',
    );
    expect(message).not.toContain('\n');
  });

  it('names only the package that is off, and a newer major too', () => {
    expect(unsupportedNxMessage({ nx: '24.0.6', devkit: '16.6.0' }, '0.1.0')).toContain('this workspace has @nx/devkit 16.6.0:');
    expect(unsupportedNxMessage({ nx: '25.1.0', devkit: '25.1.0' }, '0.1.0')).toContain('nx 25.1.0 and @nx/devkit 25.1.0');
  });
});

describe('findInstalledNx', () => {
  it("reads the versions this repository's own install resolves", () => {
    const found = findInstalledNx();
    expect(found.nx).toMatch(/^24\./);
    expect(found.devkit).toMatch(/^24\./);
  });
});
