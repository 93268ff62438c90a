// B4 growth: how a no-op run and a one-change run grow with the number of images and with the context size of each
// image. One workspace per case (bench/scenarios.mjs); the runs of all workspaces are interleaved round by round.
import { join } from 'node:path';
import { appendLine, RUN_NONCE, writeServiceProject } from '../lib/fixtures.mjs';
import { summarize } from '../lib/stats.mjs';
import { createWorkspace } from '../lib/workspace.mjs';
import { expectRecords, runMany } from './timed-runs.mjs';

export async function benchGrowth({ installDir, config, log }) {
  // One task per image, as B1's per-task series (explicit in case a plugin version prefers batch mode by default).
  const parallel = [`--parallel=${config.parallel}`, '--batch=false'];
  const cases = [];
  for (const { context: contextName, images: size } of config.cases) {
    const context = config.contexts[contextName];
    const prefix = `nxb-bench-b4-${contextName}-${size}-`;
    const ws = createWorkspace(installDir, `b4-${contextName}-${size}`, { plugins: [{ plugin: 'nx-buildkit', options: { image: `${prefix}{projectName}` } }] });
    const names = [];
    for (let i = 0; i < size; i++) {
      const name = `svc${String(i + 1).padStart(2, '0')}`;
      writeServiceProject(ws, name, i, context);
      names.push(name);
    }
    cases.push({ contextName, context, size, ws, names, noop: [], oneChange: [] });
  }

  for (const c of cases) {
    log(`B4: first build of ${c.size} images (${c.contextName} contexts), one untimed no-op`);
    await runMany(c.ws, 'docker-build', parallel);
    expectRecords(c.ws, c.names, 'built');
    await runMany(c.ws, 'docker-build', parallel);
    expectRecords(c.ws, c.names, 'skipped');
  }

  for (let round = 1; round <= config.runs; round++) {
    for (const c of cases) {
      c.noop.push(await runMany(c.ws, 'docker-build', parallel));
      expectRecords(c.ws, c.names, 'skipped');
    }
    for (const c of cases) {
      // A different image each round, one line appended to one of its source files.
      const changed = c.names[(round - 1) % c.names.length];
      appendLine(join(c.ws.root, 'apps', changed, 'src/part-000/file-00000.txt'), `changed in round ${round} of run ${RUN_NONCE}`);
      c.oneChange.push(await runMany(c.ws, 'docker-build', parallel));
      expectRecords(c.ws, c.names, (name) => (name === changed ? 'built' : 'skipped'));
    }
    log(`B4: round ${round}/${config.runs}: ${cases.map((c) => `${c.contextName}/${c.size} ${c.noop.at(-1).toFixed(1)}/${c.oneChange.at(-1).toFixed(1)} s`).join(', ')}`);
  }

  return {
    title: 'B4 growth',
    setup: { parallel: config.parallel, command: `nx run-many -t docker-build --parallel=${config.parallel} --batch=false --skip-nx-cache (NX_DAEMON=false)` },
    cases: cases.map((c) => ({
      context: c.contextName,
      images: c.size,
      contextPerImage: { files: c.context.files + 3, bytes: c.context.bytes },
      totalContextMB: Math.round((c.size * c.context.bytes) / 1e5) / 10,
      noopSeconds: summarize(c.noop),
      oneChangeSeconds: summarize(c.oneChange),
      noopPerImageMs: summarize(c.noop.map((s) => (s * 1000) / c.size)),
    })),
  };
}
