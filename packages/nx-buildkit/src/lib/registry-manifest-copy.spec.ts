import { directCopyTarget } from './registry-manifest-copy';

describe('directCopyTarget', () => {
  it.each([
    ['127.0.0.1:5000/shop/api:1.0.0', { host: '127.0.0.1:5000', repository: 'shop/api', tag: '1.0.0' }],
    ['localhost:5000/api:nxb-0123456789abcdef', { host: 'localhost:5000', repository: 'api', tag: 'nxb-0123456789abcdef' }],
  ])('%s can be tagged through the HTTP API', (ref, expected) => {
    expect(directCopyTarget(ref)).toEqual(expected);
  });

  it.each([['ghcr.io/acme/api:1'], ['python:3.11'], ['127.0.0.1:5000/api@sha256:' + 'a'.repeat(64)], ['registry.internal:5000/api:1']])('%s is left to imagetools', (ref) => {
    expect(directCopyTarget(ref)).toBeUndefined();
  });
});
