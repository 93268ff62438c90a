// The bench's other machines, in a process of its own: a registry on 127.0.0.1 and fresh engines (each a dockerd in a
// network namespace of its own, linked to the registry), made with the e2e suite's own support so the bench and the
// tests stand them up the same way. Driven by lines on stdin, answering one JSON line per request on stdout:
//   registry                    → {"host":"localhost:<port>"}
//   engine [containerd]         → {"id":"e1","env":{"DOCKER_HOST":"unix://…"}}
//   stop <id>                   → {"stopped":"e1"}
// End of stdin (or SIGTERM) stops every engine and the registry.
import { createInterface } from 'node:readline';
import { startRegistry, TestRegistry } from '../../../e2e/nx-buildkit-e2e/src/support/registry';
import { SecondEngine, startSecondEngine } from '../../../e2e/nx-buildkit-e2e/src/support/second-engine';

let registry: TestRegistry | undefined;
const engines = new Map<string, SecondEngine>();
let next = 1;

async function answer(line: string): Promise<unknown> {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === 'registry') {
    registry ??= await startRegistry();
    return { host: registry.host };
  }
  if (command === 'engine') {
    if (!registry) throw new Error('start the registry first');
    const engine = await startSecondEngine({ registryPorts: [Number(registry.host.split(':')[1])], containerdStore: arg === 'containerd' });
    const id = `e${next++}`;
    engines.set(id, engine);
    return { id, env: engine.env };
  }
  if (command === 'stop') {
    await engines.get(arg)?.stop();
    engines.delete(arg);
    return { stopped: arg };
  }
  throw new Error(`unknown request "${line}"`);
}

async function stopAll(): Promise<void> {
  for (const engine of engines.values()) await engine.stop();
  engines.clear();
  await registry?.stop();
  registry = undefined;
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify(await answer(line))}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
    }
  });
});
lines.on('close', () => {
  queue.then(stopAll).finally(() => process.exit(0));
});
process.on('SIGTERM', () => {
  stopAll().finally(() => process.exit(143));
});
