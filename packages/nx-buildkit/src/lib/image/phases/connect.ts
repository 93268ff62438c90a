import type { ExecutorContext } from '@nx/devkit';
import { describeError } from '../../errors';
import { connectEngineOf } from '../../engine/connect';
import type { EngineKind } from '../../engine/engine-kind';
import { chooseImageLookup } from '../local-images';
import { createRunState, RunState } from '../run-state';
import { workspaceImagesOf } from '../workspace-images';
import type { RunTasks } from './run-tasks';

/**
 * The run's one engine, asked once whether it answers. An engine that does not fails every task still to run with
 * its message (said once), and the run has no state (undefined). `meanwhile` is work that needs no answer from the
 * engine (parsing the Dockerfiles, sending the first look-ups): it runs while the ping is on its way.
 */
export async function connect(
  engine: EngineKind,
  context: Pick<ExecutorContext, 'root' | 'projectsConfigurations' | 'projectGraph'>,
  tasks: RunTasks,
  valid: readonly string[],
  meanwhile: (run: RunState) => void = () => undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RunState | undefined> {
  const client = connectEngineOf(engine, env);
  const run = createRunState(client, undefined, workspaceImagesOf(context), undefined, chooseImageLookup(valid.length, client));
  // A listing is the first thing planning waits for (base images, hash tags): asked beside the ping, its round trip
  // overlaps the ping's. An engine that does not answer is reported by the ping.
  run.prefetchLocalImages();
  const unanswered = run.engine.ping().then(
    () => undefined,
    (error: unknown) => error,
  );
  meanwhile(run);
  const error = await unanswered;
  if (!error) return run;
  tasks.say(describeError(error));
  for (const id of valid) tasks.fail(tasks.get(id), error);
  return undefined;
}
