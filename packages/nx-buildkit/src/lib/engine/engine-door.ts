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

  /** Runs the engine's CLI with an argument array, never a shell (run-process.ts); counted. */
  run(args: readonly string[], options?: RunOptions): Promise<ProcessResult> {
    this.calls++;
    return runProcess(this.program, args, options);
  }

  /** One bounded exchange with a registry or its token service (registry-http.ts); counted. */
  registryRequest(url: string, exchange: RegistryExchange): Promise<RegistryHttpAnswer> {
    this.calls++;
    return registryExchange(url, exchange);
  }
}
