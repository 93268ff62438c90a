import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The programs nx-buildkit can build images with. */
export type EngineKind = 'docker' | 'podman';

export const ENGINE_KINDS: readonly EngineKind[] = ['docker', 'podman'];

/**
 * The engine a target builds with: the one its options name; else docker when the docker CLI is on PATH; else podman
 * when only podman is (a Podman-only machine, as @nx/docker and nx-container detect it); else docker, whose missing
 * CLI then gets its own one-line error before any build.
 */
export function chooseEngine(requested: EngineKind | undefined, onPath: (program: string) => boolean): EngineKind {
  if (requested) return requested;
  if (onPath('docker')) return 'docker';
  return onPath('podman') ? 'podman' : 'docker';
}

/** Whether an executable of that name is in one of PATH's folders (no process started: this runs for every target). */
export function isOnPath(program: string, env: Readonly<Record<string, string | undefined>>): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, program);
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      // not there, or not executable: the next folder
    }
  }
  return false;
}

/**
 * isOnPath, each program looked up once: one lookup serves a run's tasks (a batch of 50 images asked the same
 * question 50 times, ~0.5 ms each in B4's no-op). A program installed during the run is seen by the next run.
 */
export function onPathOnce(env: Readonly<Record<string, string | undefined>>): (program: string) => boolean {
  const answers = new Map<string, boolean>();
  return (program) => {
    let answer = answers.get(program);
    if (answer === undefined) answers.set(program, (answer = isOnPath(program, env)));
    return answer;
  };
}
