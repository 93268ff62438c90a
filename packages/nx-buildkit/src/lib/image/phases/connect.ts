import type { ExecutorContext } from '@nx/devkit';
import { describeError } from '../../errors';
import { connectEngineOf } from '../../engine/connect';
import type { EngineKind } from '../../engine/engine-kind';
import { createRunState, RunState } from '../run-state';
import { workspaceImagesOf } from '../workspace-images';
import type { RunTasks } from './run-tasks';

/**
 * The run's one engine, asked once whether it answers. An engine that does not fails every task still to run with
 * its message (said once), and the run has no state (undefined).
 */
export async function connect(
  engine: EngineKind,
  context: Pick<ExecutorContext, 'root' | 'projectsConfigurations' | 'projectGraph'>,
  tasks: RunTasks,
  valid: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RunState | undefined> {
  const run = createRunState(connectEngineOf(engine, env), undefined, workspaceImagesOf(context));
  // The image list is the first thing planning asks for (base images, hash tags): asked beside the ping, its round
  // trip overlaps the ping's. An engine that does not answer is reported by the ping.
  run.localImages().catch(() => undefined);
  try {
    await run.engine.ping();
    return run;
  } catch (error) {
    tasks.say(describeError(error));
    for (const id of valid) tasks.fail(tasks.get(id), error);
    return undefined;
  }
}
