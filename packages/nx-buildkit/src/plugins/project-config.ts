import type { NxJsonConfiguration } from '@nx/devkit';
import { buildOutputPaths, resolveTokens } from '../lib/context';
import { nxInference } from '../lib/nx/nx-internal-adapter';
import { BUILD_EXECUTOR } from '../lib/image/options/build-options';
import type { WorkspaceFiles } from './workspace-files';

/**
 * `metadata.technologies` of every inferred target. Not `docker`: nx release (24) treats a project with any `docker`
 * target as an @nx/docker project and hands its versioning to @nx/docker's `handleDockerVersion`, which needs
 * @nx/docker installed and runs a local `docker tag` (see release/version-actions.ts for why that does not fit).
 */
export const TARGET_TECHNOLOGIES: readonly string[] = ['buildkit'];

export type JsonObject = Record<string, unknown>;

export class InferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InferenceError';
  }
}

/** What inference knows of one project: its root, name and the configuration files it read. */
export interface ProjectView {
  readonly root: string;
  readonly name: string;
  readonly projectJson?: JsonObject;
  readonly packageJson?: JsonObject;
  readonly nxJson: NxJsonConfiguration;
  readonly otherProjectRoots: readonly string[];
}

export interface ConfiguredOptions {
  readonly dockerfile?: string;
  readonly context?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly buildArgsFromEnv?: readonly string[];
}

/**
 * `dockerfile`, `context` and build args set for this target in project.json, package.json or nx.json's
 * targetDefaults. Nx merges them over the inferred options, so the inputs must describe the same build.
 */
export function configuredOptions(project: ProjectView, targetName: string): ConfiguredOptions {
  const defaults = project.nxJson.targetDefaults as Record<string, { options?: JsonObject }> | undefined;
  const sources = [
    asObject(asObject(asObject(project.projectJson?.targets)?.[targetName])?.options),
    asObject(asObject(asObject(asObject(project.packageJson?.nx)?.targets)?.[targetName])?.options),
    asObject(defaults?.[targetName]?.options),
    asObject(defaults?.[BUILD_EXECUTOR]?.options),
  ];
  const pick = (key: string): string | undefined => {
    for (const source of sources) {
      const value = stringOr(source?.[key]);
      if (value !== undefined) return resolveTokens(value, project.root);
    }
    return undefined;
  };
  const envArgs = sources.map((source) => source?.['buildArgsFromEnv']).find((value) => Array.isArray(value));
  const buildArgs = sources.map((source) => asObject(source?.['buildArgs'])).find((value) => value !== undefined);
  return {
    dockerfile: pick('dockerfile'),
    context: pick('context'),
    buildArgs: buildArgs && Object.fromEntries(Object.entries(buildArgs).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    buildArgsFromEnv: (envArgs as unknown[] | undefined)?.filter((name): name is string => typeof name === 'string'),
  };
}

/** Workspace-relative folders the project's build target writes. */
export function projectBuildOutputs(project: ProjectView, buildTargetName: string): string[] {
  const target =
    asObject(asObject(project.projectJson?.targets)?.[buildTargetName]) ?? asObject(asObject(asObject(project.packageJson?.nx)?.targets)?.[buildTargetName]);
  const defaults = project.nxJson.targetDefaults as Record<string, JsonObject> | undefined;
  return buildOutputPaths(project, target && { outputs: target.outputs, options: asObject(target.options) }, asObject(defaults?.[buildTargetName]));
}

export function readJsonObject(files: WorkspaceFiles, path: string): JsonObject | undefined {
  const text = files.readText(path);
  if (text === undefined) return undefined;
  try {
    // Nx's parser, which accepts the comments and trailing commas Nx allows in project.json.
    return asObject(nxInference().parseJson(text));
  } catch (error) {
    throw new InferenceError(`"${path}" is not valid JSON (${(error as Error).message}). Fix it: nx-buildkit reads it to infer the project's docker-build targets.`);
  }
}

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
