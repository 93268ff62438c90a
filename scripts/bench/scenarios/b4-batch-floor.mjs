// B4 in batch mode, against Nx's own floor: how a no-op `nx run-many -t docker-build` (batch mode, the default) grows
// with the number of images, beside the same number of `nx:noop` tasks in the same workspace — what Nx itself costs
// to plan and run that many tasks, which no executor can go below. The two run interleaved, round by round.
import { summarize } from '../lib/stats.mjs';
import { writeServiceProject } from '../lib/fixtures.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { expectRecords, runMany } from './timed-runs.mjs';

/**
 * One workspace of `size` service images below an install, each project also holding an `nx:noop` target: the
 * floor. Shared with B4 on the Nx majors (b4-nx-majors.mjs); `dockerArgs` asks Nx 21, which has no preferBatch, for
 * batch mode (`--batch`).
 */
export function floorCase(installDir, size, name, context, dockerArgs = []) {
  const prefix = `nxb-bench-${name}-`;
  const ws = createWorkspace(installDir, name, { plugins: [{ plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}` } }] });
  const names = [];
  for (let i = 0; i < size; i++) {
    const project = `svc${String(i + 1).padStart(3, '0')}`;
    const root = writeServiceProject(ws, project, i, context);
    // The floor: a target of Nx's own that does nothing, in the same projects.
    ws.writeJson(`${root}/project.json`, { name: project, root, targets: { noop: { executor: 'nx:noop' } } });
    names.push(project);
  }
  return { size, ws, names, dockerArgs, docker: [], floor: [] };
}

/** The first build, an untimed no-op of each side: later rounds measure a warm no-op only. */
export async function warmFloorCase(c) {
  await runMany(c.ws, 'docker-build', c.dockerArgs);
  expectRecords(c.ws, c.names, 'built');
  await runMany(c.ws, 'docker-build', c.dockerArgs);
  expectRecords(c.ws, c.names, 'skipped');
  await runMany(c.ws, 'noop');
}

/** One timed round: the no-op, then the floor. */
export async function floorRound(c) {
  c.docker.push(await runMany(c.ws, 'docker-build', c.dockerArgs));
  expectRecords(c.ws, c.names, 'skipped');
  c.floor.push(await runMany(c.ws, 'noop'));
}

/** The no-op's medians beside the floor's, with the ratio of each round. */
export function floorSummary(c) {
  return {
    images: c.size,
    dockerSeconds: summarize(c.docker),
    floorSeconds: summarize(c.floor),
    // Above 1: the no-op costs more than Nx's floor.
    overFloor: { median: summarize(c.docker).median / summarize(c.floor).median, min: Math.min(...c.docker.map((d, i) => d / c.floor[i])), max: Math.max(...c.docker.map((d, i) => d / c.floor[i])) },
  };
}

export async function benchBatchFloor({ installDir, config, log }) {
  const cases = config.images.map((size) => floorCase(installDir, size, `b4b-${size}`, config.context));

  for (const c of cases) {
    log(`B4 batch: first build of ${c.size} images, one untimed no-op`);
    await warmFloorCase(c);
  }

  for (let round = 1; round <= config.runs; round++) {
    for (const c of cases) await floorRound(c);
    log(`B4 batch: round ${round}/${config.runs}: ${cases.map((c) => `${c.size}: ${c.docker.at(-1).toFixed(1)} s vs floor ${c.floor.at(-1).toFixed(1)} s`).join(', ')}`);
  }

  const first = cases[0];
  const last = cases.at(-1);
  const slopeMs = (series) => Math.round(((summarize(series(last)).median - summarize(series(first)).median) * 1000) / (last.size - first.size));
  return {
    title: 'B4 growth in batch mode, with Nx’s floor',
    setup: { command: 'nx run-many -t docker-build --skip-nx-cache (batch mode, the default) vs nx run-many -t noop --skip-nx-cache (nx:noop), NX_DAEMON=false', contextPerImage: config.context },
    cases: cases.map(floorSummary),
    perExtraImageMs: { nxBuildkit: slopeMs((c) => c.docker), floor: slopeMs((c) => c.floor) },
  };
}
