import type { ProjectGraph, TargetConfiguration } from '@nx/devkit';
import type { BaseIdentity } from './identity/base-identity';
import { describeError } from '../errors';
import { canonicalReference, repositoryFromProjectName } from './identity/image-ref';
import { producedReferences } from './image-dependencies';
import { BUILD_EXECUTOR } from './options/build-options';
import type { BuildExecutorSchema } from './options/build-options';

/** A build target of the workspace as its project configuration gives it (target defaults applied by Nx). */
export interface WorkspaceBuildTarget {
  /** `project:target` */
  readonly id: string;
  readonly project: string;
  readonly target: string;
  readonly projectRoot: string;
  readonly options: BuildExecutorSchema;
}

/** Projects as Nx hands them over: the executor context's projectsConfigurations, or the project graph's node data. */
export type WorkspaceProjects = Readonly<Record<string, { readonly root: string; readonly targets?: Readonly<Record<string, TargetConfiguration>> }>>;

/** Every nx-buildkit:build target of the workspace. */
export function workspaceBuildTargets(projects: WorkspaceProjects): WorkspaceBuildTarget[] {
  const targets: WorkspaceBuildTarget[] = [];
  for (const [project, config] of Object.entries(projects)) {
    for (const [target, configuration] of Object.entries(config.targets ?? {})) {
      if (configuration.executor !== BUILD_EXECUTOR) continue;
      targets.push({ id: `${project}:${target}`, project, target, projectRoot: config.root, options: (configuration.options ?? {}) as BuildExecutorSchema });
    }
  }
  return targets;
}

/**
 * Which build target tags each reference: the rule the plugin links FROM images with (dependsOn), with the executor's
 * default image name. A reference two targets tag belongs to neither: which one it names depends on which ran last.
 */
export function producersByReference(targets: readonly WorkspaceBuildTarget[]): Map<string, WorkspaceBuildTarget> {
  const producers = new Map<string, WorkspaceBuildTarget>();
  const ambiguous = new Set<string>();
  for (const target of targets) {
    const image = target.options.image ?? repositoryFromProjectName(target.project);
    for (const ref of producedReferences({ ...target.options, image })) {
      const canonical = canonicalReference(ref);
      const other = producers.get(canonical);
      if (other && other.id !== target.id) ambiguous.add(canonical);
      producers.set(canonical, target);
    }
  }
  for (const ref of ambiguous) producers.delete(ref);
  return producers;
}

/**
 * The images this workspace builds, for one run: an image FROM one of them names it by the inputs hash its build
 * target has in this checkout — computed here, recursively, never read from a record, a local label or the digest a
 * tag has in the registry today — so a fresh runner, a shard, `nx release version` and `publish` all compute the
 * hash CI computed. Each one is hashed at most once per run.
 */
export class WorkspaceImages {
  private readonly producers: Map<string, WorkspaceBuildTarget>;
  private readonly identities = new Map<string, Promise<BaseIdentity>>();

  constructor(
    targets: readonly WorkspaceBuildTarget[],
    readonly workspaceRoot: string,
    /** For parents whose Dockerfile installs from a pruned lockfile (COPY --from=deps). */
    readonly projectGraph?: ProjectGraph,
  ) {
    this.producers = producersByReference(targets);
  }

  /** The build target that tags this reference, if one (and only one) does. */
  producerOf(ref: string): WorkspaceBuildTarget | undefined {
    return this.producers.get(canonicalReference(ref));
  }

  /**
   * The identity of the image `producer` makes, hashed by `hash` once per run. `chain` lists the targets whose hashing
   * asked for it, the image being hashed first: a target that starts FROM its own image (an image that builds on
   * its last version) is left to the other rules (undefined), and a longer cycle has no identity.
   */
  identify(producer: WorkspaceBuildTarget, chain: readonly string[], hash: (chain: readonly string[]) => Promise<BaseIdentity>): Promise<BaseIdentity> | undefined {
    if (chain[chain.length - 1] === producer.id) return undefined;
    if (chain.includes(producer.id)) {
      return Promise.resolve({ kind: 'unknown', reason: `the images of ${[...chain.slice(chain.indexOf(producer.id)), producer.id].join(' → ')} start FROM each other` });
    }
    let identity = this.identities.get(producer.id);
    if (!identity) {
      identity = hash([...chain, producer.id]).catch(
        (error): BaseIdentity => ({ kind: 'unknown', reason: `the image of ${producer.id} cannot be hashed: ${describeError(error).split('\n')[0]}` }),
      );
      this.identities.set(producer.id, identity);
    }
    return identity;
  }
}

/** The workspace images of a run, from what Nx hands an executor (or a release step): the projects and the graph. */
export function workspaceImagesOf(context: { readonly root: string; readonly projectsConfigurations?: { readonly projects: WorkspaceProjects }; readonly projectGraph?: ProjectGraph }): WorkspaceImages {
  const projects: WorkspaceProjects =
    context.projectsConfigurations?.projects ?? Object.fromEntries(Object.entries(context.projectGraph?.nodes ?? {}).map(([name, node]) => [name, node.data]));
  return new WorkspaceImages(workspaceBuildTargets(projects), context.root, context.projectGraph);
}
