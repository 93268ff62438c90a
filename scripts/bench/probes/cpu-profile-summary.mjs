// Where the CPU time of one or more .cpuprofile files went (from cpu-profile-hook.cjs, or node --cpu-prof): per
// process, the sampled time split into module loading and running, each by whether nx-buildkit's code is on the stack,
// plus the heaviest nx-buildkit functions (inclusive time) and, with --functions, the inclusive time of named ones.
//
// Usage: node scripts/bench/probes/cpu-profile-summary.mjs <file.cpuprofile>… [--functions createNodes,planBuild] [--top 15]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { splitProfile } from '../lib/cpu-profile.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { functions: { type: 'string', default: '' }, top: { type: 'string', default: '12' } } });
const named = values.functions ? values.functions.split(',') : [];
for (const file of positionals) {
  const { totalMs: total, buckets, pluginInclusive, named: namedInclusive } = splitProfile(JSON.parse(readFileSync(file, 'utf8')), { named });
  console.log(`\n## ${basename(file)}: ${total.toFixed(0)} ms sampled, ${(total - (buckets.idle ?? 0)).toFixed(0)} ms busy`);
  for (const [bucket, ms] of Object.entries(buckets).sort((a, b) => b[1] - a[1])) console.log(`  ${bucket.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms`);
  const heaviest = [...pluginInclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  if (heaviest.length) {
    console.log('  heaviest nx-buildkit functions (inclusive):');
    for (const [key, ms] of heaviest) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  }
  for (const [name, ms] of namedInclusive) console.log(`  ${name} (inclusive): ${ms.toFixed(0)} ms`);
}
