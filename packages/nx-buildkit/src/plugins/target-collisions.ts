/**
 * Targets a project defines itself under a name the plugin infers: Nx merges the two and the project's own wins
 * (its executor or command replaces nx-buildkit's), so the inferred build or lint silently disappears. Reported once
 * per process, in one line per target name, with the option that avoids it.
 */

export interface OwnTargets {
  readonly project: string;
  /** project.json `targets` and package.json `nx.targets`. */
  readonly targets?: Readonly<Record<string, unknown>>;
  /** package.json `scripts` (Nx infers a target from each). */
  readonly scripts?: Readonly<Record<string, unknown>>;
}

/** Executors the plugin's own targets use: a project's entry with one of these only configures the inferred target. */
const OWN_EXECUTORS = new Set(['nx-buildkit:build', 'nx-buildkit:lint', 'nx-buildkit:release-publish']);

/** Inferred target name → the projects whose own target of that name replaces it. */
export function findTargetCollisions(projects: ReadonlyArray<OwnTargets & { readonly inferred: readonly string[] }>): Map<string, string[]> {
  const collisions = new Map<string, string[]>();
  for (const { project, targets, scripts, inferred } of projects) {
    for (const name of inferred) {
      const own = targets?.[name] as { executor?: unknown; command?: unknown } | undefined;
      const replaces =
        (own !== undefined && typeof own === 'object' && own !== null && ((typeof own.executor === 'string' && !OWN_EXECUTORS.has(own.executor)) || own.command !== undefined)) ||
        (scripts !== undefined && typeof scripts[name] === 'string' && own === undefined);
      if (replaces) collisions.set(name, [...(collisions.get(name) ?? []), project]);
    }
  }
  return collisions;
}

export function collisionMessage(targetName: string, projects: readonly string[]): string {
  const listed = projects.length > 5 ? `${projects.slice(0, 5).join(', ')} and ${projects.length - 5} more` : projects.join(', ');
  // nx release runs the target of this one name: it cannot be renamed, only left to the project or given up.
  if (targetName === 'nx-release-publish') {
    return `nx-buildkit: ${projects.length === 1 ? '1 project defines its' : `${projects.length} projects define their`} own "nx-release-publish" target, so nx release publishes ${projects.length === 1 ? 'it' : 'them'} that way and does not tag ${projects.length === 1 ? 'its image' : 'their images'} (${listed}). Remove that target to release the image, or set { "plugin": "nx-buildkit", "options": { "release": false } } in nx.json.`;
  }
  const option = targetName.includes('lint') ? 'lintTargetName' : 'targetName';
  const free = targetName.includes('lint') ? 'docker:lint' : 'docker:build';
  return `nx-buildkit: ${projects.length === 1 ? '1 project defines its' : `${projects.length} projects define their`} own "${targetName}" target, which replaces the inferred one (${listed}). Name the inferred targets differently in nx.json: { "plugin": "nx-buildkit", "options": { "${option}": "${free}" } } (nx g nx-buildkit:init picks a free name).`;
}

const reported = new Set<string>();

/** Warns once per process for each distinct message. */
export function reportTargetCollisions(collisions: ReadonlyMap<string, readonly string[]>, warn: (message: string) => void): void {
  for (const [name, projects] of collisions) {
    const message = collisionMessage(name, [...projects].sort());
    if (reported.has(message)) continue;
    reported.add(message);
    warn(message);
  }
}
