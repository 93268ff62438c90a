import type { EngineClient } from '../engine/client';
import type { InspectedImage } from './identity/image-identity';
import { BY_REFERENCE_UP_TO, chooseImageLookup, LocalImages } from './local-images';

const image = (id: string, repoTags: string[], fields: Partial<InspectedImage> = {}): InspectedImage => ({ id, repoTags, repoDigests: [], ...fields });

/** An engine holding these images, counting listings and inspections (the real engine answers in connect.spec.ts and the e2e specs). */
function fakeEngine(images: InspectedImage[], canInspect = true) {
  const asked = { listings: 0, inspections: [] as string[] };
  const engine = {
    endpoint: { kind: 'unix' as const, socketPath: '/var/run/docker.sock', source: 'the default socket' },
    calls: 0,
    ping: async () => undefined,
    listImages: async () => {
      asked.listings++;
      return images;
    },
    ...(canInspect && {
      // As the engine answers GET /images/{ref}/json: by ID, ID prefix, or any spelling of a tag.
      inspectImage: async (refOrId: string) => {
        asked.inspections.push(refOrId);
        return images.find((i) => i.id === refOrId || i.id.startsWith(`sha256:${refOrId}`) || i.repoTags.some((tag) => tag === refOrId || `docker.io/library/${tag}` === refOrId));
      },
    }),
    tag: async () => undefined,
    run: () => Promise.reject(new Error('no process in this test')),
    registryRequest: () => Promise.reject(new Error('no registry in this test')),
  } satisfies EngineClient;
  return { engine, asked };
}

describe('chooseImageLookup', () => {
  it('asks by reference for up to a few images on an engine that inspects, else lists once', () => {
    const { engine } = fakeEngine([]);
    expect(chooseImageLookup(1, engine)).toBe('by-reference');
    expect(chooseImageLookup(BY_REFERENCE_UP_TO, engine)).toBe('by-reference');
    expect(chooseImageLookup(BY_REFERENCE_UP_TO + 1, engine)).toBe('listing');
    expect(chooseImageLookup(1, fakeEngine([], false).engine)).toBe('listing');
  });
});

describe('LocalImages', () => {
  const images = [image('sha256:aaaa1', ['debian:bookworm-slim'], { sizeBytes: 10 }), image('sha256:bbbb2', ['localhost:5000/api:nxb-1'], { sizeBytes: 20 })];

  it('by reference: asks each reference once, in any spelling, and never lists', async () => {
    const { engine, asked } = fakeEngine(images);
    const local = new LocalImages(engine, 'by-reference');
    local.prefetch();
    const found = await Promise.all(['debian:bookworm-slim', 'docker.io/library/debian:bookworm-slim', 'localhost:5000/api:nxb-1', 'absent:1', 'debian:bookworm-slim'].map((ref) => local.find(ref)));
    expect(found.map((i) => i?.id)).toEqual(['sha256:aaaa1', 'sha256:aaaa1', 'sha256:bbbb2', undefined, 'sha256:aaaa1']);
    expect(asked.inspections).toEqual(['debian:bookworm-slim', 'localhost:5000/api:nxb-1', 'absent:1']);
    expect(asked.listings).toBe(0);
  });

  it('by reference: an answer for an ID prefix or digest is not a tag, so it is not found (as in the listing)', async () => {
    const { engine } = fakeEngine(images);
    const local = new LocalImages(engine, 'by-reference');
    expect(await local.find('aaaa')).toBeUndefined();
    expect(await new LocalImages(engine, 'listing').find('aaaa')).toBeUndefined();
  });

  it('listing: one listing answers every look-up, started by prefetch', async () => {
    const { engine, asked } = fakeEngine(images);
    const local = new LocalImages(engine, 'listing');
    local.prefetch();
    expect(asked.listings).toBe(1);
    expect((await local.find('docker.io/library/debian:bookworm-slim'))?.id).toBe('sha256:aaaa1');
    expect(await local.find('absent:1')).toBeUndefined();
    expect(asked).toEqual({ listings: 1, inspections: [] });
  });

  it('byIds: images seen in the run cost no call; a few unseen ones are inspected by ID', async () => {
    const { engine, asked } = fakeEngine(images);
    const local = new LocalImages(engine, 'by-reference');
    await local.find('debian:bookworm-slim');
    expect((await local.byIds(['sha256:aaaa1'])).map((i) => i.sizeBytes)).toEqual([10]);
    expect(asked.inspections).toEqual(['debian:bookworm-slim']);
    expect((await local.byIds(['sha256:aaaa1', 'sha256:bbbb2', 'sha256:gone'])).map((i) => i.sizeBytes)).toEqual([10, 20]);
    expect(asked.inspections).toEqual(['debian:bookworm-slim', 'sha256:bbbb2', 'sha256:gone']);
    expect(asked.listings).toBe(0);
  });

  it('byIds: many unseen images (a batch that built many) come from one fresh listing', async () => {
    const many = Array.from({ length: BY_REFERENCE_UP_TO + 1 }, (_, i) => image(`sha256:${i}`, [`img${i}:latest`], { sizeBytes: i }));
    const { engine, asked } = fakeEngine(many);
    const local = new LocalImages(engine, 'listing');
    expect((await local.byIds(many.map((i) => i.id))).map((i) => i.sizeBytes)).toEqual(many.map((i) => i.sizeBytes));
    expect(asked).toEqual({ listings: 1, inspections: [] });
  });

  it('findAgain asks afresh (after a pull), by reference when it can, else through a listing', async () => {
    const pulled = [...images];
    const { engine, asked } = fakeEngine(pulled);
    const local = new LocalImages(engine, 'by-reference');
    expect(await local.find('registry:5000/app:nxb-2')).toBeUndefined();
    pulled.push(image('sha256:cccc3', ['registry:5000/app:nxb-2']));
    expect((await local.findAgain('registry:5000/app:nxb-2'))?.id).toBe('sha256:cccc3');
    expect(asked.inspections).toEqual(['registry:5000/app:nxb-2', 'registry:5000/app:nxb-2']);
    const listingOnly = fakeEngine(pulled, false);
    expect((await new LocalImages(listingOnly.engine, 'listing').findAgain('registry:5000/app:nxb-2'))?.id).toBe('sha256:cccc3');
    expect(listingOnly.asked.listings).toBe(1);
  });
});
