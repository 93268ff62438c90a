import type { EngineClient } from '../engine/client';
import { hasTag, InspectedImage } from './identity/image-identity';
import { canonicalReference } from './identity/image-ref';

/**
 * How a run finds local images. `listing`: one GET /images/json answers every look-up; its cost grows with every
 * image the engine holds (30 ms for 290 images on this machine, more on a laptop that has kept years of them), not
 * with the run. `by-reference`: GET /images/{ref}/json for each reference the run asks about (1.5 ms each, asked
 * concurrently), which is what a run of one or a few images — the edit-and-rebuild loop — needs.
 */
export type ImageLookup = 'listing' | 'by-reference';

/**
 * Up to this many images a run asks by reference: each asks about its hash tag and its base images, so the round trips
 * stay few; above it, one listing, so a run's round trips do not grow with its images (engine-calls.spec.ts).
 */
export const BY_REFERENCE_UP_TO = 4;

/** By reference for a run of few images on an engine that answers inspections; else one listing. */
export function chooseImageLookup(images: number, engine: Pick<EngineClient, 'inspectImage'>): ImageLookup {
  return images <= BY_REFERENCE_UP_TO && engine.inspectImage ? 'by-reference' : 'listing';
}

/**
 * The local images one run sees, asked of the engine as its lookup says, each question asked once. Images are also
 * kept by ID: an ID names one image's content, so its size read once stays true for the run (the report's sizes).
 */
export class LocalImages {
  private listing: Promise<InspectedImage[]> | undefined;
  private byReference: Promise<Map<string, InspectedImage>> | undefined;
  private readonly inspected = new Map<string, Promise<InspectedImage | undefined>>();
  private readonly seen = new Map<string, InspectedImage>();

  constructor(
    private readonly engine: EngineClient,
    readonly lookup: ImageLookup = 'listing',
  ) {}

  /** Starts what the first look-ups will wait for (the listing), so its round trip overlaps others. */
  prefetch(): void {
    if (this.lookup === 'listing') this.list().catch(() => undefined);
  }

  /** The local image a reference names (by one of its tags, in any spelling), or undefined. */
  async find(ref: string): Promise<InspectedImage | undefined> {
    const canonical = canonicalReference(ref);
    if (this.lookup === 'listing') return (await this.index()).get(canonical);
    if (!this.inspected.has(canonical)) this.inspected.set(canonical, this.inspect(ref).then((image) => (image && hasTag(image, canonical) ? image : undefined)));
    return this.inspected.get(canonical);
  }

  /** The local image a reference names now, asked afresh (after a pull the run's answers are stale). */
  async findAgain(ref: string): Promise<InspectedImage | undefined> {
    const image = this.engine.inspectImage ? await this.inspect(ref) : (await this.engine.listImages()).find((listed) => hasTag(listed, ref));
    return image && hasTag(image, ref) ? this.keep(image) : undefined;
  }

  /**
   * The images with these IDs that exist: those the run has seen, and the rest (built or pulled in the run) inspected
   * one by one when they are few, else from one fresh listing.
   */
  async byIds(ids: readonly string[]): Promise<InspectedImage[]> {
    const unseen = [...new Set(ids)].filter((id) => !this.seen.has(id));
    if (unseen.length > 0) {
      if (this.engine.inspectImage && unseen.length <= BY_REFERENCE_UP_TO) await Promise.all(unseen.map((id) => this.inspect(id)));
      else for (const image of await this.engine.listImages()) this.keep(image);
    }
    return ids.map((id) => this.seen.get(id)).filter((image): image is InspectedImage => image !== undefined);
  }

  private list(): Promise<InspectedImage[]> {
    return (this.listing ??= this.engine.listImages().then((images) => images.map((image) => this.keep(image))));
  }

  private index(): Promise<Map<string, InspectedImage>> {
    return (this.byReference ??= this.list().then((images) => {
      const map = new Map<string, InspectedImage>();
      for (const image of images) for (const tag of image.repoTags) map.set(canonicalReference(tag), image);
      return map;
    }));
  }

  private async inspect(refOrId: string): Promise<InspectedImage | undefined> {
    const image = await this.engine.inspectImage?.(refOrId);
    return image && this.keep(image);
  }

  private keep(image: InspectedImage): InspectedImage {
    this.seen.set(image.id, image);
    return image;
  }
}
