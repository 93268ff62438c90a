// Where the CPU time of one or more .cpuprofile files went (from cpu-profile-hook.cjs, or node --cpu-prof): per
// process, the sampled time split into module loading and running, each by whether nx-buildkit's code is on the stack,
// plus the heaviest nx-buildkit functions (inclusive time) and, with --functions, the inclusive time of named ones.
//
// Usage: node scripts/bench/probes/cpu-profile-summary.mjs <file.cpuprofile>… [--functions createNodes,planBuild] [--top 15]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { functions: { type: 'string', default: '' }, top: { type: 'string', default: '12' } } });
const named = values.functions ? values.functions.split(',') : [];
const PLUGIN = /\/nx-buildkit\//;
const LOADING = new Set(['Module._load', 'Module.require', 'Module._compile', 'compileFunction', 'wrapSafe', 'require']);

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const deltas = profile.timeDeltas;
  const buckets = {};
  const pluginInclusive = new Map();
  const namedInclusive = new Map(named.map((name) => [name, 0]));
  let total = 0;
  const stackCache = new Map();
  const stackOf = (id) => {
    if (stackCache.has(id)) return stackCache.get(id);
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(nodes.get(at).callFrame);
    stackCache.set(id, frames);
    return frames;
  };
  profile.samples.forEach((id, i) => {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const frames = stackOf(id);
    const top = frames[0].functionName;
    total += ms;
    let bucket;
    if (top === '(idle)') bucket = 'idle';
    else if (top === '(garbage collector)') bucket = 'gc';
    else if (top === '(program)') bucket = 'program (native, compile, I/O callbacks)';
    else {
      const plugin = frames.some((frame) => PLUGIN.test(frame.url));
      const loading = frames.some((frame) => LOADING.has(frame.functionName));
      bucket = `${plugin ? 'nx-buildkit' : 'nx and node'}: ${loading ? 'loading modules' : 'running'}`;
      const seen = new Set();
      for (const frame of frames) {
        if (!PLUGIN.test(frame.url)) continue;
        const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/nx-buildkit/')[1]}:${frame.lineNumber + 1}`;
        if (seen.has(key)) continue;
        seen.add(key);
        pluginInclusive.set(key, (pluginInclusive.get(key) ?? 0) + ms);
      }
      for (const name of named) if (frames.some((frame) => frame.functionName === name)) namedInclusive.set(name, namedInclusive.get(name) + ms);
    }
    buckets[bucket] = (buckets[bucket] ?? 0) + ms;
  });
  console.log(`\n## ${basename(file)}: ${total.toFixed(0)} ms sampled, ${(total - (buckets.idle ?? 0)).toFixed(0)} ms busy`);
  for (const [bucket, ms] of Object.entries(buckets).sort((a, b) => b[1] - a[1])) console.log(`  ${bucket.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms`);
  const heaviest = [...pluginInclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  if (heaviest.length) {
    console.log('  heaviest nx-buildkit functions (inclusive):');
    for (const [key, ms] of heaviest) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  }
  for (const [name, ms] of namedInclusive) console.log(`  ${name} (inclusive): ${ms.toFixed(0)} ms`);
}
