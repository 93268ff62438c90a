/** One share of a run split over machines: `--shard=2/3` is index 2 of count 3. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `i/n` with 1 ≤ i ≤ n; undefined for a value that is not one (the caller names the option in its error). */
export function parseShard(value: string): Shard | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}

/** A build target of the workspace (`project:target`) and the build targets it starts FROM (its image dependsOn). */
export interface ShardableTarget {
  readonly id: string;
  readonly dependsOn: readonly string[];
}

/**
 * Which shard builds each build target of the workspace. Targets linked by FROM (an image built on another image of
 * the workspace) form one group and go to one shard, so the base is built, tagged and there on the machine that
 * builds on it. The groups, ordered by their first target id, are dealt to the shards in turn.
 *
 * Computed from the whole workspace (every build target, not only those of this run): each machine of a CI matrix,
 * and each batch Nx hands the executor, then agrees on every image's shard without talking to the others, whatever
 * subset a run or a batch holds.
 */
export function assignShards(targets: readonly ShardableTarget[], count: number): Map<string, number> {
  const parent = new Map(targets.map((target) => [target.id, target.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(id, root);
    return root;
  };
  for (const target of targets) {
    for (const dependency of target.dependsOn) {
      if (!parent.has(dependency)) continue;
      const [a, b] = [find(target.id), find(dependency)].sort();
      parent.set(b, a);
    }
  }
  const groups = new Map<string, string[]>();
  for (const target of targets) groups.set(find(target.id), [...(groups.get(find(target.id)) ?? []), target.id]);
  const ordered = [...groups.values()].map((ids) => ids.sort()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const shards = new Map<string, number>();
  ordered.forEach((ids, i) => {
    for (const id of ids) shards.set(id, (i % count) + 1);
  });
  return shards;
}
