// B4 in batch mode, against Nx's own floor: how a no-op `nx run-many -t docker-build` (batch mode, the default) grows
// with the number of images, beside the same number of `nx:noop` tasks in the same workspace — what Nx itself costs
// to plan and run that many tasks, which no executor can go below. The two run interleaved, round by round.
import { summarize } from '../lib/stats.mjs';
import { writeServiceProject } from '../lib/fixtures.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { expectRecords, runMany } from './timed-runs.mjs';

export async function benchBatchFloor({ installDir, config, log }) {
  const cases = [];
  for (const size of config.images) {
    const prefix = `nxb-bench-b4b-${size}-`;
    const ws = createWorkspace(installDir, `b4b-${size}`, { plugins: [{ plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}` } }] });
    const names = [];
    for (let i = 0; i < size; i++) {
      const name = `svc${String(i + 1).padStart(3, '0')}`;
      const root = writeServiceProject(ws, name, i, config.context);
      // The floor: a target of Nx's own that does nothing, in the same projects.
      ws.writeJson(`${root}/project.json`, { name, root, targets: { noop: { executor: 'nx:noop' } } });
      names.push(name);
    }
    cases.push({ size, ws, names, docker: [], floor: [] });
  }

  for (const c of cases) {
    log(`B4 batch: first build of ${c.size} images, one untimed no-op`);
    await runMany(c.ws, 'docker-build');
    expectRecords(c.ws, c.names, 'built');
    await runMany(c.ws, 'docker-build');
    expectRecords(c.ws, c.names, 'skipped');
    await runMany(c.ws, 'noop');
  }

  for (let round = 1; round <= config.runs; round++) {
    for (const c of cases) {
      c.docker.push(await runMany(c.ws, 'docker-build'));
      expectRecords(c.ws, c.names, 'skipped');
      c.floor.push(await runMany(c.ws, 'noop'));
    }
    log(`B4 batch: round ${round}/${config.runs}: ${cases.map((c) => `${c.size}: ${c.docker.at(-1).toFixed(1)} s vs floor ${c.floor.at(-1).toFixed(1)} s`).join(', ')}`);
  }

  const first = cases[0];
  const last = cases.at(-1);
  const slopeMs = (series) => Math.round(((summarize(series(last)).median - summarize(series(first)).median) * 1000) / (last.size - first.size));
  return {
    title: 'B4 growth in batch mode, with Nx’s floor',
    setup: { command: 'nx run-many -t docker-build --skip-nx-cache (batch mode, the default) vs nx run-many -t noop --skip-nx-cache (nx:noop), NX_DAEMON=false', contextPerImage: config.context },
    cases: cases.map((c) => ({
      images: c.size,
      dockerSeconds: summarize(c.docker),
      floorSeconds: summarize(c.floor),
      // Above 1: the no-op costs more than Nx's floor (the goal is at most 1.3 at 50 images).
      overFloor: { median: summarize(c.docker).median / summarize(c.floor).median, min: Math.min(...c.docker.map((d, i) => d / c.floor[i])), max: Math.max(...c.docker.map((d, i) => d / c.floor[i])) },
    })),
    perExtraImageMs: { nxBuildkit: slopeMs((c) => c.docker), floor: slopeMs((c) => c.floor) },
  };
}
