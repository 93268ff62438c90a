import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import type { BuildExecutorSchema } from '../src/lib/image/options/build-options';
import { createTask, PipelineTask } from '../src/lib/image/phases/accept-options';
import { RunTasks } from '../src/lib/image/phases/run-tasks';

/**
 * A workspace in a temp folder for the specs of the pipeline's phases: projects with a Dockerfile and files, each
 * with a docker-build target (unique image names, so specs against the real engine never meet another's images), and
 * the RunTasks of a run over some of them, its status lines collected.
 */
export function phaseWorkspace(prefix: string) {
  const root = mkdtempSync(join(tmpdir(), `nxb-${prefix}-`));
  const unique = `${prefix}-${process.pid}-${Date.now().toString(36)}`;
  const projects: Record<string, { root: string; targets: Record<string, { executor: string; options: BuildExecutorSchema; dependsOn?: unknown[] }> }> = {};
  const write = (path: string, content: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  return {
    root,
    /** `nxb-<prefix>-<pid>-<time>/<project>`: the image a project's target builds. */
    imageOf: (project: string) => `nxb-${unique}/${project}`,
    write,
    project(name: string, dockerfile: string, files: Record<string, string> = {}, options: BuildExecutorSchema = {}) {
      write(`apps/${name}/Dockerfile`, dockerfile);
      for (const [path, content] of Object.entries(files)) write(`apps/${name}/${path}`, content);
      projects[name] = { root: `apps/${name}`, targets: { 'docker-build': { executor: 'nx-buildkit:build', options: { image: `nxb-${unique}/${name}`, ...options } } } };
    },
    /** What Nx hands the executor, as far as the phases read it (no project graph: nothing here installs from one). */
    context(): ExecutorContext {
      return { root, projectsConfigurations: { version: 2, projects }, projectGraph: undefined } as unknown as ExecutorContext;
    },
    /** The tasks of a run over these projects (their docker-build targets, in this order), and what it said. */
    tasks(names: readonly string[], options: Record<string, BuildExecutorSchema> = {}) {
      const lines: string[] = [];
      const say = (line: string) => lines.push(line);
      const specs: PipelineTask[] = names.map((name) => ({ id: `${name}:docker-build`, project: name, target: 'docker-build', options: { ...projects[name]?.targets['docker-build'].options, ...options[name] } }));
      return { tasks: new RunTasks(specs.map((spec) => createTask(spec, this.context(), say)), say), lines };
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
