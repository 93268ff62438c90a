import type { EngineClient } from '../engine/client';
import type { InspectedImage } from './identity/image-identity';
import { createRunState, engineCallsLine } from './run-state';

function fakeEngine(images: InspectedImage[]): EngineClient & { listings: number } {
  const engine = {
    endpoint: { kind: 'unix' as const, socketPath: '/var/run/docker.sock', source: 'the default socket' },
    calls: 0,
    listings: 0,
    ping: async () => undefined,
    listImages: async () => {
      engine.calls++;
      engine.listings++;
      return images;
    },
    tag: async () => undefined,
    run: () => Promise.reject(new Error('no process in this test')),
    registryRequest: () => Promise.reject(new Error('no registry in this test')),
  };
  return engine;
}

const image = (id: string, repoTags: string[], fields: Partial<InspectedImage> = {}): InspectedImage => ({ id, repoTags, repoDigests: [], ...fields });

describe('createRunState', () => {
  it('lists the local images once per run, however many references are looked up, in any spelling', async () => {
    const engine = fakeEngine([image('sha256:1', ['debian:bookworm-slim']), image('sha256:2', ['localhost:5000/api:nxb-1', 'localhost:5000/api:latest'])]);
    const run = createRunState(engine);
    const found = await Promise.all(['debian:bookworm-slim', 'docker.io/library/debian:bookworm-slim', 'localhost:5000/api:latest', 'absent:1'].map((ref) => run.localImage(ref)));
    expect(found.map((i) => i?.id)).toEqual(['sha256:1', 'sha256:1', 'sha256:2', undefined]);
    await run.baseIdentities.prefetch(['debian:bookworm-slim', 'localhost:5000/api:nxb-1']);
    expect(await run.baseIdentities.identify('debian:bookworm-slim', { pull: false })).toEqual({ kind: 'image-id', id: 'sha256:1' });
    expect(engine.listings).toBe(1);
  });

  it('says what the run asked of the engine, for --verbose', async () => {
    const engine = fakeEngine([]);
    const run = createRunState(engine);
    await run.localImage('debian:bookworm-slim');
    expect(engineCallsLine(run)).toBe('nx-buildkit: 1 engine calls (API round trips, docker processes and registry requests) (unix:///var/run/docker.sock)');
  });
});
