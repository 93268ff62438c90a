import { explainBuildxRefusal, explainForeignPlatformFailure } from './buildx-refusals';

describe('explainBuildxRefusal', () => {
  it('turns buildx’s refusal of another context’s docker driver into the option and the fix', () => {
    const text = explainBuildxRefusal('ERROR: use `docker --context=remote-b buildx` to switch to context "remote-b"\n');
    expect(text).toMatch(/^The builder "remote-b" is the docker driver of the docker context "remote-b"/);
    expect(text).toContain('DOCKER_CONTEXT=remote-b');
    expect(text).toContain('docker buildx create --name ci --driver docker-container remote-b');
  });

  it('turns the docker driver’s refusal of several platforms on the classic store into the two ways that work', () => {
    const text = explainBuildxRefusal(
      'ERROR: Multi-platform build is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.\nLearn more at https://docs.docker.com/go/build-multi-platform/\n',
    );
    expect(text).toMatch(/^Several "platforms" need a builder that keeps multi-platform images/);
    expect(text).toContain('{"features":{"containerd-snapshotter":true}}');
    expect(text).toContain('docker buildx create --name multi --driver docker-container');
    expect(text).not.toContain('\n');
  });

  it('leaves other failures alone', () => {
    expect(explainBuildxRefusal('ERROR: failed to solve: process "/bin/sh -c exit 3" did not complete successfully')).toBeUndefined();
  });
});

describe('explainForeignPlatformFailure', () => {
  it('names the missing emulator when a step of a build for named platforms cannot be executed', () => {
    const text = explainForeignPlatformFailure('process "/bin/sh -c uname -m" did not complete successfully: exec /bin/sh: exec format error', ['linux/amd64', 'linux/arm64']);
    expect(text).toMatch(/^A RUN step of another architecture could not run on this machine: no emulator is registered/);
    expect(text).toContain('docker/setup-qemu-action');
  });

  it('says nothing for other failures, or for a build for the engine’s own platform', () => {
    expect(explainForeignPlatformFailure('process "/bin/sh -c exit 3" did not complete successfully: exit code: 3', ['linux/arm64'])).toBeUndefined();
    expect(explainForeignPlatformFailure('exec /bin/sh: exec format error', [])).toBeUndefined();
  });
});
