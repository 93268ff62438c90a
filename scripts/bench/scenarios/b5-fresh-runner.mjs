// B5 and B6: fresh CI runners. Each round gets engines that have never built anything (a dockerd in a network
// namespace of its own, empty build cache, no images), the checkout the images were built from, and one registry on
// 127.0.0.1 that holds the base images and what earlier runs pushed — what an ephemeral runner has.
//   B5: 20 unchanged images. nx-buildkit skips them through the registry (the hash tags are there); @nx/docker's
//       `docker build` has no such record and rebuilds every image on the empty engine.
//   B6: one changed image among 20 (the engines have the containerd image store, so the registry layer cache can be
//       written). nx-buildkit with the registry layer cache it writes by default against the same build with
//       cacheFrom/cacheTo set to [] (no layer cache leaves a machine).
import { appendLine, RUN_NONCE, writeFiles, writeServiceProject } from '../lib/fixtures.mjs';
import { startMachines } from '../lib/machines.mjs';
import { run } from '../lib/run.mjs';
import { summarize, ratio } from '../lib/stats.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { SERVICE_BASE_IMAGES } from '../../../bench/scenarios.mjs';
import { join } from 'node:path';
import { expectRecords, runMany } from './timed-runs.mjs';

export async function benchFreshRunner({ installDir, config, log }) {
  const machines = startMachines();
  try {
    const { host } = await machines.registry();
    // The bases live in the registry, as official images do; no fresh engine has them.
    const bases = {};
    for (const base of SERVICE_BASE_IMAGES) {
      bases[base] = `${host}/${base}`;
      await run('docker', ['tag', base, bases[base]]);
      await run('docker', ['push', '--quiet', bases[base]]);
    }
    return { title: 'B5 and B6 fresh runners', b5: await benchUnchanged({ installDir, config, log, machines, host, bases }), b6: await benchOneChanged({ installDir, config, log, machines, host, bases }) };
  } finally {
    await machines.close();
  }
}

async function benchUnchanged({ installDir, config, log, machines, host, bases }) {
  const prefix = 'nxb-bench-b5-';
  const ws = createWorkspace(installDir, 'b5', {
    plugins: [
      { plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}`, registry: host, push: true } },
      { plugin: '@nx/docker', options: { buildTarget: { name: 'docker:build', skipDefaultTag: true, args: [`--tag ${prefix}nxdocker-{projectName}`] } } },
    ],
  });
  const names = [];
  for (let i = 0; i < config.images; i++) {
    const name = `svc${String(i + 1).padStart(2, '0')}`;
    const root = writeServiceProject(ws, name, i, config.context);
    const base = SERVICE_BASE_IMAGES[i % SERVICE_BASE_IMAGES.length];
    ws.write(`${root}/Dockerfile`, ws.read(`${root}/Dockerfile`).replace(`FROM ${base}`, `FROM ${bases[base]}`));
    names.push(name);
  }
  log(`B5: first build and push of ${config.images} images on the main engine`);
  await runMany(ws, 'docker-build', [`--parallel=${config.parallel}`]);
  expectRecords(ws, names, 'built');

  const nxb = [];
  const warm = [];
  const nxDocker = [];
  const noOp = (env) => ws.nx(['run-many', '-t', 'docker-build', `--parallel=${config.parallel}`, '--output-style=static', '--skip-nx-cache'], { env });
  for (let round = 1; round <= config.runs; round++) {
    const fresh = await machines.engine();
    ws.clearRecords();
    nxb.push((await noOp(fresh.env)).ms / 1000);
    expectRecords(ws, names, 'skipped').forEach((record) => {
      if (record.skippedBecause !== 'registry') throw new Error(`B5: ${record.project} was skipped as ${record.skippedBecause}, not through the registry`);
    });
    await machines.stopEngine(fresh.id);
    // The same no-op on a warm machine (B1's case): the main engine, which built the images, and the records and file
    // digests the fresh run just wrote. The same options (registry, push): each image is still checked in the registry.
    warm.push((await noOp({})).ms / 1000);
    expectRecords(ws, names, 'skipped').forEach((record) => {
      if (record.skippedBecause !== 'local') throw new Error(`B5 warm: ${record.project} was skipped as ${record.skippedBecause}, not found in the engine`);
    });
    const other = await machines.engine();
    nxDocker.push((await ws.nx(['run-many', '-t', 'docker:build', `--parallel=${config.parallel}`, '--output-style=static', '--skip-nx-cache'], { env: other.env })).ms / 1000);
    await machines.stopEngine(other.id);
    log(`B5: round ${round}/${config.runs}: nx-buildkit ${nxb.at(-1).toFixed(1)} s (warm machine ${warm.at(-1).toFixed(1)} s), @nx/docker ${nxDocker.at(-1).toFixed(1)} s`);
  }
  return {
    title: 'B5 fresh runner, unchanged images',
    setup: { images: config.images, contextPerImage: config.context, parallel: config.parallel, command: `nx run-many -t <target> --parallel=${config.parallel} --skip-nx-cache (NX_DAEMON=false) on an empty engine per run` },
    wallSeconds: { nxBuildkit: summarize(nxb), nxBuildkitWarm: summarize(warm), nxDocker: summarize(nxDocker) },
    ratioNxDockerOverNxBuildkit: ratio(nxDocker, nxb),
    // Above 1: the fresh runner's no-op costs more than the same no-op on a warm machine (issue 31: at most 1.25).
    ratioFreshOverWarm: ratio(nxb, warm),
  };
}

async function benchOneChanged({ installDir, config, log, machines, host, bases }) {
  const prefix = 'nxb-bench-b6-';
  const ws = createWorkspace(installDir, 'b6', { plugins: [{ plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}`, registry: host, push: true } }] });
  const names = [];
  const base = bases[SERVICE_BASE_IMAGES[0]];
  for (let i = 0; i < config.images; i++) {
    const name = `svc${String(i + 1).padStart(2, '0')}`;
    const root = `apps/${name}`;
    ws.writeJson(`${root}/project.json`, { name, root });
    // The install layer: CPU-bound work that stands for a dependency install (the runners reach no package index).
    ws.write(
      `${root}/Dockerfile`,
      [`FROM ${base}`, 'WORKDIR /app', `RUN head -c ${config.installBytes} /dev/urandom | sha256sum > /deps.sum && for i in $(seq 1 ${config.installRounds}); do head -c 20000000 /dev/zero | sha256sum > /dev/null; done`, 'COPY src/ ./src/', ''].join('\n'),
    );
    writeFiles(join(ws.root, root, 'src'), config.context, name);
    names.push(name);
  }
  const changed = names[0];
  const changedFile = join(ws.root, 'apps', changed, 'src', 'file-0000.txt');
  const withoutCache = (off) => ws.writeJson(`apps/${changed}/project.json`, { name: changed, root: `apps/${changed}`, ...(off && { targets: { 'docker-build': { options: { cacheFrom: [], cacheTo: [] } } } }) });

  log(`B6: first build and push of ${config.images} images on a fresh engine with the containerd store (writes the registry layer cache)`);
  const first = await machines.engine(true);
  await ws.nx(['run-many', '-t', 'docker-build', `--parallel=${config.parallel}`, '--output-style=static', '--skip-nx-cache'], { env: first.env });
  expectRecords(ws, names, 'built');
  await machines.stopEngine(first.id);

  const cached = [];
  const uncached = [];
  const stepsCached = [];
  let change = 0;
  const rebuildOnFreshEngine = async (off) => {
    withoutCache(off);
    appendLine(changedFile, `change ${++change} of run ${RUN_NONCE}`);
    const fresh = await machines.engine(true);
    ws.clearRecords();
    const seconds = (await ws.nx(['run-many', '-t', 'docker-build', `--parallel=${config.parallel}`, '--output-style=static', '--skip-nx-cache'], { env: fresh.env })).ms / 1000;
    const records = expectRecords(ws, names, (name) => (name === changed ? 'built' : 'skipped'));
    await machines.stopEngine(fresh.id);
    return { seconds, record: records[0] };
  };
  for (let round = 1; round <= config.runs; round++) {
    const withCache = await rebuildOnFreshEngine(false);
    cached.push(withCache.seconds);
    stepsCached.push(withCache.record.steps?.cached ?? 0);
    uncached.push((await rebuildOnFreshEngine(true)).seconds);
    log(`B6: round ${round}/${config.runs}: registry layer cache ${cached.at(-1).toFixed(1)} s (${stepsCached.at(-1)} steps cached), none ${uncached.at(-1).toFixed(1)} s`);
  }
  withoutCache(false);
  return {
    title: 'B6 fresh runner, one changed image among 20',
    setup: { images: config.images, install: `RUN: ${config.installBytes} random bytes hashed + ${config.installRounds} × 20 MB hashed`, parallel: config.parallel },
    wallSeconds: { withRegistryCache: summarize(cached), withoutCache: summarize(uncached) },
    stepsCachedWithRegistryCache: summarize(stepsCached),
    ratioWithoutOverWith: ratio(uncached, cached),
  };
}
