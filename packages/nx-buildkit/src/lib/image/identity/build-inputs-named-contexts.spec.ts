import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseIdentityResolver } from './base-identity';
import { computeBuildInputs } from './build-inputs';

describe('computeBuildInputs with named build contexts', () => {
  let dir: string;
  const write = (path: string, content: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const inputs = (namedContexts?: Record<string, string>) =>
    computeBuildInputs({
      dockerfile: join(dir, 'ctx/Dockerfile'),
      context: join(dir, 'ctx'),
      buildArgs: {},
      platforms: [],
      pull: false,
      // FROM scratch: no base image to identify.
      baseIdentities: {} as BaseIdentityResolver,
      namedContexts,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nxb-named-'));
    write('ctx/Dockerfile', 'FROM scratch\nCOPY --from=deps / /app/\nCOPY src/ /app/src/\n');
    write('ctx/src/a.js', 'a\n');
    write('deps/package.json', '{"name":"a"}\n');
    write('deps/package-lock.json', '{"v":1}\n');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("hashes every file of a named context, so a changed pruned lockfile changes the hash and says so", async () => {
    const before = await inputs({ deps: join(dir, 'deps') });
    expect(Object.keys(before.manifest.files)).toEqual(expect.arrayContaining(['src/a.js', 'deps://package.json', 'deps://package-lock.json']));
    expect((await inputs({ deps: join(dir, 'deps') })).hash).toBe(before.hash);
    write('deps/package-lock.json', '{"v":2}\n');
    const after = await inputs({ deps: join(dir, 'deps') });
    expect(after.hash).not.toBe(before.hash);
    expect(after.manifest.files['deps://package-lock.json']).not.toBe(before.manifest.files['deps://package-lock.json']);
  });

  it('leaves the hash of a build without named contexts as it was', async () => {
    expect((await inputs()).hash).toBe((await inputs({})).hash);
    expect((await inputs()).hash).not.toBe((await inputs({ deps: join(dir, 'deps') })).hash);
  });
});
