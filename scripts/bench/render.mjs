// Re-renders bench/results.md from bench/results.json (after a change to the report layout; no Docker needed).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from './lib/report.mjs';

const bench = join(dirname(fileURLToPath(import.meta.url)), '../../bench');
writeFileSync(join(bench, 'results.md'), renderMarkdown(JSON.parse(readFileSync(join(bench, 'results.json'), 'utf8'))));
