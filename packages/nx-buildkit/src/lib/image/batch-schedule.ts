/**
 * Runs tasks with at most `concurrency` at once, each only after the tasks it depends on succeeded. A task whose
 * dependency failed is not run: `onBlocked` reports it. Pure scheduling; what a task does is the caller's.
 */
export async function runWithDependencies<T>(
  ids: readonly string[],
  dependencies: Readonly<Record<string, readonly string[]>>,
  concurrency: number,
  run: (id: string) => Promise<{ ok: boolean; value: T }>,
  onBlocked: (id: string, failedDependency: string) => T,
): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  const ok = new Map<string, boolean>();
  const inBatch = new Set(ids);
  const pending = new Set(ids);
  const running = new Set<string>();

  return new Promise((resolve, reject) => {
    const pump = (): void => {
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const id of [...pending]) {
          const deps = (dependencies[id] ?? []).filter((dep) => inBatch.has(dep));
          const failed = deps.find((dep) => ok.get(dep) === false);
          if (failed) {
            pending.delete(id);
            results.set(id, onBlocked(id, failed));
            ok.set(id, false);
            progressed = true;
            continue;
          }
          if (running.size >= concurrency || !deps.every((dep) => ok.get(dep) === true)) continue;
          pending.delete(id);
          running.add(id);
          progressed = true;
          run(id).then(
            (outcome) => {
              running.delete(id);
              results.set(id, outcome.value);
              ok.set(id, outcome.ok);
              pump();
            },
            reject,
          );
        }
      }
      if (pending.size === 0 && running.size === 0) resolve(results);
      else if (running.size === 0 && pending.size > 0) reject(new Error(`Dependency cycle among: ${[...pending].join(', ')}`));
    };
    pump();
  });
}

/** Orders ids so that each comes after the ids it depends on (within the set); cycles keep their input order. */
export function topologicalOrder(ids: readonly string[], dependencies: Readonly<Record<string, readonly string[]>>): string[] {
  const inSet = new Set(ids);
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): void => {
    if (state.get(id)) return;
    state.set(id, 'visiting');
    for (const dep of dependencies[id] ?? []) if (inSet.has(dep)) visit(dep);
    state.set(id, 'done');
    ordered.push(id);
  };
  for (const id of ids) visit(id);
  return ordered;
}
