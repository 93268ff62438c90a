// B2 code-only change: the Python backend (apt system packages) and the Vite + React frontend (real npm
// dependencies, built inside Docker), each with the Dockerfile nx-buildkit's generator writes and with a naive one
// (`COPY . .` first, then every install). After a one-line source change, both images are rebuilt — generated, naive,
// generated, naive … — through the same executor, so only the Dockerfile differs.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON_SYSTEM_PACKAGES } from '../../../bench/scenarios.mjs';
import { appendLine } from '../lib/fixtures.mjs';
import { ratio, summarize } from '../lib/stats.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { expectRecords, medianSteps, runOne, targetBuilding } from './timed-runs.mjs';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../../bench/fixtures');

const APPS = [
  {
    project: 'api',
    label: 'Python backend',
    fixture: 'python-api',
    generated: 'Dockerfile.prod',
    generator: ['nx-buildkit:backend', 'api', `--systemPackages=${PYTHON_SYSTEM_PACKAGES.join(',')}`],
    editFile: 'src/api/routes/items.py',
    editLine: (round) => `# bench edit ${round}`,
  },
  {
    project: 'web',
    label: 'Vite + React frontend',
    fixture: 'vite-web',
    generated: 'Dockerfile.frontend',
    generator: ['nx-buildkit:frontend', 'web'],
    editFile: 'src/pages/Items.jsx',
    editLine: (round) => `// bench edit ${round}`,
  },
];

export async function benchCodeChange({ installDir, config, log }) {
  const ws = createWorkspace(installDir, 'b2', { plugins: [{ plugin: 'nx-buildkit', options: { image: 'nxb-bench-b2-{projectName}' } }] });
  for (const app of APPS) {
    ws.copy(join(fixtures, app.fixture, 'app'), `apps/${app.project}`);
    // nx:noop beside the image targets: what `nx run` of one task costs by itself, the floor of a rebuild's wall time.
    ws.writeJson(`apps/${app.project}/project.json`, { name: app.project, root: `apps/${app.project}`, targets: { noop: { executor: 'nx:noop' } } });
    await ws.nx(['g', ...app.generator, '--no-interactive']);
    // The naive file is a plain `Dockerfile` with the context's `.dockerignore`, as such projects usually have.
    const naive = readFileSync(join(fixtures, app.fixture, 'Dockerfile.naive'), 'utf8').replace('__SYSTEM_PACKAGES__', PYTHON_SYSTEM_PACKAGES.join(' '));
    ws.write(`apps/${app.project}/Dockerfile`, naive);
    ws.write(`apps/${app.project}/.dockerignore`, readFileSync(join(fixtures, app.fixture, 'naive.dockerignore'), 'utf8'));
    app.generatedTarget = await targetBuilding(ws, app.project, `apps/${app.project}/${app.generated}`);
    app.naiveTarget = await targetBuilding(ws, app.project, `apps/${app.project}/Dockerfile`);
    app.dockerfiles = { generated: ws.read(`apps/${app.project}/${app.generated}`), naive };
    app.firstBuild = {};
    app.series = { generated: [], naive: [], nxFloor: [], generatedExecutorMs: [], naiveExecutorMs: [], generatedSteps: [], naiveSteps: [] };
  }

  for (const app of APPS) {
    log(`B2: first builds of the ${app.label} (generated, naive), then one untimed edit + rebuild of each`);
    app.firstBuild.generated = await runOne(ws, app.project, app.generatedTarget);
    app.firstBuild.naive = await runOne(ws, app.project, app.naiveTarget);
    appendLine(join(ws.root, 'apps', app.project, app.editFile), app.editLine(0));
    await runOne(ws, app.project, app.generatedTarget);
    await runOne(ws, app.project, app.naiveTarget);
  }

  for (let round = 1; round <= config.runs; round++) {
    for (const app of APPS) {
      appendLine(join(ws.root, 'apps', app.project, app.editFile), app.editLine(round));
      for (const kind of ['generated', 'naive']) {
        const target = kind === 'generated' ? app.generatedTarget : app.naiveTarget;
        app.series[kind].push(await runOne(ws, app.project, target));
        const [record] = expectRecords(ws, [app.project], 'built', target);
        app.series[`${kind}ExecutorMs`].push(record.durationMs);
        app.series[`${kind}Steps`].push(record.steps);
      }
      app.series.nxFloor.push(await runOne(ws, app.project, 'noop'));
      log(`B2: round ${round}/${config.runs}: ${app.label}: generated ${app.series.generated.at(-1).toFixed(1)} s, naive ${app.series.naive.at(-1).toFixed(1)} s`);
    }
  }

  return {
    title: 'B2 code-only change',
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
      executorRatioNaiveOverGenerated: ratio(app.series.naiveExecutorMs, app.series.generatedExecutorMs),
      dockerfiles: app.dockerfiles,
    })),
  };
}
