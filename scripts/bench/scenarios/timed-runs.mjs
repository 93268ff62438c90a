// What every scenario does: time nx runs end to end, check the executor's records, run a probe in a workspace.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../lib/run.mjs';
import { median } from '../lib/stats.mjs';

/** `nx run-many -t <target>` timed end to end (node start to exit); returns seconds. */
export async function runMany(ws, target, args = []) {
  const result = await ws.nx(['run-many', '-t', target, '--output-style=static', '--skip-nx-cache', ...args]);
  return result.ms / 1000;
}

/** `nx run <project>:<target>` timed end to end; returns seconds. */
export async function runOne(ws, project, target) {
  const result = await ws.nx(['run', `${project}:${target}`, '--output-style=static', '--skip-nx-cache']);
  return result.ms / 1000;
}

/** The records of the given projects; throws when a status is not the expected one (a bench must measure what it says). */
export function expectRecords(ws, projects, expected, target = 'docker-build') {
  const records = projects.map((name) => {
    const record = ws.record(name, target);
    if (!record) throw new Error(`${ws.name}: no record for ${name}:${target}`);
    const want = typeof expected === 'function' ? expected(name) : expected;
    if (record.status !== want) throw new Error(`${ws.name}: ${name}:${target} was ${record.status}, expected ${want}${record.error ? `: ${record.error}` : ''}`);
    return record;
  });
  return records;
}

/** Runs a probe script (scripts/bench/probes) in the workspace and returns what it wrote. */
export async function runProbe(script, ws, config) {
  const dir = mkdtempSync(join(tmpdir(), 'nxb-bench-probe-'));
  try {
    const configPath = join(dir, 'config.json');
    const out = join(dir, 'out.json');
    writeFileSync(configPath, JSON.stringify({ ...config, out }));
    await run(process.execPath, [script, configPath], { cwd: ws.root, env: { NX_DAEMON: 'false', FORCE_COLOR: '0' } });
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A project's targets as Nx resolves them (inferred ones included). */
async function projectTargets(ws, project) {
  const shown = await ws.nx(['show', 'project', project, '--json']);
  return JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{'))).targets;
}

/** The options of one target, as Nx resolves them. */
async function targetOptions(ws, project, target) {
  return (await projectTargets(ws, project))[target]?.options ?? {};
}

/**
 * The arguments of a bare `docker buildx build` of what a target builds: its Dockerfile and context, none of the
 * executor's flags, the given tag (B2 and B3 time it beside the executor).
 */
export async function bareBuildArgs(ws, project, target, tag) {
  const { dockerfile, context } = await targetOptions(ws, project, target);
  return ['buildx', 'build', '--load', '--quiet', '--file', dockerfile, '--tag', tag, context ?? '.'];
}

/** The inferred target of a project that builds a given Dockerfile (workspace-relative path). */
export async function targetBuilding(ws, project, dockerfile) {
  const targets = await projectTargets(ws, project);
  const found = Object.entries(targets).find(([, target]) => target.options?.dockerfile === dockerfile);
  if (!found) throw new Error(`${ws.name}: no inferred target builds ${dockerfile}; targets of ${project}: ${Object.keys(targets).join(', ')}`);
  return found[0];
}

/** "cached/total" build steps, the medians over a series of records' `steps`. */
export function medianSteps(list) {
  return `${median(list.map((s) => s?.cached ?? NaN))}/${median(list.map((s) => s?.total ?? NaN))}`;
}
