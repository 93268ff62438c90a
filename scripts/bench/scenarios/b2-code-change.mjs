// B2 code-only change: the Python backend (apt system packages) and the Vite + React frontend (real npm
// dependencies, built inside Docker), each with the Dockerfile nx-buildkit's generator writes and with a naive one
// (`COPY . .` first, then every install). After a one-line source change, both images are rebuilt — generated, naive,
// generated, naive … — through the same executor, so only the Dockerfile differs. Beside them, in the same rounds,
// what any Nx executor that builds the generated Dockerfile costs at least: Nx's batch floor for one task (a batch
// executor that does nothing) plus a bare `docker buildx build --load` of the same Dockerfile after the same kind of edit.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON_SYSTEM_PACKAGES } from '../../../bench/scenarios.mjs';
import { BATCH_FLOOR_EXECUTOR, installBatchFloorExecutor } from '../lib/batch-floor-executor.mjs';
import { REBUILD_PHASES, splitProfile } from '../lib/cpu-profile.mjs';
import { IMAGE_PREFIX } from '../lib/engine.mjs';
import { appendLine, RUN_NONCE } from '../lib/fixtures.mjs';
import { run } from '../lib/run.mjs';
import { median, ratio, summarize } from '../lib/stats.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { bareBuildArgs, expectRecords, medianSteps, runOne, targetBuilding } from './timed-runs.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/fixtures');
const probes = join(dirname(fileURLToPath(import.meta.url)), '../probes');

const APPS = [
  {
    project: 'api',
    label: 'Python backend',
    fixture: 'python-api',
    generated: 'Dockerfile.prod',
    generator: ['nx-buildkit:backend', 'api', `--systemPackages=${PYTHON_SYSTEM_PACKAGES.join(',')}`],
    editFile: 'src/api/routes/items.py',
    editLine: (round) => `# bench edit ${RUN_NONCE} ${round}`,
  },
  {
    project: 'web',
    label: 'Vite + React frontend',
    fixture: 'vite-web',
    generated: 'Dockerfile.frontend',
    generator: ['nx-buildkit:frontend', 'web'],
    editFile: 'src/pages/Items.jsx',
    editLine: (round) => `// bench edit ${RUN_NONCE} ${round}`,
  },
];

export async function benchCodeChange({ installDir, config, log }) {
  const ws = createWorkspace(installDir, 'b2', { plugins: [{ plugin: 'nx-buildkit', options: { image: 'nxb-bench-b2-{projectName}' } }] });
  installBatchFloorExecutor(installDir);
  for (const app of APPS) {
    ws.copy(join(fixtures, app.fixture, 'app'), `apps/${app.project}`);
    // nx:noop beside the image targets: what `nx run` of one task costs by itself, the floor of a rebuild's wall time;
    // batchnoop: what one task of an executor in batch mode costs (a process, Nx's batch runner), as nx-buildkit:build is.
    ws.writeJson(`apps/${app.project}/project.json`, {
      name: app.project,
      root: `apps/${app.project}`,
      targets: { noop: { executor: 'nx:noop' }, batchnoop: { executor: BATCH_FLOOR_EXECUTOR } },
    });
    await ws.nx(['g', ...app.generator, '--no-interactive']);
    // The naive file is a plain `Dockerfile` with the context's `.dockerignore`, as such projects usually have.
    const naive = readFileSync(join(fixtures, app.fixture, 'Dockerfile.naive'), 'utf8').replace('__SYSTEM_PACKAGES__', PYTHON_SYSTEM_PACKAGES.join(' '));
    ws.write(`apps/${app.project}/Dockerfile`, naive);
    ws.write(`apps/${app.project}/.dockerignore`, readFileSync(join(fixtures, app.fixture, 'naive.dockerignore'), 'utf8'));
    app.generatedTarget = await targetBuilding(ws, app.project, `apps/${app.project}/${app.generated}`);
    app.naiveTarget = await targetBuilding(ws, app.project, `apps/${app.project}/Dockerfile`);
    app.dockerfiles = { generated: ws.read(`apps/${app.project}/${app.generated}`), naive };
    app.bareBuildArgs = await bareBuildArgs(ws, app.project, app.generatedTarget, `${IMAGE_PREFIX}b2-bare-${app.project}`);
    app.firstBuild = {};
    app.series = { generated: [], naive: [], nxFloor: [], batchFloor: [], bareBuild: [], generatedExecutorMs: [], naiveExecutorMs: [], generatedSteps: [], naiveSteps: [] };
  }

  for (const app of APPS) {
    log(`B2: first builds of the ${app.label} (generated, naive), then one untimed edit + rebuild of each`);
    app.firstBuild.generated = await runOne(ws, app.project, app.generatedTarget);
    app.firstBuild.naive = await runOne(ws, app.project, app.naiveTarget);
    appendLine(join(ws.root, 'apps', app.project, app.editFile), app.editLine(0));
    await runOne(ws, app.project, app.generatedTarget);
    await runOne(ws, app.project, app.naiveTarget);
    await runOne(ws, app.project, 'batchnoop');
    await timeBareBuild(ws, app, 0);
  }

  for (let round = 1; round <= config.runs; round++) {
    for (const app of APPS) {
      appendLine(join(ws.root, 'apps', app.project, app.editFile), app.editLine(round));
      for (const kind of ['generated', 'naive']) {
        const target = kind === 'generated' ? app.generatedTarget : app.naiveTarget;
        app.series[kind].push(await runOne(ws, app.project, target));
        const [record] = expectRecords(ws, [app.project], 'built', target);
        // A bench must measure what it says: after the edit, some step has to run again.
        if (record.steps && record.steps.cached >= record.steps.total) throw new Error(`B2: the ${kind} rebuild of ${app.project} ran no step after the edit (${record.steps.cached}/${record.steps.total} cached)`);
        app.series[`${kind}ExecutorMs`].push(record.durationMs);
        app.series[`${kind}Steps`].push(record.steps);
      }
      app.series.nxFloor.push(await runOne(ws, app.project, 'noop'));
      app.series.batchFloor.push(await runOne(ws, app.project, 'batchnoop'));
      app.series.bareBuild.push(await timeBareBuild(ws, app, round));
      log(
        `B2: round ${round}/${config.runs}: ${app.label}: generated ${app.series.generated.at(-1).toFixed(1)} s, naive ${app.series.naive.at(-1).toFixed(1)} s; ` +
          `batch floor ${app.series.batchFloor.at(-1).toFixed(1)} s + bare build ${app.series.bareBuild.at(-1).toFixed(1)} s`,
      );
    }
  }

  const profiled = APPS[0];
  const profileRuns = config.profileRuns ?? 3;
  log(`B2: where the time of a ${profiled.label} rebuild goes (${profileRuns} profiled runs of the batch process, beside the batch floor's)`);
  const profile = await profileRebuild(ws, profiled, profileRuns);

  return {
    title: 'B2 code-only change',
    profile,
    bareBuildCommand: 'docker buildx build --load --quiet --file <generated Dockerfile> --tag <own tag> <context>, after appending one line to the same source file',
    setup: {
      command: 'nx run <project>:<target> --skip-nx-cache (NX_DAEMON=false), after appending one line to one source file',
      pythonSystemPackages: PYTHON_SYSTEM_PACKAGES,
    },
    apps: APPS.map((app) => ({
      project: app.project,
      label: app.label,
      editedFile: app.editFile,
      targets: { generated: app.generatedTarget, naive: app.naiveTarget },
      firstBuildSeconds: app.firstBuild,
      rebuildSeconds: { generated: summarize(app.series.generated), naive: summarize(app.series.naive) },
      executorSeconds: {
        generated: summarize(app.series.generatedExecutorMs.map((ms) => ms / 1000)),
        naive: summarize(app.series.naiveExecutorMs.map((ms) => ms / 1000)),
      },
      stepsCached: { generated: medianSteps(app.series.generatedSteps), naive: medianSteps(app.series.naiveSteps) },
      ratioNaiveOverGenerated: ratio(app.series.naive, app.series.generated),
      // The best ratio any Dockerfile could reach: the naive rebuild over Nx's cost of running one task at all.
      nxFloorSeconds: summarize(app.series.nxFloor),
      ratioNaiveOverNxFloor: ratio(app.series.naive, app.series.nxFloor),
      // The least any executor in batch mode (nx-buildkit:build is one) can take to rebuild the generated Dockerfile:
      // its one task's process and Nx's batch runner, plus the build itself with nothing around it. Summed round by round.
      batchFloorSeconds: summarize(app.series.batchFloor),
      bareBuildSeconds: summarize(app.series.bareBuild),
      executorFloorSeconds: summarize(executorFloor(app.series)),
      ratioNaiveOverExecutorFloor: ratio(app.series.naive, executorFloor(app.series)),
      ratioGeneratedOverExecutorFloor: ratio(app.series.generated, executorFloor(app.series)),
      executorRatioNaiveOverGenerated: ratio(app.series.naiveExecutorMs, app.series.generatedExecutorMs),
      dockerfiles: app.dockerfiles,
    })),
  };
}

/**
 * The batch process of the generated rebuild, and of the batch floor's one task, each profiled `runs` times
 * (probes/cpu-profile-hook.cjs, 1 ms sampling) after the same kind of edit: median milliseconds by part — Nx's batch
 * runner, nx-buildkit's loading and phases (REBUILD_PHASES), GC, and idle, which is mostly the wait for buildx.
 */
async function profileRebuild(ws, app, runs) {
  const splits = { generated: [], batchnoop: [] };
  for (let round = 0; round < runs; round++) {
    for (const [kind, target] of [['generated', app.generatedTarget], ['batchnoop', 'batchnoop']]) {
      appendLine(join(ws.root, 'apps', app.project, app.editFile), app.editLine(`profile ${round}`));
      const dir = mkdtempSync(join(tmpdir(), 'nxb-prof-'));
      try {
        await ws.nx(['run', `${app.project}:${target}`, '--output-style=static', '--skip-nx-cache'], {
          env: { NXB_PROFILE_DIR: dir, NODE_OPTIONS: `--require ${join(probes, 'cpu-profile-hook.cjs')}` },
        });
        const file = readdirSync(dir).find((name) => name.includes('run-batch'));
        if (!file) throw new Error(`B2 profile: no profile of the batch process of ${app.project}:${target}`);
        splits[kind].push(splitProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), { phases: REBUILD_PHASES }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const medians = (list) => {
    const parts = (pick) => [...new Set(list.flatMap((split) => Object.keys(pick(split))))];
    const of = (pick) => Object.fromEntries(parts(pick).map((key) => [key, median(list.map((split) => pick(split)[key] ?? 0))]));
    return { sampledMs: median(list.map((split) => split.totalMs)), buckets: of((split) => split.buckets), phases: of((split) => split.phases) };
  };
  return { app: app.label, project: app.project, target: app.generatedTarget, runs, batchProcess: { generated: medians(splits.generated), batchnoop: medians(splits.batchnoop) } };
}

/** Appends one more line to the edited file, then times a bare `docker buildx build` of the generated Dockerfile. */
async function timeBareBuild(ws, app, round) {
  appendLine(join(ws.root, 'apps', app.project, app.editFile), app.editLine(`${round} (bare build)`));
  return (await run('docker', app.bareBuildArgs, { cwd: ws.root })).ms / 1000;
}

function executorFloor(series) {
  return series.batchFloor.map((seconds, i) => seconds + series.bareBuild[i]);
}
