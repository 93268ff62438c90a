import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeReleasePublishOptions, RELEASE_PUBLISH_OPTION_NAMES } from './normalize-options';

describe('normalizeReleasePublishOptions', () => {
  it('lists exactly the properties of schema.json', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, 'schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    expect([...RELEASE_PUBLISH_OPTION_NAMES].sort()).toEqual(Object.keys(schema.properties).sort());
  });

  it('builds when needed by default, and takes the version nx release gave the project', () => {
    expect(normalizeReleasePublishOptions({ nxReleaseVersionData: { api: { newVersion: '2612.01.3a95d8c' } } }, 'api', 'nx-release-publish')).toEqual({
      projectName: 'api',
      build: true,
      extraTags: [],
      dryRun: false,
      version: '2612.01.3a95d8c',
    });
  });

  it('tells a project nx release did not version (null) from a standalone publish (undefined: read the version file)', () => {
    expect(normalizeReleasePublishOptions({ nxReleaseVersionData: { web: { newVersion: '1' } } }, 'api', 'nx-release-publish').version).toBeNull();
    expect(normalizeReleasePublishOptions({ dryRun: true }, 'api', 'nx-release-publish').version).toBeUndefined();
  });

  it("accepts the options nx release publish hands every publisher (npm's among them)", () => {
    const options = { registry: 'https://registry.npmjs.org', tag: 'next', otp: '123456', access: 'public', firstRelease: true, verbose: true, build: false, extraTags: ['latest', 'latest'] };
    expect(normalizeReleasePublishOptions(options as never, 'api', 'nx-release-publish')).toMatchObject({ build: false, extraTags: ['latest'] });
  });

  it('names an unknown option and the one meant, and a bad tag', () => {
    expect(() => normalizeReleasePublishOptions({ extraTag: ['latest'] } as never, 'api', 'nx-release-publish')).toThrow(
      'Unknown option "extraTag" in the "nx-release-publish" options of project "api". Did you mean "extraTags"? nx-buildkit:release-publish takes: build, extraTags, dryRun.',
    );
    expect(() => normalizeReleasePublishOptions({ extraTags: ['ghcr.io/acme/api:latest'] }, 'api', 'nx-release-publish')).toThrow(/Invalid tag "ghcr.io\/acme\/api:latest" in "extraTags"/);
    expect(() => normalizeReleasePublishOptions({ build: 'no' } as never, 'api', 'nx-release-publish')).toThrow('Invalid "build" in the "nx-release-publish" options of project "api": expected true or false.');
  });
});
