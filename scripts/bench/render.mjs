// Re-renders bench/results.md and the README's goals table from bench/results.json (after a change to the report layout; no Docker needed).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withGoalsTable } from './lib/goals.mjs';
import { renderMarkdown } from './lib/report.mjs';

const bench = join(dirname(fileURLToPath(import.meta.url)), '../../bench');
const results = JSON.parse(readFileSync(join(bench, 'results.json'), 'utf8'));
writeFileSync(join(bench, 'results.md'), renderMarkdown(results));
const readme = join(bench, '../README.md');
writeFileSync(readme, withGoalsTable(readFileSync(readme, 'utf8'), results.scenarios));
