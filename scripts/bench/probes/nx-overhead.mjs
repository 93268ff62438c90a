// What nx-buildkit adds to every `nx` command, measured with what a busy machine distorts least: the CPU time
// (user + system) of the whole nx process tree (tree-cpu.py reaps and counts every process Nx starts, plugin workers
// and the batch process included), beside the wall time. Every command runs in workspaces that differ in one thing
// only, interleaved round by round (the order rotates each round), and each figure is a median with its range.
//
// Workspaces (below <install>/ws/po-…, kept between invocations; images are named nxb-probe-po<N>-<project>, outside the
// bench's clean-up of nxb-bench-*; remove them with `docker rmi $(docker image ls -q --filter 'reference=nxb-probe-*')`):
//   plugin   N service projects (bench fixtures: Dockerfile, config/, src/), each with an nx:noop target, nx-buildkit registered
//   bare     the same projects, no plugin registered
//   trivial  the same projects, an installed plugin (node_modules/nxb-probe-trivial-plugin, written into the install)
//            whose createNodes returns nothing: what any plugin in its own worker costs. (A local plugin by path is no
//            floor: Nx registers a TypeScript transpiler for it, which costs more than nx-buildkit does.)
// With several --install dirs (variant-install.mjs), each install gets its own plugin workspaces: an A/B of the
// plugin's code.
//
// Commands: show (`nx show projects`), run1 (`nx run svc001:noop`), noop (`nx run-many -t noop`), batch
// (`nx run-many -t docker-build`, batch mode: the B4 no-op; plugin workspaces only), batchnoop (`nx run-many -t batchnoop`:
// an executor in batch mode that does nothing — Nx's batch floor).
//
// Usage: node scripts/bench/probes/nx-overhead.mjs --install A=<dir> [--install B=<dir>] [--sizes 20,50] [--runs 10]
//          [--commands show,run1,noop,batch] [--kinds plugin,bare,trivial] [--env NAME=value] [--out file.json]
//          [--per-process]   also the CPU time of each process of the tree (process-cpu-hook.cjs): host, each
//                            plugin worker, the batch process
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BATCH_FLOOR_EXECUTOR, installBatchFloorExecutor } from '../lib/batch-floor-executor.mjs';
import { writeServiceProject } from '../lib/fixtures.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { median } from '../lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    install: { type: 'string', multiple: true },
    sizes: { type: 'string', default: '20,50' },
    runs: { type: 'string', default: '10' },
    commands: { type: 'string', default: 'show,run1,noop,batch' },
    kinds: { type: 'string', default: 'plugin,bare,trivial' },
    env: { type: 'string', multiple: true, default: [] },
    out: { type: 'string' },
    rebuild: { type: 'boolean', default: false },
    'per-process': { type: 'boolean', default: false },
  },
});
if (!values.install?.length) {
  console.error('Usage: node scripts/bench/probes/nx-overhead.mjs --install A=<dir> [--install B=<dir>] [--sizes 20,50] [--runs 10] [--commands …] [--kinds …]');
  process.exit(2);
}
const installs = values.install.map((spec, i) => {
  const [label, dir] = spec.includes('=') ? spec.split('=') : [String.fromCharCode(65 + i), spec];
  return { label, dir: resolve(dir) };
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
const commands = values.commands.split(',');
const kinds = values.kinds.split(',');
const extraEnv = Object.fromEntries(values.env.map((pair) => pair.split(/=(.*)/s).slice(0, 2)));

const COMMANDS = {
  show: ['show', 'projects'],
  run1: ['run', 'svc001:noop', '--skip-nx-cache', '--output-style=static'],
  noop: ['run-many', '-t', 'noop', '--skip-nx-cache', '--output-style=static'],
  batch: ['run-many', '-t', 'docker-build', '--skip-nx-cache', '--output-style=static'],
  batchnoop: ['run-many', '-t', 'batchnoop', '--skip-nx-cache', '--output-style=static'],
};

const TRIVIAL_PLUGIN_NAME = 'nxb-probe-trivial-plugin';
const TRIVIAL_PLUGIN = `// Registered like nx-buildkit, infers nothing: the cost of any plugin in its own worker.
exports.createNodesV2 = exports.createNodes = ['{project.json,package.json,**/project.json,**/package.json}', async () => []];
`;

function installTrivialPlugin(installDir) {
  const dir = join(installDir, 'node_modules', TRIVIAL_PLUGIN_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: TRIVIAL_PLUGIN_NAME, version: '0.0.0', main: 'index.js' })}\n`);
  writeFileSync(join(dir, 'index.js'), TRIVIAL_PLUGIN);
}

/** One workspace per (install, kind, size); made once, kept for later invocations. */
function workspaceFor(install, kind, size) {
  const name = `po-${kind}-${size}`;
  const root = join(install.dir, 'ws', name);
  const plugins = kind === 'plugin' ? [{ plugin: 'nx-buildkit', options: { image: `nxb-probe-po${size}-{projectName}` } }] : kind === 'trivial' ? [TRIVIAL_PLUGIN_NAME] : [];
  if (kind === 'trivial') installTrivialPlugin(install.dir);
  const fresh = values.rebuild || !existsSync(join(root, '.probe-ready'));
  const ws = fresh ? createWorkspace(install.dir, name, { plugins }) : reopen(install.dir, name);
  if (fresh) {
    for (let i = 0; i < size; i++) {
      const project = `svc${String(i + 1).padStart(3, '0')}`;
      const projectRoot = writeServiceProject(ws, project, i, { files: 23, bytes: 100_000 });
      ws.writeJson(`${projectRoot}/project.json`, { name: project, root: projectRoot, targets: { noop: { executor: 'nx:noop' } } });
    }
  }
  if (commands.includes('batchnoop')) addBatchNoopTargets(root, size, install.dir);
  return { ws, fresh, kind, size, install };
}

/** Every project also gets `batchnoop`, the trivial batch executor (kept workspaces get it when first asked for). */
function addBatchNoopTargets(root, size, installDir) {
  installBatchFloorExecutor(installDir);
  for (let i = 0; i < size; i++) {
    const file = join(root, 'apps', `svc${String(i + 1).padStart(3, '0')}`, 'project.json');
    const project = JSON.parse(readFileSync(file, 'utf8'));
    if (project.targets.batchnoop) continue;
    project.targets.batchnoop = { executor: BATCH_FLOOR_EXECUTOR };
    writeFileSync(file, `${JSON.stringify(project, null, 2)}\n`);
  }
}

function reopen(installDir, name) {
  // createWorkspace empties the folder; a kept one is used as it is.
  const root = join(installDir, 'ws', name);
  const nxBin = join(installDir, 'node_modules/nx/dist/bin/nx.js');
  return { name, root, nxBin };
}

/** Runs nx under tree-cpu.py; resolves { wall, cpu, user, sys } in seconds. */
function timedNx(side, args) {
  const nxBin = join(side.install.dir, 'node_modules/nx/dist/bin/nx.js');
  const cpuLogDir = values['per-process'] ? mkdtempSync(join(tmpdir(), 'nxb-cpu-')) : undefined;
  const perProcess = cpuLogDir ? { NXB_CPU_LOG: join(cpuLogDir, 'log'), NODE_OPTIONS: `--require ${join(here, 'process-cpu-hook.cjs')}` } : {};
  return new Promise((resolvePromise, reject) => {
    const child = spawn('python3', [join(here, 'tree-cpu.py'), process.execPath, nxBin, ...args], {
      cwd: side.ws.root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', ...extraEnv, ...perProcess },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let measured = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdio[3].on('data', (chunk) => (measured += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`nx ${args.join(' ')} in ${side.ws.root} exited ${code}\n${output.split('\n').slice(-30).join('\n')}`));
      const m = JSON.parse(measured);
      const processes = {};
      if (cpuLogDir) {
        const lines = existsSync(perProcess.NXB_CPU_LOG) ? readFileSync(perProcess.NXB_CPU_LOG, 'utf8').trim().split('\n') : [];
        for (const { kind, cpuMs } of lines.map((line) => JSON.parse(line))) processes[kind] = (processes[kind] ?? 0) + cpuMs / 1000;
        rmSync(cpuLogDir, { recursive: true, force: true });
      }
      resolvePromise({ wall: m.wall, user: m.user, sys: m.sys, cpu: m.user + m.sys, processes, output });
    });
  });
}

function expectSkipped(side) {
  for (let i = 0; i < side.size; i++) {
    const project = `svc${String(i + 1).padStart(3, '0')}`;
    const path = join(side.ws.root, 'dist/docker', project, 'docker-build.json');
    const status = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).status : 'missing';
    if (status !== 'skipped') throw new Error(`${side.ws.root}: ${project} was ${status}, expected skipped`);
  }
}

const sides = [];
for (const size of sizes) {
  for (const kind of kinds) {
    // Workspaces without nx-buildkit do not depend on the plugin's code: one of each is enough.
    for (const install of kind === 'plugin' ? installs : installs.slice(0, 1)) sides.push(workspaceFor(install, kind, size));
  }
}
const label = (side) => `${side.kind}${side.kind === 'plugin' && installs.length > 1 ? `:${side.install.label}` : ''}@${side.size}`;

// Warm-up: the first build of each plugin workspace's images, then one untimed run of every command everywhere.
for (const side of sides) {
  if (side.kind === 'plugin' && commands.includes('batch')) {
    await timedNx(side, COMMANDS.batch);
    await timedNx(side, COMMANDS.batch);
    expectSkipped(side);
  }
  for (const command of commands) if (command !== 'batch' || side.kind === 'plugin') await timedNx(side, COMMANDS[command]);
  if (side.fresh) writeFileSync(join(side.ws.root, '.probe-ready'), new Date().toISOString());
}

const series = new Map();
for (let round = 0; round < runs; round++) {
  const order = sides.map((_, i) => sides[(i + round) % sides.length]);
  for (const command of commands) {
    for (const side of order) {
      if (command === 'batch' && side.kind !== 'plugin') continue;
      const result = await timedNx(side, COMMANDS[command]);
      if (command === 'batch') expectSkipped(side);
      const key = `${command} ${label(side)}`;
      if (!series.has(key)) series.set(key, []);
      series.get(key).push(result);
    }
  }
  process.stderr.write(`round ${round + 1}/${runs}\n`);
  // Kept after every round, so a run stopped early still leaves its rounds.
  if (values.out) writeOut();
}

const fmt = (list, field) => {
  const xs = list.map((r) => r[field]);
  return `${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
};
console.log(`| command | workspace | CPU s (user+sys) | user s | sys s | wall s |`);
console.log(`|---|---|---|---|---|---|`);
for (const [key, list] of series) {
  const [command, where] = key.split(' ');
  console.log(`| ${command} | ${where} | ${fmt(list, 'cpu')} | ${fmt(list, 'user')} | ${fmt(list, 'sys')} | ${fmt(list, 'wall')} |`);
}
if (values['per-process']) {
  console.log(`\n| command | workspace | process | CPU s |\n|---|---|---|---|`);
  for (const [key, list] of series) {
    const [command, where] = key.split(' ');
    const kinds = [...new Set(list.flatMap((r) => Object.keys(r.processes)))].sort();
    for (const kind of kinds) {
      const xs = list.map((r) => r.processes[kind] ?? 0);
      console.log(`| ${command} | ${where} | ${kind} | ${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}) |`);
    }
  }
}
if (values.out) writeOut();

function writeOut() {
  writeFileSync(values.out, JSON.stringify(Object.fromEntries([...series].map(([key, list]) => [key, list.map(({ output, ...r }) => r)])), null, 2));
}
