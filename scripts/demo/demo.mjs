// `npm run demo`: a sample Nx workspace under tmp/demo with a Python backend and a Vite + React frontend, built in
// parallel through nx-buildkit; then one backend source file changes and both are built again.
import { execa } from 'execa';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPlugin } from '../lib/pack-plugin.mjs';
import { installPluginWorkspace } from '../lib/plugin-workspace.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const demo = join(repo, 'tmp/demo');
const packDir = join(repo, 'tmp/demo-pack');

const step = (message) => console.log(`\n=== ${message}`);
const sh = (file, args, options = {}) => execa(file, args, { stdio: 'inherit', ...options });

function write(path, content) {
  mkdirSync(dirname(join(demo, path)), { recursive: true });
  writeFileSync(join(demo, path), content);
}

function record(project) {
  return JSON.parse(readFileSync(join(demo, 'dist/docker', project, 'docker-build.json'), 'utf8'));
}

function printResults(title) {
  console.log(`\n${title}`);
  console.log('  image      status    time     steps cached');
  for (const project of ['api', 'web']) {
    const r = record(project);
    const steps = r.steps ? `${r.steps.cached}/${r.steps.total}` : '-';
    console.log(`  ${project.padEnd(9)}  ${r.status.padEnd(8)}  ${`${(r.durationMs / 1000).toFixed(1)}s`.padEnd(7)}  ${steps}`);
  }
}

async function buildAll() {
  const started = Date.now();
  await sh(process.execPath, ['node_modules/nx/dist/bin/nx.js', 'run-many', '-t', 'docker-build', '--parallel=2', '--skip-nx-cache', '--output-style=static'], {
    cwd: demo,
    env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
  });
  return ((Date.now() - started) / 1000).toFixed(1);
}

process.on('unhandledRejection', (error) => {
  // A failed step has already printed its own output; say which command failed, without a stack trace.
  console.error(`\nThe demo stopped: ${error?.shortMessage ?? error?.message ?? error}`);
  process.exit(1);
});

step('Building and packing the plugin');
const tarball = packPlugin(packDir);

step(`Creating the sample workspace in ${demo}`);
for (const name of ['api', 'web']) {
  // Images from an earlier demo run would make everything skip; the demo shows a first build.
  await execa('docker', ['image', 'rm', '--force', `demo-${name}:latest`], { reject: false });
}
rmSync(demo, { recursive: true, force: true });
// nx, @nx/devkit and the packed plugin from the committed lockfile the e2e suite uses: npm ci, nothing resolved now.
installPluginWorkspace(join(repo, 'e2e/nx-buildkit-e2e/fixtures/plugin-workspace'), demo, tarball);
write('nx.json', '{ "defaultBase": "main" }\n');
cpSync(join(here, 'sample/api'), join(demo, 'apps/api'), { recursive: true });
cpSync(join(here, 'sample/web'), join(demo, 'apps/web'), { recursive: true });

for (const project of ['api', 'web']) {
  write(`apps/${project}/project.json`, `${JSON.stringify({
    name: project,
    root: `apps/${project}`,
    targets: { 'docker-build': { executor: 'nx-buildkit:build', options: { image: `demo-${project}` } } },
  }, null, 2)}\n`);
}

const nx = (args) => sh(process.execPath, ['node_modules/nx/dist/bin/nx.js', ...args], {
  cwd: demo,
  env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
});

step('Generating cache-ordered Dockerfiles: nx g nx-buildkit:backend api, nx g nx-buildkit:frontend web');
await nx(['g', 'nx-buildkit:backend', 'api', '--systemPackages=curl', '--no-interactive']);
await nx(['g', 'nx-buildkit:frontend', 'web', '--no-interactive']);
console.log(`\n--- apps/api/Dockerfile.prod ---\n${readFileSync(join(demo, 'apps/api/Dockerfile.prod'), 'utf8')}`);

step('First build of both images, in parallel (nx run-many -t docker-build --parallel=2)');
const firstWall = await buildAll();
printResults(`First build: ${firstWall}s wall time`);

step('Editing one backend source file (apps/api/src/api/server.py)');
const serverPy = join(demo, 'apps/api/src/api/server.py');
writeFileSync(serverPy, `${readFileSync(serverPy, 'utf8')}\n# edited by the demo at ${new Date().toISOString()}\n`);

step('Second build: only the backend rebuilds, and only its last layer');
const secondWall = await buildAll();
printResults(`After a one-file backend change: ${secondWall}s wall time`);

const api = record('api');
const web = record('web');
console.log(`\nbuilt: ${[api, web].filter((r) => r.status === 'built').map((r) => r.project).join(', ') || 'none'}`);
console.log(`skipped: ${[api, web].filter((r) => r.status === 'skipped').map((r) => r.project).join(', ') || 'none'}`);
if (api.status !== 'built' || web.status !== 'skipped') {
  console.error('Unexpected: the backend should have been rebuilt and the frontend skipped.');
  process.exit(1);
}
