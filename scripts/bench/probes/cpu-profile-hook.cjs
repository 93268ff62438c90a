// Preloaded into every node process of an nx run (NODE_OPTIONS="--require <this file>"; NODE_OPTIONS may not carry
// --cpu-prof itself): starts the V8 profiler at once and writes <NXB_PROFILE_DIR>/<pid>-<argv tail>.cpuprofile when
// the process exits, also when Nx ends it with SIGTERM (plugin workers, the batch process); NXB_PROFILE_INTERVAL_US sets
// the sampling interval (1000 µs by default: finer sampling slows module loading more than the rest). Open the files in Chrome
// DevTools or summarize them with cpu-profile-summary.mjs.
const { Session } = require('node:inspector');
const { writeFileSync, mkdirSync } = require('node:fs');
const { join, basename } = require('node:path');

const dir = process.env.NXB_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.NXB_PROFILE_INTERVAL_US ?? 1000) });
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      const label = process.argv.slice(1, 4).map((arg) => basename(arg)).join('_').replace(/[^\w.-]+/g, '_').slice(0, 80);
      writeFileSync(join(dir, `${process.pid}-${label}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  // A process that ends by itself (Nx's batch process does) is written when its event loop empties: in the exit
  // event the profiler's answer no longer arrives.
  process.on('beforeExit', write);
  process.on('exit', write);
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      write();
      process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
    });
  }
}
