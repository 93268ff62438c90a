// B1 probe, run with the workspace as cwd: the executor's own cost of skipping unchanged images, without Nx around it.
// For each image it times the inputs hash alone (computeBuildInputs) and then the whole executor call (the default
// export Nx runs: engine check, hash, existence check, tagging, record), one image after the other.
// Usage: node skip-cost.mjs <config.json>; writes { runs: [{ hashMs: [...], executorMs: [...] }] } to config.out.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(join(config.pluginDir, 'package.json'));
const { computeBuildInputs } = require('./src/lib/image/identity/build-inputs.js');
// One run's shared state (base identities resolved once), as the executor makes it.
const { createRunState } = require('./src/lib/image/run-state.js');
const buildExecutor = require('./src/executors/build/build.js').default;

const projects = Object.fromEntries(config.projects.map((p) => [p.name, { name: p.name, root: p.root }]));

function executorContext(name) {
  return {
    root: config.workspaceRoot,
    cwd: config.workspaceRoot,
    projectName: name,
    targetName: 'docker-build',
    configurationName: undefined,
    isVerbose: false,
    projectsConfigurations: { version: 2, projects },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  };
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const runs = [];
for (let pass = 0; pass <= config.runs; pass++) {
  const hashMs = [];
  const executorMs = [];
  for (const project of config.projects) {
    const dockerfile = join(config.workspaceRoot, project.root, 'Dockerfile');
    const context = join(config.workspaceRoot, project.root);
    let started = now();
    await computeBuildInputs({ dockerfile, context, buildArgs: {}, platforms: [], pull: false, baseIdentities: createRunState().baseIdentities, unhashedDirs: [join(config.workspaceRoot, 'dist/docker')] });
    hashMs.push(now() - started);
    started = now();
    const result = await buildExecutor({ dockerfile: `${project.root}/Dockerfile`, context: project.root, image: project.image }, executorContext(project.name));
    executorMs.push(now() - started);
    if (!result?.success) throw new Error(`The executor failed for ${project.name}`);
    const record = JSON.parse(readFileSync(join(config.workspaceRoot, 'dist/docker', project.name, 'docker-build.json'), 'utf8'));
    if (record.status !== 'skipped') throw new Error(`${project.name} was ${record.status}, not skipped: the probe measures skips only`);
  }
  // Pass 0 warms the page cache and Node's module cache; it is not reported.
  if (pass > 0) runs.push({ hashMs, executorMs });
}
writeFileSync(config.out, JSON.stringify({ runs }));
