// Nx's batch floor: an executor in batch mode (preferBatch, like nx-buildkit:build) that does nothing. `nx run-many` of
// it costs what Nx's batch mode itself costs — a process for the batch, Nx's batch runner loading, a message per task —
// and no executor in batch mode can go below it. Installed as a package into an install's node_modules.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BATCH_FLOOR_PACKAGE = 'nxb-bench-batch-floor';
/** The executor to give a target: `<package>:noop`. */
export const BATCH_FLOOR_EXECUTOR = `${BATCH_FLOOR_PACKAGE}:noop`;

const FILES = {
  'package.json': `${JSON.stringify({ name: BATCH_FLOOR_PACKAGE, version: '0.0.0', executors: './executors.json' })}\n`,
  'executors.json': `${JSON.stringify({ executors: { noop: { implementation: './noop', batchImplementation: './noop-batch', preferBatch: true, schema: './schema.json' } } })}\n`,
  'schema.json': `${JSON.stringify({ type: 'object', properties: {} })}\n`,
  'noop.js': 'module.exports = async function () { return { success: true }; };\n',
  'noop-batch.js': [
    'module.exports = async function* (taskGraph) {',
    "  for (const id of Object.keys(taskGraph.tasks)) yield { task: id, result: { success: true, terminalOutput: '' } };",
    '};',
    '',
  ].join('\n'),
};

export function installBatchFloorExecutor(installDir) {
  const dir = join(installDir, 'node_modules', BATCH_FLOOR_PACKAGE);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(FILES)) writeFileSync(join(dir, name), content);
}
