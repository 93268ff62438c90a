// What nx-buildkit's inference costs inside its plugin worker, without Nx around it: the time and modules of loading
// the plugin (on top of @nx/devkit, which every plugin worker has), then createNodes over the workspace's project
// files with the targets cache missing (first run, or a new plugin version) and hit (every later run), and the file
// system calls each makes. Run it with the workspace as the working directory, as Nx runs its plugin workers:
//
//   cd <workspace> && node <repo>/scripts/bench/probes/create-nodes-cost.mjs [--runs 20] [--options '{"image":"…"}']
//
// Add --cpu-prof to node's arguments for a profile of the same work.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../lib/stats.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, options: { type: 'string' } } });
const workspaceRoot = process.cwd();
const requireHere = createRequire(join(workspaceRoot, 'package.json'));
const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8'));
const registered = (nxJson.plugins ?? []).find((entry) => (typeof entry === 'string' ? entry : entry.plugin) === 'nx-buildkit');
const pluginOptions = values.options ? JSON.parse(values.options) : typeof registered === 'object' ? registered.options : undefined;

// Counts of the file system calls made through node:fs (inference reads synchronously).
const counts = {};
for (const name of ['readFileSync', 'statSync', 'lstatSync', 'existsSync', 'readdirSync', 'openSync']) {
  const original = fs[name];
  fs[name] = function counted(...args) {
    counts[name] = (counts[name] ?? 0) + 1;
    return original.apply(this, args);
  };
}
const snapshot = () => ({ ...counts });
const delta = (before) => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v));

const t0 = performance.now();
requireHere('@nx/devkit');
const tDevkit = performance.now();
const modulesBefore = new Set(Object.keys(requireHere.cache));
const plugin = requireHere('nx-buildkit');
const tPlugin = performance.now();
const pluginModules = Object.keys(requireHere.cache).filter((key) => !modulesBefore.has(key));
const byPackage = {};
for (const key of pluginModules) {
  const parts = key.split('node_modules/');
  const tail = parts.at(-1);
  const name = tail.startsWith('@') ? tail.split('/').slice(0, 2).join('/') : tail.split('/')[0];
  byPackage[name] = (byPackage[name] ?? 0) + 1;
}

const [, createNodes] = plugin.createNodesV2 ?? plugin.createNodes;
// The files the plugin's glob names (project.json and package.json anywhere), as Nx would list them.
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
const context = { workspaceRoot, nxJsonConfiguration: nxJson, configFiles };

async function timed(fn) {
  const before = snapshot();
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, calls: delta(before), result };
}

const dataDir = join(workspaceRoot, '.nx/workspace-data');
const clearCache = () => {
  for (const file of readdirSync(dataDir).filter((name) => name.startsWith('nx-buildkit-') && name.endsWith('.hash'))) rmSync(join(dataDir, file));
};
const runs = Number(values.runs);
const misses = [];
const hits = [];
let missCalls;
let hitCalls;
let projects = 0;
for (let i = 0; i < runs; i++) {
  clearCache();
  const miss = await timed(() => createNodes(configFiles, pluginOptions, context));
  const hit = await timed(() => createNodes(configFiles, pluginOptions, context));
  misses.push(miss.ms);
  hits.push(hit.ms);
  missCalls ??= miss.calls;
  hitCalls ??= hit.calls;
  projects = miss.result.filter(([, result]) => Object.keys(result.projects ?? {}).length).length;
}
const range = (xs) => `${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
console.log(
  JSON.stringify(
    {
      configFiles: configFiles.length,
      projectsInferred: projects,
      loadDevkitMs: +(tDevkit - t0).toFixed(1),
      loadPluginMs: +(tPlugin - tDevkit).toFixed(1),
      pluginModules: pluginModules.length,
      pluginModulesByPackage: byPackage,
      createNodesMiss: range(misses),
      createNodesHit: range(hits),
      fsCallsMiss: missCalls,
      fsCallsHit: hitCalls,
    },
    null,
    2,
  ),
);
