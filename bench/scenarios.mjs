// What `npm run bench` measures: sizes, repetitions and the sample projects of each scenario. The driver is
// scripts/bench/bench.mjs; the Python and Vite apps it builds are in bench/fixtures/.
//
// Repetitions follow issue 8: every figure is the median and min–max of at least 5 runs (3 for cold builds), and the
// two sides of a ratio run interleaved (A, B, A, B …) in one session. Sizes are chosen so a full run stays under about
// 40 minutes on a 2-core machine.

/** Debian packages of the "realistic" Python backend (B2): a TLS client, the PostgreSQL client library, a compiler. */
export const PYTHON_SYSTEM_PACKAGES = ['curl', 'libpq5', 'gcc', 'libc6-dev'];

/**
 * A generic service image for B1 and B4: config first, then source. The base images rotate, so the skip check looks up
 * each of the three local base images.
 */
export const SERVICE_BASE_IMAGES = ['debian:bookworm-slim', 'python:3.11-slim-bookworm', 'node:20-bookworm-slim'];

export function serviceDockerfile(baseImage) {
  return [
    `FROM ${baseImage}`,
    'WORKDIR /app',
    'COPY config/ ./config/',
    'COPY src/ ./src/',
    'CMD ["ls", "-R", "/app"]',
    '',
  ].join('\n');
}

export const full = {
  b1: {
    images: 20,
    /** Per image: files under src/ and their total size. */
    context: { files: 200, bytes: 2_000_000 },
    runs: 5,
    parallel: 3,
    hashCorpus: { files: 10_000, bytes: 200_000_000 },
    /** Many small files (issue 31): where per-file costs (stat, open, digest) show. */
    smallFileCorpus: { files: 50_000, bytes: 50_000_000 },
    hashRuns: 5,
  },
  b2: { runs: 5, profileRuns: 3 },
  b3: {
    /**
     * 8 images with generated Dockerfiles: Python backends with different apt packages (the first and last share their
     * base stage, as services of one team do) and Vite frontends, each its own npm package.
     */
    images: [
      { kind: 'python', systemPackages: ['curl', 'libpq5'] },
      { kind: 'python', systemPackages: ['curl'] },
      { kind: 'python', systemPackages: ['libpq5', 'libxml2'] },
      { kind: 'python', systemPackages: ['curl', 'libjpeg62-turbo'] },
      { kind: 'python', systemPackages: ['curl', 'libpq5'] },
      { kind: 'vite' },
      { kind: 'vite' },
      { kind: 'vite' },
    ],
    coldRuns: 3,
    parallel: [1, 4],
  },
  b4: {
    /**
     * Growth with the number of images (5, 20, 50 with small contexts) and with the context size (20 images with small
     * and with large contexts). 50 images with large contexts would add ~10 minutes on 2 cores and tell nothing the
     * two axes do not.
     */
    contexts: {
      small: { files: 20, bytes: 100_000 },
      large: { files: 1_000, bytes: 10_000_000 },
    },
    cases: [
      { context: 'small', images: 5 },
      { context: 'small', images: 20 },
      { context: 'small', images: 50 },
      { context: 'large', images: 20 },
    ],
    runs: 5,
    parallel: 3,
  },
  /** B5/B6: fresh runners (empty engines in network namespaces of their own) and one registry on 127.0.0.1. */
  b5: { images: 20, context: { files: 200, bytes: 2_000_000 }, runs: 3, parallel: 3, installBytes: 50_000_000, installRounds: 150 },
  b4batch: {
    /** Batch mode (the default) at 5, 20, 50 and 100 images with small contexts, beside as many nx:noop tasks. */
    images: [5, 20, 50, 100],
    context: { files: 20, bytes: 100_000 },
    runs: 5,
    /** Where the time goes (CPU per process, a V8 profile of the batch process): on the 50-image case, 3 runs. */
    profileImages: 50,
    profileRuns: 3,
  },
  /** B4 no-op beside Nx's floor on the oldest (21) and newest (24) supported Nx, interleaved (issue #25). */
  b4nx: { images: [20, 50], context: { files: 20, bytes: 100_000 }, runs: 5 },
  /** B7: a no-op of 20 images built for two platforms (one index each) against the same for one platform (issue #32). */
  b7: { images: 20, context: { files: 200, bytes: 2_000_000 }, runs: 5, parallel: 3 },
  /** The Nx-generated workspace: the web install pruned and whole (3 rounds), a code-only change per app type (3 rounds). */
  b8: { installRuns: 3, changeRuns: 3 },
};

/** NXB_BENCH_QUICK=1: the same scenarios, fewer and smaller; labelled as such in the results, not for comparison. */
export const quick = {
  b1: { ...full.b1, images: 5, runs: 2, hashCorpus: { files: 1_000, bytes: 20_000_000 }, smallFileCorpus: { files: 5_000, bytes: 5_000_000 }, hashRuns: 2 },
  b2: { runs: 2, profileRuns: 1 },
  b3: { ...full.b3, images: [full.b3.images[0], full.b3.images[5]], coldRuns: 1 },
  b4: { ...full.b4, cases: [{ context: 'small', images: 2 }, { context: 'small', images: 5 }, { context: 'large', images: 2 }], runs: 2 },
  b4batch: { ...full.b4batch, images: [2, 5], runs: 2, profileImages: 5, profileRuns: 1 },
  b4nx: { ...full.b4nx, images: [5], runs: 2 },
  b5: { ...full.b5, images: 4, runs: 1, installRounds: 10 },
  b7: { ...full.b7, images: 4, runs: 2 },
  b8: { installRuns: 1, changeRuns: 1 },
};
