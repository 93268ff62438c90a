// Paired differences of two series of nx-overhead.mjs's --out file, round by round (each round ran both, next to each
// other): the median and range of (a − b) for CPU and wall, which a busy machine blurs less than two separate medians.
//
// Usage: node scripts/bench/probes/paired-diff.mjs <out.json> "<command> <side a>" "<command> <side b>"
//   e.g. node scripts/bench/probes/paired-diff.mjs /tmp/ab.json "batch plugin:A@50" "batch plugin:B@50"
import { readFileSync } from 'node:fs';
import { median } from '../lib/stats.mjs';

const [file, a, b] = process.argv.slice(2);
const series = JSON.parse(readFileSync(file, 'utf8'));
if (!series[a] || !series[b]) {
  console.error(`Usage: paired-diff.mjs <out.json> "<series a>" "<series b>"; series: ${Object.keys(series).join(', ')}`);
  process.exit(2);
}
for (const field of ['cpu', 'wall']) {
  const diffs = series[a].map((run, i) => run[field] - series[b][i][field]);
  const ratios = series[a].map((run, i) => run[field] / series[b][i][field]);
  console.log(`${field}: ${a} − ${b} = ${median(diffs).toFixed(3)} s (${Math.min(...diffs).toFixed(3)}…${Math.max(...diffs).toFixed(3)}), ratio ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}), ${diffs.filter((d) => d > 0).length}/${diffs.length} rounds a > b`);
}
