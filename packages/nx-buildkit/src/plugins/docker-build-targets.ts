import type { NxJsonConfiguration, TargetConfiguration } from '@nx/devkit';
import { findTargetCollisions } from './target-collisions';
import { basename, posix } from 'node:path';
import { dockerfileCandidates } from '../lib/image/options/default-dockerfile';
import {
  chooseContext,
  contextFilesetInputs,
  contextReadSet,
  ContextReadSet,
  copiesOutput,
  describeRead,
  findIgnoreFile,
  findMissingSources,
  isWithin,
  producedInContext,
  relativeTo,
  SourceCheck,
} from '../lib/context';
import { listContextReads, parseDockerfile } from '../lib/dockerfile';
import { IgnorePatternError, parseIgnoreFile } from '../lib/context/dockerignore';
import { readsPrunedDepsContext } from '../lib/pruned-deps/reads-deps-context';
import { createGitIgnoredTest } from '../lib/context/git-ignored';
import { aggregateLintTarget, dockerLintTarget } from './docker-lint-targets';
import { prunedDepsInputs } from './pruned-deps-inputs';
import { needsAffectedFolderGlobs, withAffectedFolderGlobs } from './affected-folder-globs';
import { BUILD_EXECUTOR } from '../lib/image/options/build-options';
import type { NormalizedPluginOptions } from './plugin-options';
import {
  asObject,
  configuredOptions,
  InferenceError,
  projectBuildOutputs,
  ProjectView,
  readJsonObject,
  stringOr,
  TARGET_TECHNOLOGIES,
} from './project-config';
import { releaseConfigFor, releasePublishTarget, RELEASE_PUBLISH_TARGET } from './release-targets';
import { imageName, TargetName, targetNamesFor } from './target-names';
import { workspaceNamespace } from '../lib/image/identity/image-namespace';
import type { WorkspaceFiles } from './workspace-files';

export { BUILD_EXECUTOR, InferenceError, targetNamesFor };

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
  /** The installed Nx major: below 24, `nx affected` needs folder inputs as globs (affected-folder-globs.ts). */
  readonly nxMajor?: number;
}

export interface InferredProject {
  /**
   * Set for a project that only a package.json defines: Nx may not list that package.json as a workspace package, and
   * a project inferred without a name is an error.
   */
  readonly name?: string;
  readonly targets: Record<string, TargetConfiguration>;
  readonly metadata: { readonly targetGroups: Record<string, string[]> };
  /** How nx release versions the project's images (release-targets.ts); absent with the plugin option release: false. */
  readonly release?: ReturnType<typeof releaseConfigFor>;
  /** Inferred target name → this project, where the project's own target of that name replaces it (target-collisions.ts). */
  readonly replacedTargets: Readonly<Record<string, readonly string[]>>;
}

/** The docker-build targets of one project root, or undefined when it is not a project or has no Dockerfile. */
export function inferDockerBuildProject(request: InferenceRequest): InferredProject | undefined {
  const { projectRoot: root, files, options } = request;
  // Dockerfiles first: most project roots have none, and then their config files need not be read at all.
  const dockerfiles = dockerfileCandidates(root, options.dockerfileNames)
    .map(({ fileName, path }) => ({ fileName, text: files.readText(path) }))
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
    return buildTarget(project, files, options, { fileName, text, targetName, variant, several }, needsAffectedFolderGlobs(request.nxMajor));
  });

  const targets: Record<string, TargetConfiguration> = {};
  for (const one of built) targets[one.targetName] = one.target;
  if (several) targets[options.targetName] = aggregateTarget(projectName, built);
  if (options.lintTargetName !== false) {
    // One docker-lint target per Dockerfile, named like the build targets, checking what the build target builds.
    const lintNames = targetNamesFor(dockerfiles.map((d) => d.fileName), options.lintTargetName);
    const lintTargetNames = dockerfiles.map(({ fileName }, i) => {
      const targetName = (lintNames.get(fileName) as TargetName).target;
      targets[targetName] = dockerLintTarget({ projectName, projectRoot: root, targetName, dockerfile: built[i].dockerfile, context: built[i].context, sources: built[i].sources });
      return targetName;
    });
    if (several) targets[options.lintTargetName] = aggregateLintTarget(projectName, lintTargetNames);
  }
  const images = built.map((one) => String(one.target.options?.image));
  if (options.release) targets[RELEASE_PUBLISH_TARGET] = releasePublishTarget(projectName, images);
  const own = { ...asObject(packageNx?.targets), ...asObject(projectJson?.targets) };
  const replaced = findTargetCollisions([{ project: projectName, inferred: Object.keys(targets), targets: own, scripts: asObject(packageJson?.scripts) }]);
  return {
    ...(projectJson ? {} : { name: packageName }),
    targets,
    metadata: { targetGroups: { Docker: Object.keys(targets) } },
    ...(options.release && { release: releaseConfigFor(images, request.nxJson, request.nxMajor) }),
    replacedTargets: Object.fromEntries(replaced),
  };
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
  /** The literal COPY/ADD sources, as context paths. */
  readonly sources: readonly string[];
}

function buildTarget(project: ProjectView, files: WorkspaceFiles, options: NormalizedPluginOptions, dockerfile: DockerfileTarget, folderGlobs: boolean): BuiltTarget {
  const { root } = project;
  const configured = configuredOptions(project, dockerfile.targetName);
  const dockerfilePath = configured.dockerfile ?? join(root, dockerfile.fileName);
  const text = configured.dockerfile ? (files.readText(dockerfilePath) ?? '') : dockerfile.text;
  const reads = listContextReads(parseDockerfile(text, configured.buildArgs ?? {}));
  const outputs = projectBuildOutputs(project, options.buildTargetName);

  const detected =
    configured.context !== undefined
      ? { context: configured.context }
      : chooseContext({ projectRoot: root, mode: options.context, reads, buildOutputs: outputs, exists: (path) => files.exists(path) });
  const context = detected.context;
  const ignoreFile = findIgnoreFile((path) => files.readText(path), context, dockerfilePath);
  const readSet = readSetFor(contextReadSet(reads), configured.buildArgsFromEnv ?? [], reads);

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
      sources: readSet.whole ? undefined : readSet.sources,
    });
  } catch (error) {
    if (error instanceof IgnorePatternError) {
      throw new InferenceError(`Ignore file "${ignoreFile.path}" has an invalid pattern: ${error.message}. Fix or remove that line (docker build rejects it too).`);
    }
    throw error;
  }

  // A build target inferred by another plugin (@nx/vite, @nx/webpack, @nx/next…) is in no file inference reads: its
  // output folder is not among `outputs`. Whatever git ignores is written by some task, though, never committed, and
  // the project's build is the task that writes it; Nx resolves `dependsOn` against the project graph, where inferred
  // targets count, and drops it for a project without that target.
  const gitIgnored = createGitIgnoredTest(files.readText('.gitignore'));
  const readsBuildOutput = reads.some((read) => {
    if (read.path === undefined || read.path === '.') return false;
    const path = join(context, read.path);
    return outputs.some((output) => copiesOutput(path, output, root)) || (gitIgnored(path) && !path.split('/').includes('node_modules'));
  });
  const declared = [...alwaysRead.map((path) => asInput(path, root)), ...contextInputs.include];
  const positives = folderGlobs ? withAffectedFolderGlobs(declared, files) : declared;
  const inputs: TargetInput[] = [...positives, ...contextInputs.exclude];
  // The copied output is not in git, so no file input can see it change; this carries "affected" from the build.
  if (readsBuildOutput) inputs.push({ dependentTasksOutputFiles: '**/*', transitive: false });
  // Build args read from the environment change the image: a changed variable must select the project.
  for (const name of configured.buildArgsFromEnv ?? []) inputs.push({ env: name });
  // An install from the pruned manifest and lockfile (COPY --from=deps) reads what the executor derives them from.
  if (readsPrunedDepsContext(text)) inputs.push(...prunedDepsInputs(root, project.otherProjectRoots, files));

  const sourceCheck = checkSources(project, files, options.buildTargetName, context, reads, outputs);

  const image = imageName(options.image, project.name, dockerfile.variant, dockerfile.several, workspaceNamespace(files.readText('package.json')));
  const description = [
    `Builds the image "${image}" from ${dockerfilePath} with BuildKit (context: ${context === '.' ? 'the workspace root' : context}${detected.because ? `, as ${detected.because}` : ''}).`,
    readSet.whole
      ? `Skipped when nothing the context sends has changed (the whole context counts: ${readSet.because}).`
      : `Skipped when nothing it reads has changed: ${readSet.sources.length ? readSet.sources.join(', ') : 'no context files'} (its COPY/ADD sources, after the ignore file), the Dockerfile and the ignore file.`,
    ...(readSet.whole && context === '.' && root !== '.' && contextInputs.include.includes('{workspaceRoot}/**/*')
      ? [`The context is the whole workspace, so any change selects this build; an allow-list ${dockerfilePath}.dockerignore ("*", then "!${root}", "!package.json", …) narrows it.`]
      : []),
    ...describeSourceCheck(sourceCheck),
    ...(contextInputs.approximations.length
      ? [`Inputs over-include where the ignore file cannot be mirrored exactly, so files it leaves out there still count: ${contextInputs.approximations.join('; ')}.`]
      : []),
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
      ...(options.engine !== undefined && { engine: options.engine }),
    },
    inputs,
    ...(readsBuildOutput && { dependsOn: [options.buildTargetName] }),
    // The executor skips unchanged images itself; Nx's cache would replay a log and restore no image.
    cache: false,
    metadata: {
      technologies: [...TARGET_TECHNOLOGIES],
      description,
      help: helpFor(project.name, dockerfile.targetName),
    },
  };
  const sources = [...new Set(reads.flatMap((read) => (read.path !== undefined && read.path !== '.' && !/[*?[\\]/.test(read.path) && !read.path.startsWith('..') ? [read.path] : [])))];
  return { targetName: dockerfile.targetName, target, positives, negatives: contextInputs.exclude, readsBuildOutput, dockerfile: dockerfilePath, context, sources };
}

/**
 * The COPY/ADD sources that match nothing in the context. A path a build target writes is not missing: the project's
 * own build outputs, then (read only when something is still unaccounted for) those of the other projects.
 */
function checkSources(project: ProjectView, files: WorkspaceFiles, buildTargetName: string, context: string, reads: ReturnType<typeof listContextReads>, ownOutputs: readonly string[]): SourceCheck {
  const exists = (path: string) => files.exists(join(context, path));
  const own = ownOutputs.map((path) => ({ path, producer: `${project.name}:${buildTargetName}` }));
  const first = findMissingSources(reads, exists, producedInContext(own, context));
  if (first.missing.length === 0) return first;
  return findMissingSources(reads, exists, producedInContext([...own, ...otherProjectOutputs(project, files, buildTargetName)], context));
}

function otherProjectOutputs(project: ProjectView, files: WorkspaceFiles, buildTargetName: string): Array<{ path: string; producer: string }> {
  return project.otherProjectRoots.flatMap((root) => {
    if (root === project.root) return [];
    let projectJson;
    let packageJson;
    try {
      projectJson = readJsonObject(files, join(root, 'project.json'));
      packageJson = readJsonObject(files, join(root, 'package.json'));
    } catch {
      // Another project's broken file is that project's error; its outputs are then Nx's defaults.
    }
    const name = stringOr(projectJson?.name) ?? stringOr(asObject(packageJson?.nx)?.name) ?? stringOr(packageJson?.name) ?? basename(root);
    const other: ProjectView = { ...project, root, name, projectJson, packageJson };
    return projectBuildOutputs(other, buildTargetName).map((path) => ({ path, producer: `${name}:${buildTargetName}` }));
  });
}

/** One sentence per kind, never one per source: what is missing, and what a build target writes first. */
function describeSourceCheck(check: SourceCheck): string[] {
  return [
    ...(check.missing.length
      ? [`Matches nothing in the context: ${check.missing.map(describeRead).join(', ')}; the build fails with "not found" until ${check.missing.length > 1 ? 'they exist' : 'it exists'}, and nx affected sees no change to ${check.missing.length > 1 ? 'them' : 'it'}.`]
      : []),
    ...(check.produced.length ? [`Not there until built: ${check.produced.map(({ read, producer }) => `${read.path} (written by ${producer})`).join(', ')}.`] : []),
  ];
}

/**
 * A source naming a build arg taken from the environment is known only when the task runs: the whole context is
 * then an input (the executor hashes what it reads with the real value).
 */
function readSetFor(set: ContextReadSet, envArgs: readonly string[], reads: ReturnType<typeof listContextReads>): ContextReadSet {
  if (set.whole || envArgs.length === 0) return set;
  const read = reads.find((r) => envArgs.some((name) => new RegExp(`\\$\\{?${name}\\b`).test(r.raw)));
  return read ? { whole: true, because: `${read.instruction} ${read.raw} (line ${read.line + 1}) uses ${envArgs.join(', ')} from the environment` } : set;
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
      technologies: [...TARGET_TECHNOLOGIES],
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

/** A workspace path as an input of a target in projectRoot. */
function asInput(path: string, projectRoot: string): string {
  if (projectRoot === '.') return `{projectRoot}/${path}`;
  return isWithin(path, projectRoot) ? `{projectRoot}/${relativeTo(path, projectRoot)}` : `{workspaceRoot}/${path}`;
}

function join(...parts: string[]): string {
  return posix.join(...parts);
}

