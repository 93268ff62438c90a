import { isValidPlatform, platformDigestsOfIndex } from './platform';

describe('isValidPlatform', () => {
  it.each(['linux/amd64', 'linux/arm64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/x86_64', 'windows/amd64', 'linux/386'])('accepts %s', (platform) =>
    expect(isValidPlatform(platform)).toBe(true),
  );

  it.each(['', 'linux', 'amd64', 'linux/', '/amd64', 'linux/amd64/', 'linux/arm/v7/extra', 'linux/amd64,linux/arm64', 'linux amd64', 'linux/amd-64'])(
    'rejects %j',
    (platform) => expect(isValidPlatform(platform)).toBe(false),
  );
});

describe('platformDigestsOfIndex', () => {
  const amd64 = `sha256:${'a'.repeat(64)}`;
  const arm64 = `sha256:${'b'.repeat(64)}`;
  const attestation = `sha256:${'c'.repeat(64)}`;

  it('maps each platform of an OCI index to its manifest digest, leaving the attestation manifests out', () => {
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: amd64, size: 1, platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: arm64, size: 1, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: attestation,
          size: 1,
          annotations: { 'vnd.docker.reference.digest': amd64, 'vnd.docker.reference.type': 'attestation-manifest' },
          platform: { architecture: 'unknown', os: 'unknown' },
        },
      ],
    };
    expect(platformDigestsOfIndex(JSON.stringify(index))).toEqual({ 'linux/amd64': amd64, 'linux/arm64/v8': arm64 });
  });

  it('reads a Docker manifest list too', () => {
    const list = {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: arm64, size: 1, platform: { architecture: 'arm64', os: 'linux' } }],
    };
    expect(platformDigestsOfIndex(JSON.stringify(list))).toEqual({ 'linux/arm64': arm64 });
  });

  it('is undefined for a single-platform manifest or text that is not JSON', () => {
    expect(platformDigestsOfIndex(JSON.stringify({ schemaVersion: 2, config: { digest: amd64 }, layers: [] }))).toBeUndefined();
    expect(platformDigestsOfIndex('not json')).toBeUndefined();
  });
});
