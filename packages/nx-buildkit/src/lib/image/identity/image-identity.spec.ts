import { INPUTS_HASH_LABEL } from '../../engine/buildx-args';
import { hasTag, parseImageInspect } from './image-identity';

describe('parseImageInspect', () => {
  const hash = 'a'.repeat(64);

  it('reads ID, tags, repo digests, size and the inputs-hash label of each image', () => {
    const output = JSON.stringify([
      {
        Id: 'sha256:123',
        RepoTags: ['api:latest', 'api:nxb-aaaa'],
        RepoDigests: ['localhost:5000/api@sha256:456'],
        Size: 1234,
        Config: { Labels: { [INPUTS_HASH_LABEL]: hash, other: 'x' } },
      },
    ]);
    expect(parseImageInspect(output)).toEqual([
      { id: 'sha256:123', repoTags: ['api:latest', 'api:nxb-aaaa'], repoDigests: ['localhost:5000/api@sha256:456'], sizeBytes: 1234, inputsHash: hash },
    ]);
  });

  it('reads a label-free official image (Config.Labels null), which a --format template cannot', () => {
    const output = JSON.stringify([{ Id: 'sha256:9', RepoTags: ['python:3.11'], RepoDigests: ['python@sha256:77'], Config: { Labels: null } }]);
    expect(parseImageInspect(output)).toEqual([{ id: 'sha256:9', repoTags: ['python:3.11'], repoDigests: ['python@sha256:77'], inputsHash: undefined, sizeBytes: undefined }]);
  });

  it('has no inputs hash for a label that is not a full sha256 hex, and copes with null lists and no Config', () => {
    const output = JSON.stringify([{ Id: 'sha256:9', RepoTags: null, RepoDigests: null, Config: { Labels: { [INPUTS_HASH_LABEL]: 'abc' } } }, { Id: 'sha256:8' }]);
    expect(parseImageInspect(output).map((image) => [image.id, image.inputsHash, image.repoTags, image.repoDigests])).toEqual([
      ['sha256:9', undefined, [], []],
      ['sha256:8', undefined, [], []],
    ]);
  });

  it("reads the engine's image list (GET /images/json), whose labels are not under Config", () => {
    const output = JSON.stringify([{ Id: 'sha256:5', RepoTags: ['api:nxb-1'], RepoDigests: [], Size: 7, Labels: { [INPUTS_HASH_LABEL]: hash } }, { Id: 'sha256:6', Labels: null }]);
    expect(parseImageInspect(output).map((image) => [image.id, image.inputsHash, image.sizeBytes])).toEqual([
      ['sha256:5', hash, 7],
      ['sha256:6', undefined, undefined],
    ]);
  });

  it('is empty for "[]", empty output, and output that is not JSON', () => {
    expect(parseImageInspect('[]\n')).toEqual([]);
    expect(parseImageInspect('')).toEqual([]);
    expect(parseImageInspect('Error: No such image')).toEqual([]);
  });
});

describe('hasTag', () => {
  it('matches a tag in any spelling, and nothing but a tag', () => {
    const image = { repoTags: ['api:1', 'localhost:5000/web:latest'] };
    expect(hasTag(image, 'docker.io/library/api:1')).toBe(true);
    expect(hasTag(image, 'api:1')).toBe(true);
    expect(hasTag(image, 'localhost:5000/web')).toBe(true);
    expect(hasTag(image, 'api:2')).toBe(false);
    expect(hasTag(image, 'web:latest')).toBe(false);
    expect(hasTag({ repoTags: [] }, 'api:1')).toBe(false);
  });
});
