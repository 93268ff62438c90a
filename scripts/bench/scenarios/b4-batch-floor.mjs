// B4 in batch mode, against Nx's own floor: how a no-op `nx run-many -t docker-build` (batch mode, the default) grows
// with the number of images, beside the same number of `nx:noop` tasks in the same workspace — what Nx itself costs
// to plan and run that many tasks, which no executor can go below. The two run interleaved, round by round.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BATCH_FLOOR_EXECUTOR, installBatchFloorExecutor } from '../lib/batch-floor-executor.mjs';
import { NO_OP_PHASES, splitProfile } from '../lib/cpu-profile.mjs';
import { median, summarize } from '../lib/stats.mjs';
import { writeServiceProject } from '../lib/fixtures.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { expectRecords, runMany } from './timed-runs.mjs';

/**
 * One workspace of `size` service images below an install, each project also holding an `nx:noop` target: the
 * floor. Shared with B4 on the Nx majors (b4-nx-majors.mjs); `dockerArgs` asks Nx 21, which has no preferBatch, for
 * batch mode (`--batch`).
 */
export function floorCase(installDir, size, name, context, dockerArgs = [], { batchFloor = false } = {}) {
  const prefix = `nxb-bench-${name}-`;
  if (batchFloor) installBatchFloorExecutor(installDir);
  const ws = createWorkspace(installDir, name, { plugins: [{ plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}` } }] });
  const names = [];
  for (let i = 0; i < size; i++) {
    const project = `svc${String(i + 1).padStart(3, '0')}`;
    const root = writeServiceProject(ws, project, i, context);
    // The floor: a target of Nx's own that does nothing, in the same projects.
    // With batchFloor, also Nx's batch floor: an executor in batch mode that does nothing (lib/batch-floor-executor.mjs).
    const targets = { noop: { executor: 'nx:noop' }, ...(batchFloor && { batchnoop: { executor: BATCH_FLOOR_EXECUTOR } }) };
    ws.writeJson(`${root}/project.json`, { name: project, root, targets });
    names.push(project);
  }
  return { size, ws, names, dockerArgs, docker: [], floor: [], ...(batchFloor && { batchFloor: [] }) };
}

/** The first build, an untimed no-op of each side: later rounds measure a warm no-op only. */
export async function warmFloorCase(c) {
  await runMany(c.ws, 'docker-build', c.dockerArgs);
  expectRecords(c.ws, c.names, 'built');
  await runMany(c.ws, 'docker-build', c.dockerArgs);
  expectRecords(c.ws, c.names, 'skipped');
  await runMany(c.ws, 'noop');
  if (c.batchFloor) await runMany(c.ws, 'batchnoop');
}

/** One timed round: the no-op, then the floor (and the batch floor). */
export async function floorRound(c) {
  c.docker.push(await runMany(c.ws, 'docker-build', c.dockerArgs));
  expectRecords(c.ws, c.names, 'skipped');
  c.floor.push(await runMany(c.ws, 'noop'));
  if (c.batchFloor) c.batchFloor.push(await runMany(c.ws, 'batchnoop'));
}

const ratioOf = (a, b) => ({ median: summarize(a).median / summarize(b).median, min: Math.min(...a.map((x, i) => x / b[i])), max: Math.max(...a.map((x, i) => x / b[i])) });

/** The no-op's medians beside the floor's, with the ratio of each round. */
export function floorSummary(c) {
  return {
    images: c.size,
    dockerSeconds: summarize(c.docker),
    floorSeconds: summarize(c.floor),
    // Above 1: the no-op costs more than Nx's floor.
    overFloor: ratioOf(c.docker, c.floor),
    ...(c.batchFloor && {
      batchFloorSeconds: summarize(c.batchFloor),
      // Nx's batch mode itself over nx:noop, and the no-op over the batch floor: the share that is nx-buildkit's.
      batchFloorOverFloor: ratioOf(c.batchFloor, c.floor),
      overBatchFloor: ratioOf(c.docker, c.batchFloor),
    }),
  };
}

const probes = join(dirname(fileURLToPath(import.meta.url)), '../probes');

/**
 * Where the time of a no-op goes, on one case: the CPU time of each process of the nx run (process-cpu-hook.cjs,
 * `runs` runs of each command) and, from one V8 profile of each batch process (cpu-profile-hook.cjs), the batch
 * process's time by part: Nx's batch runner, nx-buildkit's modules, each phase of the pipeline, GC, waiting (idle).
 */
export async function profileSplit(c, runs) {
  const cpu = { 'docker-build': [], batchnoop: [], noop: [] };
  for (let round = 0; round < runs; round++) {
    for (const target of Object.keys(cpu)) {
      const dir = mkdtempSync(join(tmpdir(), 'nxb-cpu-'));
      const log = join(dir, 'log');
      const started = Date.now();
      await c.ws.nx(['run-many', '-t', target, '--output-style=static', '--skip-nx-cache', ...(target === 'docker-build' ? c.dockerArgs : [])], {
        env: { NXB_CPU_LOG: log, NODE_OPTIONS: `--require ${join(probes, 'process-cpu-hook.cjs')}` },
      });
      const byKind = { wall: (Date.now() - started) / 1000 };
      for (const line of existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) {
        const { kind, cpuMs } = JSON.parse(line);
        const group = kind.startsWith('worker:') ? (kind === 'worker:nx-buildkit' ? 'nx-buildkit plugin worker' : 'other plugin workers') : kind;
        byKind[group] = (byKind[group] ?? 0) + cpuMs / 1000;
      }
      cpu[target].push(byKind);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const perProcess = Object.fromEntries(
    Object.entries(cpu).map(([target, list]) => {
      const kinds = [...new Set(list.flatMap((r) => Object.keys(r)))];
      return [target, Object.fromEntries(kinds.map((kind) => [kind, median(list.map((r) => r[kind] ?? 0))]))];
    }),
  );
  const batchProcess = {};
  for (const target of ['docker-build', 'batchnoop']) {
    const dir = mkdtempSync(join(tmpdir(), 'nxb-prof-'));
    await c.ws.nx(['run-many', '-t', target, '--output-style=static', '--skip-nx-cache', ...(target === 'docker-build' ? c.dockerArgs : [])], {
      env: { NXB_PROFILE_DIR: dir, NODE_OPTIONS: `--require ${join(probes, 'cpu-profile-hook.cjs')}` },
    });
    const file = readdirSync(dir).find((name) => name.includes('run-batch'));
    if (file) {
      const split = splitProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), { phases: NO_OP_PHASES });
      batchProcess[target] = { sampledMs: split.totalMs, buckets: split.buckets, phases: split.phases };
    }
    rmSync(dir, { recursive: true, force: true });
  }
  expectRecords(c.ws, c.names, 'skipped');
  return { images: c.size, runs, perProcessCpuSeconds: perProcess, batchProcess };
}

export async function benchBatchFloor({ installDir, config, log }) {
  const cases = config.images.map((size) => floorCase(installDir, size, `b4b-${size}`, config.context, [], { batchFloor: true }));

  for (const c of cases) {
    log(`B4 batch: first build of ${c.size} images, one untimed no-op`);
    await warmFloorCase(c);
  }

  for (let round = 1; round <= config.runs; round++) {
    for (const c of cases) await floorRound(c);
    log(`B4 batch: round ${round}/${config.runs}: ${cases.map((c) => `${c.size}: ${c.docker.at(-1).toFixed(1)} s vs floor ${c.floor.at(-1).toFixed(1)} s, batch floor ${c.batchFloor.at(-1).toFixed(1)} s`).join(', ')}`);
  }

  const profiled = cases.find((c) => c.size === config.profileImages) ?? cases.at(-1);
  log(`B4 batch: where the time of a ${profiled.size}-image no-op goes (CPU per process, ${config.profileRuns} runs; one profile)`);
  const profile = await profileSplit(profiled, config.profileRuns);

  const first = cases[0];
  const last = cases.at(-1);
  const slopeMs = (series) => Math.round(((summarize(series(last)).median - summarize(series(first)).median) * 1000) / (last.size - first.size));
  return {
    title: 'B4 growth in batch mode, with Nx’s floor',
    setup: {
      command: 'nx run-many -t docker-build --skip-nx-cache (batch mode, the default) vs nx run-many -t noop --skip-nx-cache (nx:noop) vs nx run-many -t batchnoop --skip-nx-cache (a batch executor that does nothing), NX_DAEMON=false',
      contextPerImage: config.context,
    },
    cases: cases.map(floorSummary),
    perExtraImageMs: { nxBuildkit: slopeMs((c) => c.docker), floor: slopeMs((c) => c.floor), batchFloor: slopeMs((c) => c.batchFloor) },
    profile,
  };
}
