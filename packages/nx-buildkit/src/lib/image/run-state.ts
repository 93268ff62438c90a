import { join } from 'node:path';
import { BaseIdentityResolver } from './identity/base-identity';
import { CacheExportSupport, probeCacheExport } from '../engine/cache-export';
import { DigestCache, openDigestCache } from '../context';
import { assertBuildxInstalled } from '../engine/buildx-installed';
import { connectEngine, EngineClient } from '../engine/client';
import { describeEndpoint } from '../engine/endpoint';
import { assertPodmanInstalled } from '../engine/podman/client';
import type { InspectedImage } from './identity/image-identity';
import { ImageLookup, LocalImages } from './local-images';
import { indexRecordedHashes } from './record';
import { findRemoteDigest } from '../engine/registry';
import { WorkspaceImages } from './workspace-images';
import { createRunDockerfiles, RunDockerfiles } from './run-dockerfiles';

/** Beside the records: what a file's content hashed to, for files whose stat has not changed since. */
const DIGEST_CACHE_FILE = '.file-digests.json';

/**
 * What the images of one run share, so that what a run asks of the engine does not grow with the number of images:
 * one engine connection, one look-up per local image asked about (or, for more than a few images, one listing that
 * answers them all: local-images.ts), one base-image resolver, one buildx check (only once something is built).
 */
export interface RunState {
  readonly engine: EngineClient;
  readonly baseIdentities: BaseIdentityResolver;
  /** Inputs hashes of images planned in this run, by canonical reference (an image FROM one of them names it so). */
  readonly knownImageHashes: Record<string, string>;
  /** `<repository>:nxb-…` of every image hashed in this run, by inputs hash: a build FROM one of them is pinned to it. */
  readonly imageRefsByHash: Map<string, string>;
  /** The images the workspace's build targets make: a FROM one of them is named by its inputs hash in this checkout. */
  readonly workspaceImages: WorkspaceImages;
  /** Each Dockerfile of the run read once, parsed once per set of build args (run-dockerfiles.ts). */
  readonly dockerfiles: RunDockerfiles;
  /** How this run asks for local images: by reference (few images) or one listing. */
  readonly imageLookup: ImageLookup;
  /** Starts the listing, when the run lists, so that its round trip overlaps the ping's. */
  prefetchLocalImages(): void;
  /** The local image a reference names (asked once per run). */
  localImage(ref: string): Promise<InspectedImage | undefined>;
  /** The local image a reference names now, asked afresh (after a pull). */
  localImageAgain(ref: string): Promise<InspectedImage | undefined>;
  /** The local images with these IDs (sizes for the report): seen in this run, else asked once more. */
  localImagesById(ids: readonly string[]): Promise<InspectedImage[]>;
  /** Fails once, with one message, when buildx (or, with podman, the podman CLI) is missing; asked only before a build. */
  buildxReady(): Promise<void>;
  /** Whether a builder (the named one, else the current one) can write a layer cache: asked once per builder per run. */
  cacheExport(builder: string | undefined): Promise<CacheExportSupport>;
  /** Prints a line once per run, however many images have the same thing to say. */
  noticeOnce(line: string): void;
  /** The file digests remembered in a record folder (`<recordDir>/.file-digests.json`), opened once per run. */
  digestCache(recordDir: string): DigestCache;
  /** Writes what the run learnt of file digests; called once every image is hashed. */
  saveDigestCaches(): void;
  /**
   * The inputs hash of the last record in a record folder that tagged a reference (indexRecordedHashes), the folder
   * read once per run: images are hashed before the run writes any record.
   */
  recordedHash(recordDir: string, ref: string): string | undefined;
}

export function createRunState(
  engine: EngineClient = connectEngine(),
  say: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  workspaceImages: WorkspaceImages = new WorkspaceImages([], process.cwd()),
  dockerfiles: RunDockerfiles = createRunDockerfiles(),
  imageLookup: ImageLookup = 'listing',
): RunState {
  const cacheExports = new Map<string, Promise<CacheExportSupport>>();
  const noticed = new Set<string>();
  const digestCaches = new Map<string, DigestCache>();
  const recordIndexes = new Map<string, (ref: string) => string | undefined>();
  let buildx: Promise<void> | undefined;
  const images = new LocalImages(engine, imageLookup);
  const localImage = (ref: string) => images.find(ref);
  const noticeOnce = (line: string) => {
    if (noticed.has(line)) return;
    noticed.add(line);
    say(line);
  };
  return {
    engine,
    knownImageHashes: {},
    imageRefsByHash: new Map(),
    workspaceImages,
    dockerfiles,
    imageLookup,
    prefetchLocalImages: () => images.prefetch(),
    localImage,
    localImageAgain: (ref) => images.findAgain(ref),
    localImagesById: (ids) => images.byIds(ids),
    buildxReady: () => (buildx ??= engine.kind === 'podman' ? assertPodmanInstalled(engine) : assertBuildxInstalled(engine)),
    cacheExport: (builder) => {
      const key = builder ?? '';
      if (!cacheExports.has(key)) cacheExports.set(key, probeCacheExport(engine, builder));
      return cacheExports.get(key) as Promise<CacheExportSupport>;
    },
    digestCache: (recordDir) => {
      if (!digestCaches.has(recordDir)) digestCaches.set(recordDir, openDigestCache(join(recordDir, DIGEST_CACHE_FILE), noticeOnce));
      return digestCaches.get(recordDir) as DigestCache;
    },
    saveDigestCaches: () => {
      for (const cache of digestCaches.values()) cache.save();
    },
    recordedHash: (recordDir, ref) => {
      if (!recordIndexes.has(recordDir)) recordIndexes.set(recordDir, indexRecordedHashes(recordDir, noticeOnce));
      return (recordIndexes.get(recordDir) as (ref: string) => string | undefined)(ref);
    },
    noticeOnce,
    baseIdentities: new BaseIdentityResolver({
      inspectImages: async (refs) => (await Promise.all(refs.map(localImage))).filter((image): image is InspectedImage => image !== undefined),
      remoteDigest: (ref) => findRemoteDigest(engine, ref),
    }),
  };
}

/**
 * For --verbose (NX_VERBOSE_LOGGING): what the run asked of the engine and the registry, so its cost can be checked.
 * One count for processes and requests alike (the engine client counts each, engine-door.ts).
 */
export function engineCallsLine(run: RunState): string {
  const { endpoint, calls } = run.engine;
  const program = run.engine.kind === 'podman' ? 'podman' : 'docker';
  const api = endpoint.kind === 'cli' ? '' : 'API round trips, ';
  const what = run.engine.kind === 'podman' ? 'podman calls' : 'engine calls';
  return `nx-buildkit: ${calls} ${what} (${api}${program} processes and registry requests) (${describeEndpoint(endpoint)})`;
}
