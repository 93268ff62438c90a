import { posix } from 'node:path';
import type { ContextRead } from '../dockerfile';
import { isWithin, literalPrefix, overlaps, resolveTokens } from './paths';

export type ContextMode = 'auto' | 'project' | 'workspace';

export interface ContextChoiceRequest {
  /** Workspace-relative POSIX path of the project root, `.` for the workspace root. */
  readonly projectRoot: string;
  /** The plugin's `context` option: `auto` chooses, the others force. */
  readonly mode: ContextMode;
  /** What the Dockerfile reads (lib/dockerfile listContextReads). */
  readonly reads: readonly ContextRead[];
  /** Workspace-relative folders the project's build target writes (buildOutputPaths). */
  readonly buildOutputs: readonly string[];
  /** Whether a workspace-relative path exists. */
  exists(path: string): boolean;
}

export interface ContextChoice {
  readonly context: string;
  /** Why the workspace root was chosen, for the target's description. */
  readonly because?: string;
}

/**
 * The build context of a Dockerfile, chosen once for the plugin and the optimize generator: the project root, unless
 * the Dockerfile reads a path that exists only from the workspace root (package-lock.json, tsconfig.base.json,
 * libs/…) or a build output kept there (dist/apps/api) — then the workspace root.
 */
export function chooseContext(request: ContextChoiceRequest): ContextChoice {
  const { projectRoot: root } = request;
  if (request.mode === 'project') return { context: root };
  if (request.mode === 'workspace' || root === '.') return { context: '.' };
  const isOutput = (path: string) => request.buildOutputs.some((output) => overlaps(output, path));
  for (const read of request.reads) {
    if (read.path === undefined) continue;
    const prefix = literalPrefix(read.path);
    if (prefix === '' || prefix === '.') continue;
    const fromProject = posix.join(root, prefix);
    if (request.exists(fromProject)) continue;
    // `dist/apps/api` names the project by its workspace path: read from the project root it would be
    // apps/api/dist/apps/api, which no build writes, though it lies inside the project's default output apps/api/dist.
    if (namesProjectRoot(prefix, root)) return { context: '.', because: `${read.instruction} ${read.path} (line ${read.line + 1}) names the project by its workspace path` };
    if (isOutput(fromProject)) continue;
    if (request.exists(prefix) || isOutput(prefix)) {
      return { context: '.', because: `${read.instruction} ${read.path} (line ${read.line + 1}) is found from the workspace root only` };
    }
  }
  return { context: root };
}

/** Whether a path holds the project root as whole segments (`dist/apps/api`, `apps/api/.next`). */
export function namesProjectRoot(path: string, projectRoot: string): boolean {
  return projectRoot !== '.' && `/${path}/`.includes(`/${projectRoot}/`);
}

export interface BuildTargetConfig {
  readonly outputs?: unknown;
  readonly options?: Record<string, unknown>;
}

/**
 * Workspace-relative folders a project's build target writes, from its `outputs`, else the target default's, else
 * Nx's own default (`{workspaceRoot}/dist/{projectRoot}`) and the project's `dist/`.
 */
export function buildOutputPaths(project: { root: string; name: string }, target: BuildTargetConfig | undefined, defaults: BuildTargetConfig | undefined): string[] {
  // Nothing declared: Nx's default, and the project's own dist/ that a plain `tsc`/`vite build` script writes
  // (erxes: `COPY backend/core-api/dist` with a build target that has no outputs).
  const outputs = (target?.outputs ?? defaults?.outputs ?? ['{workspaceRoot}/dist/{projectRoot}', '{projectRoot}/dist']) as unknown;
  if (!Array.isArray(outputs)) return [];
  const options = target?.options ?? {};
  return outputs
    .filter((output): output is string => typeof output === 'string' && !output.startsWith('!'))
    .map((output) =>
      resolveTokens(output, project.root)
        .replace(/\{projectName\}/g, project.name)
        .replace(/\{options\.([A-Za-z0-9_]+)\}/g, (token, key: string) => (typeof options[key] === 'string' && options[key] !== '' ? (options[key] as string) : token)),
    )
    .filter((output) => !output.includes('{'))
    .map(literalPrefix)
    .filter((output) => output !== '' && output !== '.');
}

/**
 * Whether copying `path` copies the build output: the path lies inside the output (`COPY dist/apps/api`), or holds it
 * while being outside the project (`COPY dist`) — copying the project folder itself does not count.
 */
export function copiesOutput(path: string, output: string, projectRoot: string): boolean {
  return isWithin(path, output) || (isWithin(output, path) && !isWithin(projectRoot, path) && path !== '.');
}
