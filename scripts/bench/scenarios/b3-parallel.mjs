// B3 parallel: 8 images built from an empty build cache (base images kept): Python backends and Vite frontends
// with generated Dockerfiles, built with `--parallel=1`, `--parallel=4` and, when the installed plugin has a
// batchImplementation, Nx batch mode — interleaved run by run. Before each run the bench's images are removed and
// `docker builder prune -af` empties BuildKit's cache, cache mounts included. Beside them, in the same rounds, the
// same Dockerfiles built by bare `docker buildx build`s, as many at once as the batch row allows and no Nx around them:
// what BuildKit itself makes of building them side by side, the most any mode of an Nx executor can get.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pruneBuildCache, removeImages } from '../lib/engine.mjs';
import { run } from '../lib/run.mjs';
import { ratio, summarize } from '../lib/stats.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { bareBuildArgs, expectRecords, runMany } from './timed-runs.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/fixtures');
const PREFIX = 'nxb-bench-b3-';

export async function benchParallel({ installDir, config, log, batch }) {
  const ws = createWorkspace(installDir, 'b3', { plugins: [{ plugin: 'nx-buildkit', options: { image: `${PREFIX}{projectName}` } }] });
  const names = [];
  for (const [index, image] of config.images.entries()) {
    const name = `${image.kind === 'python' ? 'api' : 'web'}${index + 1}`;
    const root = `apps/${name}`;
    ws.copy(join(fixtures, image.kind === 'python' ? 'python-api' : 'vite-web', 'app'), root);
    ws.writeJson(`${root}/project.json`, { name, root });
    // Each app is its own package, as in a real monorepo: its manifest differs, so its install is its own step.
    if (image.kind === 'python') {
      ws.write(`${root}/pyproject.toml`, ws.read(`${root}/pyproject.toml`).replace('name = "bench-api"', `name = "bench-${name}"`));
      await ws.nx(['g', 'nx-buildkit:backend', name, `--systemPackages=${image.systemPackages.join(',')}`, '--no-interactive']);
    } else {
      for (const file of ['package.json', 'package-lock.json']) ws.write(`${root}/${file}`, ws.read(`${root}/${file}`).replaceAll('"bench-web"', `"bench-${name}"`));
      await ws.nx(['g', 'nx-buildkit:frontend', name, '--no-interactive']);
    }
    names.push(name);
  }

  const atOnce = Math.max(...config.parallel);
  const modes = [
    ...config.parallel.map((p) => ({ id: `parallel${p}`, label: `--parallel=${p}`, args: [`--parallel=${p}`, '--batch=false'] })),
    ...(batch.available ? [{ id: 'batch', label: '--batch', args: ['--batch', `--parallel=${atOnce}`] }] : []),
  ];
  for (const mode of modes) mode.seconds = [];
  const bareBuilds = [];
  for (const name of names) bareBuilds.push(await bareBuildArgs(ws, name, 'docker-build', `${PREFIX}bare-${name}`));
  const bare = { label: `bare buildx, ${atOnce} at once`, seconds: [] };

  for (let round = 1; round <= config.coldRuns; round++) {
    for (const mode of modes) {
      await removeImages(PREFIX);
      await pruneBuildCache();
      ws.clearRecords();
      mode.seconds.push(await runMany(ws, 'docker-build', mode.args));
      expectRecords(ws, names, 'built');
      log(`B3: cold run ${round}/${config.coldRuns} ${mode.label}: ${mode.seconds.at(-1).toFixed(1)} s`);
    }
    await removeImages(PREFIX);
    await pruneBuildCache();
    bare.seconds.push(await timeBareBuilds(ws, bareBuilds, atOnce));
    log(`B3: cold run ${round}/${config.coldRuns} ${bare.label}: ${bare.seconds.at(-1).toFixed(1)} s`);
  }

  const [serial, ...others] = modes;
  return {
    title: 'B3 parallel',
    setup: {
      images: config.images.map((image, i) => ({ name: names[i], kind: image.kind, systemPackages: image.systemPackages })),
      command: 'nx run-many -t docker-build <mode> --skip-nx-cache (NX_DAEMON=false), after removing the images and docker builder prune -af',
    },
    batch: batch.available ? 'available' : 'batch mode: not available in this version',
    // Since batch mode follows --parallel, the batch row runs with the same bound as the parallel row.
    batchFollowsParallel: true,
    modes: modes.map((mode) => ({ id: mode.id, label: mode.label, args: mode.args, wallSeconds: summarize(mode.seconds) })),
    speedups: others.map((mode) => ({ of: mode.id, over: serial.id, ratio: ratio(serial.seconds, mode.seconds) })),
    // The ceiling: the serial row over BuildKit building the same Dockerfiles side by side with nothing around it.
    bare: { label: bare.label, command: `\`docker buildx build --load\` of each image, ${atOnce} at once, no Nx`, wallSeconds: summarize(bare.seconds), ratioSerialOverBare: ratio(serial.seconds, bare.seconds) },
  };
}

/** Every image's bare build, `atOnce` at a time; the wall time of the whole set in seconds. */
async function timeBareBuilds(ws, builds, atOnce) {
  const started = process.hrtime.bigint();
  const queue = [...builds];
  const worker = async () => {
    while (queue.length) await run('docker', queue.shift(), { cwd: ws.root });
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
  return Number(process.hrtime.bigint() - started) / 1e9;
}
