import { randomBytes } from 'node:crypto';
import { run, runOk } from './processes';

export interface ServingContainer {
  /** `http://127.0.0.1:<published port>` */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts a container with its port published on 127.0.0.1 and waits until the image's own HEALTHCHECK says healthy. */
export async function startHealthy(image: string, containerPort: number): Promise<ServingContainer> {
  const name = `nxb-e2e-serve-${randomBytes(4).toString('hex')}`;
  // The image's HEALTHCHECK command, run every second instead of its 30 s interval, so the wait is short.
  await runOk('docker', ['run', '-d', '--name', name, '--health-interval=1s', '-p', `127.0.0.1::${containerPort}`, image]);
  const stop = async () => void (await run('docker', ['rm', '--force', name]));
  try {
    const port = (await runOk('docker', ['port', name, `${containerPort}/tcp`])).stdout.trim().split('\n')[0].split(':').pop();
    const deadline = Date.now() + 60_000;
    let health = '';
    while (Date.now() < deadline) {
      health = (await runOk('docker', ['inspect', '--format', '{{.State.Health.Status}}', name])).stdout.trim();
      if (health === 'healthy' || health === 'unhealthy') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (health !== 'healthy') throw new Error(`${image}: HEALTHCHECK is "${health}"; logs:\n${(await run('docker', ['logs', name])).output}`);
    return { url: `http://127.0.0.1:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs `use` against a healthy container of the image, and removes the container whatever happens. */
export async function withServing(image: string, containerPort: number, use: (url: string) => Promise<void>): Promise<void> {
  const container = await startHealthy(image, containerPort);
  try {
    await use(container.url);
  } finally {
    await container.stop();
  }
}

export async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: await response.text() };
}
