// Preloaded into every node process of an nx run (NODE_OPTIONS="--require <this file>"): appends one JSON line per
// process to $NXB_CPU_LOG when it exits (also when Nx ends it with SIGTERM): which process it was (nx itself, the
// plugin worker of which plugin, the batch process) and its own CPU time (user + system, ms) and lifetime. The split
// of an nx command's CPU time by process, which nx-overhead.mjs --per-process reports.
const { appendFileSync } = require('node:fs');
const { basename } = require('node:path');

const log = process.env.NXB_CPU_LOG;
if (log) {
  const started = Date.now() - process.uptime() * 1000;
  const script = basename(process.argv[1] ?? '');
  const kind = script === 'plugin-worker.js' ? `worker:${basename(process.argv[3] ?? '?')}` : script === 'run-batch.js' ? 'batch process' : script === 'nx.js' ? 'nx (host)' : script;
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const { user, system } = process.cpuUsage();
    appendFileSync(log, `${JSON.stringify({ kind, cpuMs: Math.round((user + system) / 1000), lifeMs: Date.now() - started })}\n`);
  };
  process.on('exit', write);
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      write();
      process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
    });
  }
}
