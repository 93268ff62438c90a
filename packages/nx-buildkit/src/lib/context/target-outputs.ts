import { buildOutputPaths, BuildTargetConfig } from './choose-context';

export interface ProjectTargets {
  readonly root: string;
  readonly targets?: Readonly<Record<string, BuildTargetConfig>>;
}

/**
 * Workspace-relative folders the targets of the workspace write, each with `<project>:<target>`: a target's declared
 * outputs, and for a `build` target that declares none, Nx's default folders (buildOutputPaths). A COPY of one of them
 * before it was built names no missing file.
 */
export function workspaceTargetOutputs(projects: Readonly<Record<string, ProjectTargets>>, buildTargetName = 'build'): Array<{ path: string; producer: string }> {
  const outputs: Array<{ path: string; producer: string }> = [];
  for (const [name, project] of Object.entries(projects)) {
    for (const [targetName, target] of Object.entries(project.targets ?? {})) {
      if (target.outputs === undefined && targetName !== buildTargetName) continue;
      for (const path of buildOutputPaths({ root: project.root || '.', name }, target, undefined)) outputs.push({ path, producer: `${name}:${targetName}` });
    }
  }
  return outputs;
}
