// The bench side of lib/machines.ts: one child process that holds the registry and the fresh engines, asked one line
// at a time (see there). ts-node runs it, as the e2e suite's support it uses is TypeScript.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../../..');

export function startMachines() {
  const child = spawn(process.execPath, [join(repo, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', join(here, 'machines.ts')], {
    cwd: repo,
    env: { ...process.env, TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node', ignoreDeprecations: '6.0' }) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers = createInterface({ input: child.stdout });
  const waiting = [];
  answers.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const ask = (request) =>
    new Promise((resolve, reject) => {
      waiting.push((reply) => (reply.error ? reject(new Error(`${request}: ${reply.error}`)) : resolve(reply)));
      child.stdin.write(`${request}\n`);
    });
  return {
    registry: () => ask('registry'),
    /** A fresh, empty engine: `{ id, env }` (env: DOCKER_HOST for the docker CLI and nx). */
    engine: (containerd = false) => ask(containerd ? 'engine containerd' : 'engine'),
    stopEngine: (id) => ask(`stop ${id}`),
    close: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}
