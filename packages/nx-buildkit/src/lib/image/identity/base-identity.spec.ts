import { BaseIdentityResolver, BaseImageEngine, formatBaseIdentity, identifyFromLocalFacts } from './base-identity';
import type { InspectedImage } from './image-identity';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const image = (fields: Partial<InspectedImage>): InspectedImage => ({ id: digest('0'), repoTags: [], repoDigests: [], ...fields });

describe('identifyFromLocalFacts', () => {
  it('takes a pinned digest as it is, whatever is local and even with pull', () => {
    const local = image({ repoDigests: [`python@${digest('2')}`] });
    expect(identifyFromLocalFacts(`python:3.11@${digest('1')}`, { local, pull: true })).toEqual({ kind: 'digest', digest: digest('1'), source: 'pinned' });
  });

  it('names an image nx-buildkit built by its inputs hash: built this run, then its label, then a record', () => {
    const local = image({ inputsHash: 'b'.repeat(64) });
    const recorded = jest.fn(() => 'c'.repeat(64));
    expect(identifyFromLocalFacts('acme/base', { builtThisRun: 'a'.repeat(64), local, recorded, pull: false })).toEqual({ kind: 'inputs-hash', hash: 'a'.repeat(64) });
    expect(identifyFromLocalFacts('acme/base', { local, recorded, pull: false })).toEqual({ kind: 'inputs-hash', hash: 'b'.repeat(64) });
    // The records are read only when neither this run nor the label decides.
    expect(recorded).not.toHaveBeenCalled();
    expect(identifyFromLocalFacts('acme/base', { recorded, pull: false })).toEqual({ kind: 'inputs-hash', hash: 'c'.repeat(64) });
  });

  it("names a pulled image by the repo digest of the reference's own repository, in any spelling", () => {
    const local = image({ repoDigests: [`other/mirror@${digest('9')}`, `python@${digest('3')}`] });
    expect(identifyFromLocalFacts('python:3.11-slim-bookworm', { local, pull: false })).toEqual({ kind: 'digest', digest: digest('3'), source: 'local' });
    expect(identifyFromLocalFacts('docker.io/library/python:3.11-slim-bookworm', { local, pull: false })).toEqual({ kind: 'digest', digest: digest('3'), source: 'local' });
    const hosted = image({ repoDigests: [`localhost:5079/base/busybox@${digest('4')}`] });
    expect(identifyFromLocalFacts('localhost:5079/base/busybox:1', { local: hosted, pull: false })).toEqual({ kind: 'digest', digest: digest('4'), source: 'local' });
  });

  it('names a local image no registry knows (built or imported here) by its ID', () => {
    const local = image({ id: digest('5'), repoDigests: [`elsewhere/python@${digest('3')}`] });
    expect(identifyFromLocalFacts('python:3.11', { local, pull: false })).toEqual({ kind: 'image-id', id: digest('5') });
  });

  it('leaves it to the registry when the image is absent, or when the build pulls', () => {
    expect(identifyFromLocalFacts('python:3.11', { pull: false })).toBeUndefined();
    expect(identifyFromLocalFacts('python:3.11', { local: image({ repoDigests: [`python@${digest('3')}`] }), pull: true })).toBeUndefined();
  });
});

describe('formatBaseIdentity', () => {
  it('spells each kind so a record says where it came from', () => {
    expect(formatBaseIdentity({ kind: 'digest', digest: digest('1'), source: 'registry' })).toBe(digest('1'));
    expect(formatBaseIdentity({ kind: 'inputs-hash', hash: 'a'.repeat(64) })).toBe(`nxb:${'a'.repeat(64)}`);
    expect(formatBaseIdentity({ kind: 'image-id', id: digest('2') })).toBe(`image-id:${digest('2')}`);
    expect(formatBaseIdentity({ kind: 'unknown', reason: 'x' })).toBe('unknown');
  });
});

describe('BaseIdentityResolver', () => {
  /** An engine that counts its calls; `remote` maps references to digests, or to an Error to throw. */
  function fakeEngine(local: InspectedImage[], remote: Record<string, string | Error | undefined>) {
    const calls = { inspect: [] as string[][], remote: [] as string[] };
    const engine: BaseImageEngine = {
      inspectImages: async (refs) => {
        calls.inspect.push([...refs]);
        return local;
      },
      remoteDigest: async (ref) => {
        calls.remote.push(ref);
        const answer = remote[ref];
        if (answer instanceof Error) throw answer;
        return answer;
      },
    };
    return { engine, calls };
  }

  it('inspects all prefetched references in one call and asks the registry once per distinct absent base', async () => {
    const { engine, calls } = fakeEngine([image({ id: digest('1'), repoTags: ['debian:bookworm-slim'] })], { 'localhost:5000/base:1': digest('7') });
    const resolver = new BaseIdentityResolver(engine);
    await resolver.prefetch(['debian:bookworm-slim', 'localhost:5000/base:1', 'docker.io/library/debian:bookworm-slim']);
    const identities = await Promise.all([
      resolver.identify('debian:bookworm-slim', { pull: false }),
      resolver.identify('localhost:5000/base:1', { pull: false }),
      resolver.identify('localhost:5000/base:1', { pull: false }),
      resolver.identify('docker.io/library/debian:bookworm-slim', { pull: false }),
    ]);
    expect(identities).toEqual([
      { kind: 'image-id', id: digest('1') },
      { kind: 'digest', digest: digest('7'), source: 'registry' },
      { kind: 'digest', digest: digest('7'), source: 'registry' },
      { kind: 'image-id', id: digest('1') },
    ]);
    expect(calls.inspect).toEqual([['docker.io/library/debian:bookworm-slim', 'localhost:5000/base:1']]);
    expect(calls.remote).toEqual(['localhost:5000/base:1']);
  });

  it('with pull, asks the registry even for a local image', async () => {
    const { engine, calls } = fakeEngine([image({ repoTags: ['localhost:5000/base:1'], repoDigests: [`localhost:5000/base@${digest('1')}`] })], { 'localhost:5000/base:1': digest('2') });
    const resolver = new BaseIdentityResolver(engine);
    expect(await resolver.identify('localhost:5000/base:1', { pull: true })).toEqual({ kind: 'digest', digest: digest('2'), source: 'registry' });
    expect(await resolver.identify('localhost:5000/base:1', { pull: false })).toEqual({ kind: 'digest', digest: digest('1'), source: 'local' });
    expect(calls.remote).toEqual(['localhost:5000/base:1']);
  });

  it('is unknown, with the reason, when the registry cannot be asked or does not have the tag', async () => {
    const { engine } = fakeEngine([], { 'localhost:5000/down:1': new Error('Could not reach the registry "localhost:5000"\nmore'), 'localhost:5000/gone:1': undefined });
    const resolver = new BaseIdentityResolver(engine);
    expect(await resolver.identify('localhost:5000/down:1', { pull: false })).toEqual({ kind: 'unknown', reason: 'Could not reach the registry "localhost:5000"' });
    expect(await resolver.identify('localhost:5000/gone:1', { pull: false })).toEqual({
      kind: 'unknown',
      reason: '"localhost:5000/gone:1" is neither in the local engine nor in its registry',
    });
  });

  it("names a workspace image as the workspace says, before the engine's label, a record or the registry, unless this run hashed it", async () => {
    const { engine, calls } = fakeEngine([image({ repoTags: ['localhost:5000/base:latest'], inputsHash: 'b'.repeat(64) })], { 'localhost:5000/base:latest': digest('7') });
    const resolver = new BaseIdentityResolver(engine);
    const recorded = jest.fn(() => 'c'.repeat(64));
    const workspaceImage = jest.fn(() => Promise.resolve({ kind: 'inputs-hash' as const, hash: 'a'.repeat(64) }));
    expect(await resolver.identify('localhost:5000/base:latest', { pull: true, recorded, workspaceImage })).toEqual({ kind: 'inputs-hash', hash: 'a'.repeat(64) });
    expect(recorded).not.toHaveBeenCalled();
    expect(calls).toEqual({ inspect: [], remote: [] });
    expect(await resolver.identify('localhost:5000/base:latest', { pull: false, builtThisRun: 'd'.repeat(64), workspaceImage })).toEqual({ kind: 'inputs-hash', hash: 'd'.repeat(64) });
    expect(workspaceImage).toHaveBeenCalledTimes(1);
    // No build target makes it: the other rules decide.
    expect(await resolver.identify('localhost:5000/base:latest', { pull: false, workspaceImage: () => undefined })).toEqual({ kind: 'inputs-hash', hash: 'b'.repeat(64) });
    expect(await resolver.identify(`localhost:5000/base@${digest('1')}`, { pull: false, workspaceImage })).toEqual({ kind: 'digest', digest: digest('1'), source: 'pinned' });
    expect(workspaceImage).toHaveBeenCalledTimes(1);
  });

  it('looks nothing up for a pinned digest', async () => {
    const { engine, calls } = fakeEngine([], {});
    const resolver = new BaseIdentityResolver(engine);
    expect(await resolver.identify(`python@${digest('1')}`, { pull: false })).toEqual({ kind: 'digest', digest: digest('1'), source: 'pinned' });
    expect(calls).toEqual({ inspect: [], remote: [] });
  });
});
