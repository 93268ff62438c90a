import { imagetoolsCreateArgs } from './registry';

describe('imagetoolsCreateArgs', () => {
  it('names every target with --tag, then the source the index is made from', () => {
    expect(imagetoolsCreateArgs('localhost:5000/api:nxb-1', ['localhost:5000/api:1.0.0', 'ghcr.io/acme/api:latest'])).toEqual([
      'buildx',
      'imagetools',
      'create',
      '--tag',
      'localhost:5000/api:1.0.0',
      '--tag',
      'ghcr.io/acme/api:latest',
      'localhost:5000/api:nxb-1',
    ]);
  });
});
