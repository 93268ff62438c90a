import { isValidPlatform } from './platform';

describe('isValidPlatform', () => {
  it.each(['linux/amd64', 'linux/arm64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/x86_64', 'windows/amd64', 'linux/386'])('accepts %s', (platform) =>
    expect(isValidPlatform(platform)).toBe(true),
  );

  it.each(['', 'linux', 'amd64', 'linux/', '/amd64', 'linux/amd64/', 'linux/arm/v7/extra', 'linux/amd64,linux/arm64', 'linux amd64', 'linux/amd-64'])(
    'rejects %j',
    (platform) => expect(isValidPlatform(platform)).toBe(false),
  );
});
