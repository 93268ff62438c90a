// The CPU time a plugin costs in its Nx plugin worker, phase by phase, measured the way the worker does the work: the
// modules Nx's plugin-worker.js loads for itself, then the plugin loaded through Nx's own loader
// (loadResolvedNxPluginAsync), then createNodes through Nx's wrapper (the targets cache missing, then hit). Each
// repetition is a fresh node process; each phase's figure is process.cpuUsage() (user + system), which other work on
// a busy machine leaves nearly untouched, with the wall time beside it. Medians and ranges over the repetitions.
//
// Usage (in a workspace below a bench install, e.g. the plugin workspaces of nx-overhead.mjs):
//   cd <workspace> && node <repo>/scripts/bench/probes/plugin-worker-cost.mjs [--plugin nx-buildkit] [--runs 15]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../lib/stats.mjs';

const { values } = parseArgs({ options: { plugin: { type: 'string', default: 'nx-buildkit' }, runs: { type: 'string', default: '15' }, child: { type: 'boolean', default: false } } });

if (!values.child) {
  const phases = new Map();
  let modules;
  for (let i = 0; i < Number(values.runs); i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', '--plugin', values.plugin], { encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
    const result = JSON.parse(out);
    modules = result.modules;
    for (const [phase, figures] of Object.entries(result.phases)) {
      if (!phases.has(phase)) phases.set(phase, { cpu: [], wall: [] });
      phases.get(phase).cpu.push(figures.cpu);
      phases.get(phase).wall.push(figures.wall);
    }
  }
  const fmt = (xs) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
  console.log(`${values.plugin}, ${values.runs} processes; modules loaded by the plugin: ${JSON.stringify(modules)}`);
  console.log('| phase | CPU ms | wall ms |\n|---|---|---|');
  for (const [phase, { cpu, wall }] of phases) console.log(`| ${phase} | ${fmt(cpu)} | ${fmt(wall)} |`);
} else {
  const workspaceRoot = process.cwd();
  const requireHere = createRequire(join(workspaceRoot, 'package.json'));
  const nxDir = dirname(requireHere.resolve('nx/package.json'));
  const phases = {};
  let cpu = process.cpuUsage();
  let wall = performance.now();
  const mark = (phase) => {
    const now = process.cpuUsage(cpu);
    phases[phase] = { cpu: (now.user + now.system) / 1000, wall: performance.now() - wall };
    cpu = process.cpuUsage();
    wall = performance.now();
  };
  // What plugin-worker.js requires before a plugin is loaded (nx 24), and the loader it then requires.
  const workerModules = [
    'utils/consume-messages-from-socket',
    'utils/logger',
    'utils/serializable-error',
    'daemon/message-types/daemon-message',
    'project-graph/plugins/isolation/messaging',
    'project-graph/plugins/isolation/worker-streaming',
    'analytics',
    'daemon/client/daemon-environment',
    'daemon/sandbox-socket-hint',
    'utils/permission-errors',
    'utils/socket-refused-exit-code',
    'utils/is-sandbox',
    'utils/perf-logging',
    'project-graph/plugins/load-resolved-plugin',
  ];
  for (const id of workerModules) requireHere(join(nxDir, 'dist/src', id));
  global.NX_GRAPH_CREATION = true;
  global.NX_PLUGIN_WORKER = true;
  mark('Nx plugin worker modules');

  const before = new Set(Object.keys(requireHere.cache));
  const { loadResolvedNxPluginAsync } = requireHere(join(nxDir, 'dist/src/project-graph/plugins/load-resolved-plugin'));
  const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8'));
  const configuration = (nxJson.plugins ?? []).find((entry) => (typeof entry === 'string' ? entry : entry.plugin) === values.plugin) ?? values.plugin;
  const plugin = await loadResolvedNxPluginAsync(configuration, dirname(requireHere.resolve(`${values.plugin}/package.json`)), values.plugin);
  const added = Object.keys(requireHere.cache).filter((key) => !before.has(key));
  const modules = {};
  for (const key of added) {
    const tail = key.split('node_modules/').at(-1);
    const name = tail.startsWith('@') ? tail.split('/').slice(0, 2).join('/') : tail.split('/')[0];
    modules[name] = (modules[name] ?? 0) + 1;
  }
  mark('plugin load');

  // The files Nx would hand createNodes: those matching the plugin's pattern (nx-buildkit's: project.json, package.json).
  const configFiles = [];
  (function walk(dir) {
    for (const entry of readdirSync(join(workspaceRoot, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist', '.nx', '.git'].includes(entry.name)) walk(path);
      } else if (entry.name === 'project.json' || entry.name === 'package.json') configFiles.push(path);
    }
  })('');
  configFiles.sort();
  const context = { workspaceRoot, nxJsonConfiguration: nxJson };
  const dataDir = join(workspaceRoot, '.nx/workspace-data');
  for (const file of readdirSync(dataDir).filter((name) => name.startsWith('nx-buildkit-') && name.endsWith('.hash'))) rmSync(join(dataDir, file));
  mark('(listing config files, clearing the cache)');
  if (plugin.createNodes) {
    await plugin.createNodes[1](configFiles, context);
    mark('createNodes, cache miss');
    await plugin.createNodes[1](configFiles, context);
    mark('createNodes, cache hit');
  }
  process.stdout.write(JSON.stringify({ phases, modules }));
}
