import type { EngineClient } from './client';

/**
 * Whether a buildx builder can export a layer cache (`--cache-to type=registry…`). The `docker` driver can only when
 * the engine keeps images in the containerd image store; with the classic store BuildKit refuses ("Cache export is
 * not supported for the docker driver") and the whole build fails. Every other driver (docker-container,
 * kubernetes, remote) can.
 */
export type CacheExportSupport = { readonly supported: true } | { readonly supported: false; readonly hint: string };

export const CLASSIC_STORE_HINT =
  'nx-buildkit: the registry layer cache is read but not written: the builder uses the "docker" driver on the classic image store, which cannot export cache. ' +
  'To write it, enable the containerd image store (daemon.json: {"features":{"containerd-snapshotter":true}}) or set "builder" to a docker-container or remote buildx builder.';

/** The driver of `docker buildx inspect`'s output (`Driver:        docker`). */
export function builderDriver(inspectOutput: string): string | undefined {
  return /^Driver:\s*(\S+)/m.exec(inspectOutput)?.[1];
}

/**
 * The engine a docker-driver builder runs on: the first node's endpoint, a docker context name or a host URL
 * (`unix://…`, `tcp://…`). `default` is the CLI's own engine.
 */
export function builderEndpoint(inspectOutput: string): string | undefined {
  return /^Endpoint:\s*(\S+)/m.exec(inspectOutput)?.[1];
}

/** The `docker` arguments that ask that engine rather than the CLI's current one. */
export function engineSelector(endpoint: string | undefined): string[] {
  if (!endpoint || endpoint === 'default') return [];
  return /^[a-z]+:\/\//.test(endpoint) ? ['--host', endpoint] : ['--context', endpoint];
}

/** The engine's image store from `docker info`'s DriverStatus: the containerd store names its snapshotter there. */
export function usesContainerdStore(driverStatus: unknown): boolean {
  return Array.isArray(driverStatus) && driverStatus.some((pair) => Array.isArray(pair) && pair[0] === 'driver-type' && String(pair[1]).startsWith('io.containerd.snapshotter'));
}

export function cacheExportSupport(driver: string | undefined, containerdStore: boolean): CacheExportSupport {
  if (driver !== 'docker' || containerdStore) return { supported: true };
  return { supported: false, hint: CLASSIC_STORE_HINT };
}

/**
 * Asks buildx for the builder's driver (the named one, else the current one) and, for the `docker` driver, the engine
 * for its image store: two docker processes, made only before a build that would write the registry cache. A builder
 * that cannot be inspected is assumed able to export: the build then says what is wrong itself.
 */
export async function probeCacheExport(engine: EngineClient, builder: string | undefined): Promise<CacheExportSupport> {
  const inspect = await engine.run(builder ? ['buildx', 'inspect', builder] : ['buildx', 'inspect']);
  if (inspect.exitCode !== 0) return { supported: true };
  const driver = builderDriver(inspect.stdout);
  if (driver !== 'docker') return cacheExportSupport(driver, false);
  // The docker driver builds on its node's engine, which a named builder may have on another context.
  const info = await engine.run([...engineSelector(builderEndpoint(inspect.stdout)), 'info', '--format', '{{json .DriverStatus}}']);
  let status: unknown;
  try {
    status = JSON.parse(info.stdout);
  } catch {
    status = undefined;
  }
  return cacheExportSupport(driver, usesContainerdStore(status));
}
