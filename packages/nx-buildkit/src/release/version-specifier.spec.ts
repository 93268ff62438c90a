import { chooseVersion } from './version-specifier';

const one = { production: '{currentDate|YYMM.DD}.{shortCommitSha}' };
const two = { ...one, hotfix: '{currentDate|YYMM.DD}.{shortCommitSha}-hotfix' };

describe('chooseVersion', () => {
  it('picks the scheme a specifier names', () => {
    expect(chooseVersion('hotfix', two, 'api')).toEqual({ kind: 'scheme', scheme: 'hotfix', pattern: two.hotfix });
  });

  it('picks the only scheme for a semver keyword or no specifier (CI, conventional commits)', () => {
    for (const specifier of ['patch', 'minor', 'major', 'prerelease', undefined, null, '']) {
      expect(chooseVersion(specifier, one, 'api')).toEqual({ kind: 'scheme', scheme: 'production', pattern: one.production });
    }
  });

  it('refuses a keyword when several schemes could be meant, naming them', () => {
    expect(() => chooseVersion('patch', two, 'api')).toThrow('Project "api": "patch" names no version scheme, and there are 2 docker version schemes (production, hotfix). Name one: "nx release production".');
    expect(() => chooseVersion(undefined, {}, 'api')).toThrow(/"release\.docker\.versionSchemes" is empty/);
  });

  it('takes any other valid tag as the version itself', () => {
    expect(chooseVersion('2.0.0-rc.1', two, 'api')).toEqual({ kind: 'explicit', version: '2.0.0-rc.1' });
  });

  it('refuses a specifier that is no scheme and no tag', () => {
    expect(() => chooseVersion('bad/tag', one, 'api')).toThrow('Project "api": "bad/tag" is neither a docker version scheme (production) nor a valid image tag');
  });
});
