import { parseHashTaggedImage, parseIdentity } from './image-identity';

describe('parseIdentity', () => {
  const hash = 'a'.repeat(64);

  it('reads the image ID and the inputs-hash label', () => {
    expect(parseIdentity(`sha256:123 ${hash}\n`)).toEqual({ id: 'sha256:123', inputsHash: hash });
  });

  it('treats a missing label ("<no value>", two words) as no inputs hash', () => {
    expect(parseIdentity('sha256:123 <no value>\n')).toEqual({ id: 'sha256:123', inputsHash: undefined });
    expect(parseIdentity('sha256:123 \n')).toEqual({ id: 'sha256:123', inputsHash: undefined });
  });

  it('is undefined for empty output', () => {
    expect(parseIdentity('  \n')).toBeUndefined();
  });
});

describe('parseHashTaggedImage', () => {
  const hash = 'b'.repeat(64);

  it('reads the ID, every tag and the inputs-hash label', () => {
    expect(parseHashTaggedImage(`sha256:9|["api:latest","api:nxb-bbbb"]|${hash}\n`)).toEqual({ id: 'sha256:9', repoTags: ['api:latest', 'api:nxb-bbbb'], inputsHash: hash });
  });

  it('has no inputs hash when the label is missing, and no tags when there are none', () => {
    expect(parseHashTaggedImage('sha256:9|null|<no value>')).toEqual({ id: 'sha256:9', repoTags: [], inputsHash: undefined });
  });
});
