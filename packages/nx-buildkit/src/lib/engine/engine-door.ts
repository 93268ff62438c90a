import { directBuildx, PLUGIN_REEXEC_ENV } from './buildx-plugin';
import { registryExchange, RegistryExchange, RegistryHttpAnswer } from './registry-http';
import { ProcessResult, runProcess, RunOptions } from './run-process';

/** The program whose processes an engine client starts: the docker CLI for Docker's engine, podman for podman's. */
export type EngineProgram = 'docker' | 'podman';

/**
 * The one door every engine client goes through for what is not an Engine API round trip: a process of the
 * engine's CLI (buildx build and imagetools, pull, push, version, inspect, info…) and an HTTP exchange with a
 * registry or its token service (the manifest copy, podman's registry look-ups). Each is counted in `calls` with the
 * client's API round trips, so the run's counter sees everything the run asked (engine-door.spec.ts fails on a
 * process or connection opened anywhere else). A redirect followed within one registry exchange is part of it.
 */
export abstract class EngineDoor {
  calls = 0;

  protected constructor(private readonly program: EngineProgram) {}

  /**
   * Runs the engine's CLI with an argument array, never a shell (run-process.ts); counted. `docker buildx …` starts
   * the buildx plugin as the docker CLI would, without the CLI in front, where buildx-plugin.ts finds it.
   */
  async run(args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
    this.calls++;
    const direct = this.program === 'docker' && args[0] === 'buildx' ? directBuildx() : undefined;
    if (direct) {
      const result = await runProcess(direct.plugin, args, { ...options, env: { ...options.env, [PLUGIN_REEXEC_ENV]: direct.cli } });
      // Not started at all (removed since the look-up): the CLI goes first after all, and says what is missing.
      if (result.spawnError === undefined) return result;
    }
    return runProcess(this.program, args, options);
  }

  /** One bounded exchange with a registry or its token service (registry-http.ts); counted. */
  registryRequest(url: string, exchange: RegistryExchange): Promise<RegistryHttpAnswer> {
    this.calls++;
    return registryExchange(url, exchange);
  }
}
