import { parseJson } from '@nx/devkit';
import type { NxJsonConfiguration, TargetConfiguration } from '@nx/devkit';
import { basename, posix } from 'node:path';
import { contextFilesetInputs } from '../lib/context-inputs';
import { ContextRead, listContextReads } from '../lib/dockerfile-context-reads';
import { IgnorePatternError, parseIgnoreFile } from '../lib/dockerignore';
import { repositoryFromProjectName } from '../lib/image-ref';
import { aggregateLintTarget, dockerLintTarget } from './docker-lint-targets';
import type { NormalizedPluginOptions } from './plugin-options';
import type { WorkspaceFiles } from './workspace-files';

export const BUILD_EXECUTOR = 'nx-buildkit:build';

/** One entry of a target's `inputs` (Nx does not export the type by name). */
type TargetInput = NonNullable<TargetConfiguration['inputs']>[number];

export interface InferenceRequest {
  /** Workspace-relative POSIX path of the project root, `.` for the workspace root. */
  readonly projectRoot: string;
  readonly files: WorkspaceFiles;
  readonly options: NormalizedPluginOptions;
  readonly nxJson: NxJsonConfiguration;
  /** Roots of the workspace's other projects. */
  readonly otherProjectRoots: readonly string[];
}

export interface InferredProject {
  /**
   * Set for a project that only a package.json defines: Nx may not list that package.json as a workspace package, and
   * a project inferred without a name is an error.
   */
  readonly name?: string;
  readonly targets: Record<string, TargetConfiguration>;
  readonly metadata: { readonly targetGroups: Record<string, string[]> };
}

export class InferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InferenceError';
  }
}

type JsonObject = Record<string, unknown>;

/** The docker-build targets of one project root, or undefined when it is not a project or has no Dockerfile. */
export function inferDockerBuildProject(request: InferenceRequest): InferredProject | undefined {
  const { projectRoot: root, files, options } = request;
  // Dockerfiles first: most project roots have none, and then their config files need not be read at all.
  const dockerfiles = options.dockerfileNames
    .map((fileName) => ({ fileName, text: files.readText(join(root, fileName)) }))
    .filter((found): found is { fileName: string; text: string } => found.text !== undefined);
  if (dockerfiles.length === 0) return undefined;

  const projectJson = readJsonObject(files, join(root, 'project.json'));
  const packageJson = readJsonObject(files, join(root, 'package.json'));
  const packageNx = asObject(packageJson?.nx);
  const packageName = stringOr(packageNx?.name) ?? stringOr(packageJson?.name);
  if (!projectJson && !packageName) return undefined;
  // The root package.json of every workspace is a project only when it says so, as Nx decides.
  if (root === '.' && !projectJson && !packageNx) return undefined;

  const projectName = stringOr(projectJson?.name) ?? packageName ?? basename(root === '.' ? 'workspace' : root);
  const several = dockerfiles.length > 1;
  const names = targetNamesFor(dockerfiles.map((d) => d.fileName), options.targetName);
  const project: ProjectView = { root, name: projectName, projectJson, packageJson, nxJson: request.nxJson, otherProjectRoots: request.otherProjectRoots };

  const built = dockerfiles.map(({ fileName, text }) => {
    const { target: targetName, variant } = names.get(fileName) as TargetName;
    return buildTarget(project, files, options, { fileName, text, targetName, variant, several });
  });

  const targets: Record<string, TargetConfiguration> = {};
  for (const one of built) targets[one.targetName] = one.target;
  if (several) targets[options.targetName] = aggregateTarget(projectName, built);
  if (options.lintTargetName !== false) {
    // One docker-lint target per Dockerfile, named like the build targets, checking what the build target builds.
    const lintNames = targetNamesFor(dockerfiles.map((d) => d.fileName), options.lintTargetName);
    const lintTargetNames = dockerfiles.map(({ fileName }, i) => {
      const targetName = (lintNames.get(fileName) as TargetName).target;
      targets[targetName] = dockerLintTarget({ projectName, projectRoot: root, targetName, dockerfile: built[i].dockerfile, context: built[i].context });
      return targetName;
    });
    if (several) targets[options.lintTargetName] = aggregateLintTarget(projectName, lintTargetNames);
  }
  return {
    ...(projectJson ? {} : { name: packageName }),
    targets,
    metadata: { targetGroups: { Docker: Object.keys(targets) } },
  };
}

export interface TargetName {
  readonly target: string;
  readonly variant: string;
}

/**
 * Target names per Dockerfile. One Dockerfile: `<targetName>`. Several: `<targetName>-<variant>`, where the variant is
 * what tells the files apart: `prod` for Dockerfile.prod, `worker` for worker.Dockerfile, `default` for a plain
 * Dockerfile. Two files with the same variant (Dockerfile.api, api.Dockerfile) use their whole file names instead.
 */
export function targetNamesFor(fileNames: readonly string[], targetName: string): Map<string, TargetName> {
  const variants = fileNames.map(variantOf);
  const result = new Map<string, TargetName>();
  fileNames.forEach((fileName, i) => {
    const clash = variants.filter((v) => v === variants[i]).length > 1;
    const variant = clash ? slug(fileName) : variants[i];
    result.set(fileName, { variant, target: fileNames.length === 1 ? targetName : `${targetName}-${variant}` });
  });
  return result;
}

export function variantOf(fileName: string): string {
  if (fileName === 'Dockerfile') return 'default';
  const match = /^Dockerfile[.-](.+)$/i.exec(fileName) ?? /^(.+)[.-]Dockerfile$/i.exec(fileName);
  return slug(match ? match[1] : fileName);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'image';
}

interface ProjectView {
  readonly root: string;
  readonly name: string;
  readonly projectJson?: JsonObject;
  readonly packageJson?: JsonObject;
  readonly nxJson: NxJsonConfiguration;
  readonly otherProjectRoots: readonly string[];
}

interface DockerfileTarget {
  readonly fileName: string;
  readonly text: string;
  readonly targetName: string;
  readonly variant: string;
  readonly several: boolean;
}

interface BuiltTarget {
  readonly targetName: string;
  readonly target: TargetConfiguration;
  /** Inputs by kind, for merging into the target that runs them all. */
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
  readonly readsBuildOutput: boolean;
  /** What it builds from, for the docker-lint target beside it. */
  readonly dockerfile: string;
  readonly context: string;
}

function buildTarget(project: ProjectView, files: WorkspaceFiles, options: NormalizedPluginOptions, dockerfile: DockerfileTarget): BuiltTarget {
  const { root } = project;
  const configured = configuredPaths(project, dockerfile.targetName);
  const dockerfilePath = configured.dockerfile ?? join(root, dockerfile.fileName);
  const text = configured.dockerfile ? (files.readText(dockerfilePath) ?? '') : dockerfile.text;
  const reads = listContextReads(text);
  const outputs = buildOutputPaths(project, options.buildTargetName);

  const detected = configured.context !== undefined ? { context: configured.context } : chooseContext(project, options, reads, outputs, files);
  const context = detected.context;
  const ignoreFile = findIgnoreFile(files, context, dockerfilePath);

  const containsOtherProject = project.otherProjectRoots.some((other) => other !== root && isWithin(other, root));
  // `{projectRoot}/**/*` covers only the files Nx gives this project; a project folder inside it keeps its own, yet
  // Docker sends them. Then the context is written from the workspace root, which covers every file.
  const contextToken = context === root && !containsOtherProject ? '{projectRoot}' : context === '.' ? '{workspaceRoot}' : `{workspaceRoot}/${context}`;
  const alwaysRead = [dockerfilePath, ...(ignoreFile.path ? [ignoreFile.path] : [])];
  let contextInputs;
  try {
    contextInputs = contextFilesetInputs({
      ignorePatterns: parseIgnoreFile(ignoreFile.text),
      contextToken,
      keepPaths: alwaysRead.filter((path) => isWithin(path, context)).map((path) => relativeTo(path, context)),
    });
  } catch (error) {
    if (error instanceof IgnorePatternError) {
      throw new InferenceError(`Ignore file "${ignoreFile.path}" has an invalid pattern: ${error.message}. Fix or remove that line (docker build rejects it too).`);
    }
    throw error;
  }

  const readsBuildOutput = reads.some((read) => read.path !== '.' && outputs.some((output) => copiesOutput(join(context, read.path), output, root)));
  const positives = [...alwaysRead.map((path) => asInput(path, root)), ...contextInputs.include];
  const inputs: TargetInput[] = [...positives, ...contextInputs.exclude];
  // The copied output is not in git, so no file input can see it change; this carries "affected" from the build.
  if (readsBuildOutput) inputs.push({ dependentTasksOutputFiles: '**/*', transitive: false });
  // Build args read from the environment change the image: a changed variable must select the project.
  for (const name of configured.buildArgsFromEnv ?? []) inputs.push({ env: name });

  const image = imageName(options.image, project.name, dockerfile.variant, dockerfile.several);
  const description = [
    `Builds the image "${image}" from ${dockerfilePath} with BuildKit (context: ${context === '.' ? 'the workspace root' : context}${detected.because ? `, as ${detected.because}` : ''}).`,
    'Skipped when nothing the context sends has changed.',
    ...(context === '.' && root !== '.' && contextInputs.include.includes('{workspaceRoot}/**/*')
      ? [`The context is the whole workspace, so any change selects this build; an allow-list ${dockerfilePath}.dockerignore ("*", then "!${root}", "!package.json", …) narrows it.`]
      : []),
    ...(contextInputs.approximations.length ? [`Inputs over-include where the ignore file cannot be mirrored exactly: ${contextInputs.approximations.join(' ')}`] : []),
  ].join(' ');

  const target: TargetConfiguration = {
    executor: BUILD_EXECUTOR,
    options: {
      dockerfile: dockerfilePath,
      context,
      image,
      ...(options.registry !== undefined && { registry: options.registry }),
      ...(options.platforms !== undefined && { platforms: [...options.platforms] }),
      ...(options.tags !== undefined && { tags: [...options.tags] }),
      ...(options.push !== undefined && { push: options.push }),
    },
    inputs,
    ...(readsBuildOutput && { dependsOn: [options.buildTargetName] }),
    // The executor skips unchanged images itself; Nx's cache would replay a log and restore no image.
    cache: false,
    metadata: {
      technologies: ['docker'],
      description,
      help: helpFor(project.name, dockerfile.targetName),
    },
  };
  return { targetName: dockerfile.targetName, target, positives, negatives: contextInputs.exclude, readsBuildOutput, dockerfile: dockerfilePath, context };
}

/**
 * The target that builds every image of a project. It is selected as affected when any of its builds is: positive
 * inputs are the union of theirs, and an exclusion is kept only where all of them exclude it — an exclusion of one
 * build could otherwise hide a file another one sends.
 */
function aggregateTarget(projectName: string, built: readonly BuiltTarget[]): TargetConfiguration {
  const positives = [...new Set(built.flatMap((b) => b.positives))];
  const negatives = built[0].negatives.filter((negative) => built.every((b) => b.negatives.includes(negative)));
  const inputs: TargetInput[] = [...positives, ...negatives];
  if (built.some((b) => b.readsBuildOutput)) inputs.push({ dependentTasksOutputFiles: '**/*', transitive: true });
  const names = built.map((b) => b.targetName);
  return {
    executor: 'nx:noop',
    dependsOn: names,
    inputs,
    cache: false,
    metadata: {
      technologies: ['docker'],
      description: `Builds all ${built.length} images of the project (${names.join(', ')}); each is skipped when nothing its context sends has changed.`,
      help: helpFor(projectName, names[0]),
    },
  };
}

function helpFor(projectName: string, targetName: string) {
  return {
    command: `npx nx run ${projectName}:${targetName} --help`,
    example: { options: { tags: ['latest', '1.2.3'], registry: 'localhost:5000', push: true, platforms: ['linux/amd64'] } },
  };
}

function imageName(template: string | undefined, projectName: string, variant: string, several: boolean): string {
  let pattern = template ?? (several ? '{projectName}-{variant}' : '{projectName}');
  if (several && !pattern.includes('{variant}')) pattern = `${pattern}-{variant}`;
  return pattern.replace(/\{projectName\}/g, repositoryFromProjectName(projectName)).replace(/\{variant\}/g, variant);
}

/**
 * `dockerfile` and `context` set for this target in project.json, package.json or nx.json's targetDefaults. Nx merges
 * them over the inferred options, so the inputs must describe the same build.
 */
function configuredPaths(project: ProjectView, targetName: string): { dockerfile?: string; context?: string; buildArgsFromEnv?: string[] } {
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
  return {
    dockerfile: pick('dockerfile'),
    context: pick('context'),
    buildArgsFromEnv: (envArgs as unknown[] | undefined)?.filter((name): name is string => typeof name === 'string'),
  };
}

/**
 * The project root, unless the Dockerfile reads a path that exists only from the workspace root (package-lock.json,
 * tsconfig.base.json, libs/…) or a build output kept there (dist/apps/api) — then the workspace root.
 */
function chooseContext(
  project: ProjectView,
  options: NormalizedPluginOptions,
  reads: readonly ContextRead[],
  outputs: readonly string[],
  files: WorkspaceFiles,
): { context: string; because?: string } {
  const { root } = project;
  if (options.context === 'project') return { context: root };
  if (options.context === 'workspace' || root === '.') return { context: '.' };
  for (const read of reads) {
    const prefix = literalPrefix(read.path);
    if (prefix === '' || prefix === '.') continue;
    const fromProject = join(root, prefix);
    if (files.exists(fromProject) || outputs.some((output) => overlaps(output, fromProject))) continue;
    if (files.exists(prefix) || outputs.some((output) => overlaps(output, prefix))) {
      return { context: '.', because: `${read.instruction} ${read.path} (line ${read.line + 1}) is found from the workspace root only` };
    }
  }
  return { context: root };
}

/** The ignore file BuildKit applies: `<Dockerfile>.dockerignore` beside the Dockerfile, else the context's `.dockerignore`. */
function findIgnoreFile(files: WorkspaceFiles, context: string, dockerfile: string): { path?: string; text: string } {
  for (const candidate of [`${dockerfile}.dockerignore`, join(context, '.dockerignore')]) {
    const text = files.readText(candidate);
    if (text !== undefined) return { path: candidate, text };
  }
  return { text: '' };
}

/** Workspace-relative folders the build target writes, from its `outputs` (Nx's own default when it has none). */
function buildOutputPaths(project: ProjectView, buildTargetName: string): string[] {
  const target =
    asObject(asObject(project.projectJson?.targets)?.[buildTargetName]) ?? asObject(asObject(asObject(project.packageJson?.nx)?.targets)?.[buildTargetName]);
  const defaults = project.nxJson.targetDefaults as Record<string, { outputs?: unknown }> | undefined;
  const outputs = (target?.outputs ?? defaults?.[buildTargetName]?.outputs ?? ['{workspaceRoot}/dist/{projectRoot}']) as unknown;
  if (!Array.isArray(outputs)) return [];
  const buildOptions = asObject(target?.options) ?? {};
  return outputs
    .filter((output): output is string => typeof output === 'string' && !output.startsWith('!'))
    .map((output) =>
      resolveTokens(output, project.root)
        .replace(/\{projectName\}/g, project.name)
        .replace(/\{options\.([A-Za-z0-9_]+)\}/g, (token, key: string) => stringOr(buildOptions[key]) ?? token),
    )
    .filter((output) => !output.includes('{'))
    .map(literalPrefix)
    .filter((output) => output !== '' && output !== '.');
}

/**
 * Whether copying `path` copies the build output: the path lies inside the output (`COPY dist/apps/api`), or holds it
 * while being outside the project (`COPY dist`) — copying the project folder itself does not count.
 */
function copiesOutput(path: string, output: string, projectRoot: string): boolean {
  return isWithin(path, output) || (isWithin(output, path) && !isWithin(projectRoot, path) && path !== '.');
}

function asInput(path: string, projectRoot: string): string {
  if (projectRoot === '.') return `{projectRoot}/${path}`;
  return isWithin(path, projectRoot) ? `{projectRoot}/${relativeTo(path, projectRoot)}` : `{workspaceRoot}/${path}`;
}

/** `{workspaceRoot}/x` → `x`, `{projectRoot}/x` → `<root>/x`, normalized. */
function resolveTokens(value: string, projectRoot: string): string {
  const resolved = value.replace(/^\{workspaceRoot\}\/?/, '').replace(/\{projectRoot\}/g, projectRoot);
  return posix.normalize(resolved === '' ? '.' : resolved).replace(/\/+$/, '') || '.';
}

function literalPrefix(path: string): string {
  const literal: string[] = [];
  for (const segment of path.split('/')) {
    if (/[*?[\]{}\\]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join('/');
}

function join(...parts: string[]): string {
  return posix.join(...parts);
}

function isWithin(path: string, folder: string): boolean {
  return folder === '.' || path === folder || path.startsWith(`${folder}/`);
}

function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}

function relativeTo(path: string, folder: string): string {
  return folder === '.' ? path : path.slice(folder.length + 1);
}

function readJsonObject(files: WorkspaceFiles, path: string): JsonObject | undefined {
  const text = files.readText(path);
  if (text === undefined) return undefined;
  try {
    // Nx's parser, which accepts the comments and trailing commas Nx allows in project.json.
    return asObject(parseJson(text));
  } catch (error) {
    throw new InferenceError(`"${path}" is not valid JSON (${(error as Error).message}). Fix it: nx-buildkit reads it to infer the project's docker-build targets.`);
  }
}

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
