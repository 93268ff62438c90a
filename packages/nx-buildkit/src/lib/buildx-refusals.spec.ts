import { explainBuildxRefusal } from './buildx-refusals';

describe('explainBuildxRefusal', () => {
  it('turns buildx’s refusal of another context’s docker driver into the option and the fix', () => {
    const text = explainBuildxRefusal('ERROR: use `docker --context=remote-b buildx` to switch to context "remote-b"\n');
    expect(text).toMatch(/^The builder "remote-b" is the docker driver of the docker context "remote-b"/);
    expect(text).toContain('DOCKER_CONTEXT=remote-b');
    expect(text).toContain('docker buildx create --name ci --driver docker-container remote-b');
  });

  it('leaves other failures alone', () => {
    expect(explainBuildxRefusal('ERROR: failed to solve: process "/bin/sh -c exit 3" did not complete successfully')).toBeUndefined();
  });
});
