import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { targetImageRepository } from './image-repository';

describe('targetImageRepository', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nxb-image-repository-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('puts the registry in front of the image, once', () => {
    expect(targetImageRepository({ image: 'acme/api', registry: 'localhost:5000' }, 'api', root)).toEqual({ image: 'acme/api', repository: 'localhost:5000/acme/api' });
    expect(targetImageRepository({ image: 'localhost:5000/acme/api', registry: 'localhost:5000/' }, 'api', root).repository).toBe('localhost:5000/acme/api');
    expect(targetImageRepository({ image: 'acme/api' }, 'api', root).repository).toBe('acme/api');
  });

  it("names an image without \"image\" after the project, in the workspace's namespace", () => {
    expect(targetImageRepository({}, '@acme/api', root)).toEqual({ image: 'acme-api', repository: 'acme-api' });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: '@acme/source' }));
    expect(targetImageRepository({ registry: 'ghcr.io' }, '@acme/api', root)).toEqual({ image: 'acme/api', repository: 'ghcr.io/acme/api' });
  });
});
