// `npm run bench`: builds and packs the plugin, makes sample workspaces under tmp/bench, runs the scenarios of
// bench/scenarios.mjs against the real engine, and writes bench/results.md and bench/results.json.
//
// NXB_BENCH_QUICK=1  fewer and smaller runs, for developing the bench (labelled in the results)
// NXB_BENCH_ONLY=b1,b3  only these scenarios (labelled as partial in the results)
// NXB_BENCH_ECHO=1  pass every command's output through
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { full, quick } from '../../bench/scenarios.mjs';
import { missedGoals, withGoalsTable } from './lib/goals.mjs';
import { assertBaseImages, IMAGE_PREFIX, machine, removeImages, versions } from './lib/engine.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { summarize } from './lib/stats.mjs';
import { output, run } from './lib/run.mjs';
import { batchSupport, OLDEST_NX_INSTALL, openWorkspace, preparePluginInstall, removeWorkspaces } from './lib/workspace.mjs';
import { benchNoop } from './scenarios/b1-noop.mjs';
import { benchCodeChange } from './scenarios/b2-code-change.mjs';
import { benchParallel } from './scenarios/b3-parallel.mjs';
import { benchGrowth } from './scenarios/b4-growth.mjs';
import { benchBatchFloor } from './scenarios/b4-batch-floor.mjs';
import { benchNxMajors } from './scenarios/b4-nx-majors.mjs';
import { benchFreshRunner } from './scenarios/b5-fresh-runner.mjs';
import { benchMultiPlatformNoop } from './scenarios/b7-multi-platform-noop.mjs';
import { benchNxGenerated, NX_GENERATED_INSTALL } from './scenarios/b8-nx-generated.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const benchRoot = join(repo, 'tmp/bench');
const isQuick = process.env.NXB_BENCH_QUICK === '1';
const config = isQuick ? quick : full;
const only = (process.env.NXB_BENCH_ONLY ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

// B2 runs before B3 because B3 empties the build cache; B1 and B4 only need their own first builds.
const SCENARIOS = [
  { id: 'b1', run: benchNoop },
  { id: 'b4', run: benchGrowth },
  { id: 'b4batch', run: benchBatchFloor },
  { id: 'b4nx', run: benchOnNxMajors },
  { id: 'b2', run: benchCodeChange },
  { id: 'b3', run: benchParallel },
  { id: 'b5', run: benchFreshRunner },
  { id: 'b7', run: benchMultiPlatformNoop },
  { id: 'b8', run: benchOnNxGeneratedWorkspace },
];

const startedAt = Date.now();
const log = (message) => {
  const s = Math.round((Date.now() - startedAt) / 1000);
  console.log(`[bench ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${message}`);
};

let installDir;
const extraInstallDirs = [];
let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  const removed = await removeImages(IMAGE_PREFIX).catch(() => 0);
  for (const dir of [installDir, ...extraInstallDirs]) if (dir) removeWorkspaces(dir);
  log(`cleanup: removed ${removed} image tags named ${IMAGE_PREFIX}* and the bench workspaces`);
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

/** B4 on Nx 21 beside Nx 24: a second install, of the oldest supported major, made only when the scenario runs. */
async function benchOnNxMajors(context) {
  const oldest = await preparePluginInstall(repo, benchRoot, log, OLDEST_NX_INSTALL);
  extraInstallDirs.push(oldest.installDir);
  const installs = [
    { major: 21, installDir: oldest.installDir, nx: packageVersion(oldest.installDir, 'nx') },
    { major: 24, installDir: context.installDir, nx: packageVersion(context.installDir, 'nx') },
  ];
  return benchNxMajors({ ...context, installs });
}

/** B8 on the workspace Nx's generators make: its own install (its lockfile, the packed plugin), which is its workspace. */
async function benchOnNxGeneratedWorkspace(context) {
  // Outside the repository: Next.js traces its standalone output from the outermost folder with a lockfile, which
  // inside tmp/bench is this repository (its server would land under tmp/bench/… instead of apps/site/).
  const nxgen = await preparePluginInstall(repo, join(tmpdir(), 'nxb-bench'), log, NX_GENERATED_INSTALL);
  extraInstallDirs.push(nxgen.installDir);
  const workspace = openWorkspace(nxgen.installDir, nxgen.installDir, 'b8');
  return benchNxGenerated({ ...context, workspace, fixture: join(repo, NX_GENERATED_INSTALL.lockDir) });
}

async function pluginSource() {
  const commit = await output('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo }).catch(() => 'unknown');
  const dirty = await output('git', ['status', '--porcelain', '--', 'packages/nx-buildkit'], { cwd: repo }).catch(() => '');
  return { commit, uncommittedChanges: dirty.length > 0 };
}

function packageVersion(dir, name) {
  return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

async function main() {
  log(`nx-buildkit bench${isQuick ? ' (QUICK: reduced set)' : ''}${only.length ? ` (only ${only.join(', ')})` : ''}`);
  await assertBaseImages();
  // Leftovers of an interrupted run would be skipped instead of built.
  await removeImages(IMAGE_PREFIX);
  const install = await preparePluginInstall(repo, benchRoot, log);
  installDir = install.installDir;
  const batch = batchSupport(install.pluginDir);
  const results = {
    generatedAt: new Date().toISOString(),
    mode: isQuick ? 'quick' : 'full',
    partial: only.length ? only : undefined,
    machine: machine(),
    versions: {
      ...(await versions()),
      nx: packageVersion(installDir, 'nx'),
      nxDevkit: packageVersion(installDir, '@nx/devkit'),
      nxDocker: packageVersion(installDir, '@nx/docker'),
      nxBuildkit: packageVersion(installDir, 'nx-buildkit'),
      nxBuildkitSource: await pluginSource(),
    },
    batch,
    config,
    scenarios: {},
  };
  const context = { installDir, pluginDir: install.pluginDir, log, here, batch };
  for (const scenario of SCENARIOS) {
    if (only.length && !only.includes(scenario.id)) continue;
    const scenarioStarted = Date.now();
    log(`${scenario.id.toUpperCase()}: start`);
    // Other work on the machine widens the ranges; the 1-minute load average, sampled every 10 s, says how much there was.
    const load = [loadavg()[0]];
    const sampler = setInterval(() => load.push(loadavg()[0]), 10_000);
    try {
      results.scenarios[scenario.id] = await scenario.run({ ...context, config: config[scenario.id] });
    } finally {
      clearInterval(sampler);
    }
    results.scenarios[scenario.id].loadAverage = summarize(load);
    results.scenarios[scenario.id].scenarioSeconds = Math.round((Date.now() - scenarioStarted) / 1000);
    log(`${scenario.id.toUpperCase()}: done in ${results.scenarios[scenario.id].scenarioSeconds} s`);
  }
  results.totalSeconds = Math.round((Date.now() - startedAt) / 1000);
  // A partial run keeps the other scenarios of the last results, each marked with the run it comes from.
  if (only.length) {
    const previousPath = join(repo, 'bench/results.json');
    const previous = existsSync(previousPath) ? JSON.parse(readFileSync(previousPath, 'utf8')) : undefined;
    for (const [id, scenario] of Object.entries(previous?.scenarios ?? {})) {
      if (results.scenarios[id]) continue;
      results.scenarios[id] = { ...scenario, fromRun: scenario.fromRun ?? { generatedAt: previous.generatedAt, commit: previous.versions?.nxBuildkitSource?.commit } };
    }
  }
  writeFileSync(join(repo, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(repo, 'bench/results.md'), renderMarkdown(results));
  const readme = join(repo, 'README.md');
  writeFileSync(readme, withGoalsTable(readFileSync(readme, 'utf8'), results.scenarios));
  log(`wrote bench/results.md, bench/results.json and the README's goals table (${Math.round(results.totalSeconds / 60)} min)`);
  const missed = missedGoals(results.scenarios);
  log(missed.length ? `goals missed (${missed.length}): ${missed.join('; ')}` : 'every goal measured was met');
}

try {
  await main();
} catch (error) {
  console.error(`\nThe bench stopped: ${error?.message ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
