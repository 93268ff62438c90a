// B1 no-op: a workspace of N service images that are all up to date. nx-buildkit's inferred docker-build (skips by
// inputs hash) against @nx/docker's inferred docker:build (`docker build .`, every step a BuildKit cache hit) on the
// same Dockerfiles; then the executor's own skip cost and the hashing throughput on a large context.
import { join } from 'node:path';
import { writeFiles, writeServiceProject } from '../lib/fixtures.mjs';
import { summarize, ratio, median } from '../lib/stats.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { expectRecords, runMany, runProbe } from './timed-runs.mjs';

export async function benchNoop({ installDir, pluginDir, config, log, here, batch }) {
  const prefix = 'nxb-bench-b1-';
  const ws = createWorkspace(installDir, 'b1', {
    plugins: [
      { plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}` } },
      // Same image naming for @nx/docker, so cleanup finds its images by the bench prefix too.
      { plugin: '@nx/docker', options: { buildTarget: { name: 'docker:build', skipDefaultTag: true, args: [`--tag ${prefix}nxdocker-{projectName}`] } } },
    ],
  });
  const projects = [];
  for (let i = 0; i < config.images; i++) {
    const name = `svc${String(i + 1).padStart(2, '0')}`;
    const root = writeServiceProject(ws, name, i, config.context);
    projects.push({ name, root, image: `${prefix}${name}` });
  }
  const names = projects.map((p) => p.name);
  const parallel = [`--parallel=${config.parallel}`];
  // One task per image (Nx forks each), stated explicitly in case a plugin version prefers batch mode by default.
  const perTask = [...parallel, '--batch=false'];
  const batched = [...parallel, '--batch'];

  log(`B1: first builds of ${config.images} images (nx-buildkit, then @nx/docker on the same cache), one untimed no-op each`);
  await runMany(ws, 'docker-build', perTask);
  expectRecords(ws, names, 'built');
  await runMany(ws, 'docker:build', parallel);
  await runMany(ws, 'docker-build', perTask);
  expectRecords(ws, names, 'skipped');
  await runMany(ws, 'docker:build', parallel);
  if (batch.available) await runMany(ws, 'docker-build', batched);

  const nxb = [];
  const nxDocker = [];
  const nxbBatch = [];
  const skipPerImageInRun = [];
  for (let round = 1; round <= config.runs; round++) {
    nxb.push(await runMany(ws, 'docker-build', perTask));
    const records = expectRecords(ws, names, 'skipped');
    skipPerImageInRun.push(median(records.map((r) => r.durationMs)));
    nxDocker.push(await runMany(ws, 'docker:build', parallel));
    if (batch.available) {
      nxbBatch.push(await runMany(ws, 'docker-build', batched));
      expectRecords(ws, names, 'skipped');
    }
    log(
      `B1: round ${round}/${config.runs}: nx-buildkit ${nxb.at(-1).toFixed(1)} s, @nx/docker ${nxDocker.at(-1).toFixed(1)} s${batch.available ? `, nx-buildkit --batch ${nxbBatch.at(-1).toFixed(1)} s` : ''}`,
    );
  }

  log('B1: executor skip cost in-process (one image after the other)');
  const probe = await runProbe(join(here, 'probes/skip-cost.mjs'), ws, { workspaceRoot: ws.root, pluginDir, projects, runs: config.runs });
  const perRunExecutor = probe.runs.map((r) => median(r.executorMs));
  const perRunHash = probe.runs.map((r) => median(r.hashMs));

  const hashing = await measureHashing(ws, pluginDir, here, 'hash-corpus', config.hashCorpus, config.hashRuns, log);
  const smallFileHashing = config.smallFileCorpus ? await measureHashing(ws, pluginDir, here, 'small-file-corpus', config.smallFileCorpus, config.hashRuns, log) : undefined;
  const contextBytes = config.context.bytes;

  return {
    title: 'B1 no-op',
    setup: {
      images: config.images,
      contextPerImage: { files: config.context.files + 3, bytes: contextBytes },
      parallel: config.parallel,
      command: `nx run-many -t <target> --parallel=${config.parallel} --skip-nx-cache (NX_DAEMON=false), flags per row below`,
    },
    wallSeconds: { nxBuildkit: summarize(nxb), nxDocker: summarize(nxDocker), nxBuildkitBatch: batch.available ? summarize(nxbBatch) : undefined },
    ratioNxDockerOverNxBuildkit: ratio(nxDocker, nxb),
    ratioNxDockerOverNxBuildkitBatch: batch.available ? ratio(nxDocker, nxbBatch) : undefined,
    skipCostPerImageMs: {
      inRunMany: summarize(skipPerImageInRun),
      inProcessExecutor: summarize(perRunExecutor),
      inProcessHashOnly: summarize(perRunHash),
    },
    hashing,
    smallFileHashing,
  };
}

/** Cold hashing of one context (files in the page cache, no digest cache) beside reading its files once. */
async function measureHashing(ws, pluginDir, here, folder, corpusConfig, runs, log) {
  log(`B1: hashing throughput on ${corpusConfig.files} files / ${corpusConfig.bytes / 1e6} MB`);
  const corpus = join(ws.root, folder);
  writeFiles(join(corpus, 'files'), corpusConfig, 'corpus');
  ws.write(`${folder}/Dockerfile`, 'FROM debian:bookworm-slim\nCOPY . /data\n');
  const hashing = await runProbe(join(here, 'probes/hash-throughput.mjs'), ws, { pluginDir, context: corpus, runs });
  const mb = hashing.bytes / 1e6;
  return {
    files: hashing.files,
    megabytes: Math.round(mb),
    readOnceMBps: summarize(hashing.runs.map((r) => mb / (r.readMs / 1000))),
    hashMBps: summarize(hashing.runs.map((r) => mb / (r.hashMs / 1000))),
    readOnceSeconds: summarize(hashing.runs.map((r) => r.readMs / 1000)),
    readOnceSyncSeconds: summarize(hashing.runs.map((r) => r.readSyncMs / 1000)),
    digestOnceSyncSeconds: summarize(hashing.runs.map((r) => r.digestSyncMs / 1000)),
    hashSeconds: summarize(hashing.runs.map((r) => r.hashMs / 1000)),
    walkSeconds: summarize(hashing.runs.map((r) => r.walkMs / 1000)),
    hashOverRead: ratio(hashing.runs.map((r) => r.hashMs), hashing.runs.map((r) => r.readMs)),
    hashOverReadSync: ratio(hashing.runs.map((r) => r.hashMs), hashing.runs.map((r) => r.readSyncMs)),
    hashOverDigestSync: ratio(hashing.runs.map((r) => r.hashMs), hashing.runs.map((r) => r.digestSyncMs)),
  };
}
