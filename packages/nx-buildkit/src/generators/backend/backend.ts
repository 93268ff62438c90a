// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { formatFiles, joinPathFragments, logger, ProjectGraph, readProjectConfiguration, Tree } from '@nx/devkit';
import { DEFAULT_NODE_IMAGE, DEFAULT_PYTHON_IMAGE } from '../../lib/default-images';
import { DEFAULT_IGNORE_PATTERNS, renderAllowListIgnoreFile, renderIgnoreFile } from '../../lib/context/ignore-file-content';
import { detectPackageManager, pinnedPackageManager } from '../../lib/package-manager';
import { workspaceModulePath } from '../../lib/pruned-deps/layout';
import { describeLocalDependencies } from '../../lib/local-dependencies';
import { localDependenciesOfImage } from '../../lib/nx/image-dependencies-of-project';
import { buildOutputPath, projectTargets, readWorkspaceGraph, workspaceLibrariesOfProject } from '../../lib/nx/workspace-graph';
import { readPackageJson, workspaceMemberManifests } from '../../lib/nx/workspace-packages';
import { writeGeneratedFile } from '../../lib/write-generated-file';
import { ensurePluginInitialized } from '../init/ensure-initialized';
import { detectPythonLayout, detectRuntime } from './detect-python-layout';
import { buildEmitsPackageJson } from './emits-package-json';
import { nestGlobalPrefix } from './nest-global-prefix';
import { renderNodeBackendDockerfile } from './node-dockerfile';
import { renderPythonDockerfile } from './python-dockerfile';
import type { BackendGeneratorSchema } from './schema';

export const BACKEND_DOCKERFILE = 'Dockerfile.prod';

interface NormalizedBackendOptions {
  readonly project: string;
  readonly projectRoot: string;
  readonly runtime: 'python' | 'node';
  readonly baseImage: string;
  readonly systemPackages: string[];
  readonly port: number;
  readonly cmd?: string[];
  readonly healthcheckPath: string;
  readonly user: string;
  readonly overwrite: boolean;
  readonly skipFormat: boolean;
  /** The project's Nx build: where it writes, and whether it writes the app's package.json and lockfile there. */
  readonly buildTarget?: { readonly outputPath: string; readonly emitsManifest: boolean };
  readonly graph: ProjectGraph;
}

export function normalizeBackendOptions(tree: Tree, options: BackendGeneratorSchema, graph: ProjectGraph): NormalizedBackendOptions {
  const config = readProjectConfiguration(tree, options.project);
  const projectRoot = config.root;
  // The graph's targets: those Nx plugins infer (@nx/vite, @nx/js/typescript…) count as much as project.json's.
  const build = projectTargets(graph, options.project).build ?? config.targets?.build;
  const runtime = options.runtime ?? detectRuntime(tree, projectRoot, build?.executor);
  if (!runtime) {
    throw new Error(`Could not tell whether project "${options.project}" (${projectRoot}) is Python or Node: it has no pyproject.toml, requirements*.txt, *.py, package.json or JavaScript build target. Pass --runtime=python or --runtime=node.`);
  }
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)) {
    throw new Error(`Invalid --port ${options.port}: use a whole number from 1 to 65535.`);
  }
  const systemPackages = splitList(options.systemPackages);
  const badPackage = systemPackages.find((name) => !/^[a-z0-9][a-z0-9+.-]*(=[A-Za-z0-9.+:~-]+)?$/.test(name));
  if (badPackage) throw new Error(`Invalid Debian package name "${badPackage}" in --systemPackages: use names like "curl" or "libpq5".`);
  const outputPath = build ? buildOutputPath(build, projectRoot) : undefined;
  return {
    project: options.project,
    projectRoot,
    runtime,
    baseImage: options.baseImage ?? (runtime === 'python' ? DEFAULT_PYTHON_IMAGE : DEFAULT_NODE_IMAGE),
    systemPackages,
    port: options.port ?? (runtime === 'python' ? 8000 : 3000),
    cmd: options.cmd === undefined ? undefined : Array.isArray(options.cmd) ? options.cmd : options.cmd.split(/\s+/).filter(Boolean),
    // A NestJS app serves every route under its global prefix (Nx's: /api), and / answers 404.
    healthcheckPath: options.healthcheckPath ?? (runtime === 'node' ? nestGlobalPrefix(tree, projectRoot, config.sourceRoot) : undefined) ?? '/',
    user: options.user ?? 'appuser',
    overwrite: options.overwrite ?? false,
    skipFormat: options.skipFormat ?? false,
    // @nx/esbuild, @nx/webpack and @nx/rollup write a pruned package.json and lockfile beside the bundle when asked.
    buildTarget: runtime === 'node' && outputPath ? { outputPath, emitsManifest: buildEmitsPackageJson(tree, projectRoot, build) } : undefined,
    graph,
  };
}

export async function backendGenerator(tree: Tree, schema: BackendGeneratorSchema): Promise<void> {
  const options = normalizeBackendOptions(tree, schema, await readWorkspaceGraph(tree));
  await ensurePluginInitialized(tree);
  const dockerfilePath = joinPathFragments(options.projectRoot, BACKEND_DOCKERFILE);
  const { dockerfile, ignoreFile, context } = options.runtime === 'python' ? pythonFiles(tree, options) : nodeFiles(tree, options);
  writeGeneratedFile(tree, dockerfilePath, dockerfile, options.overwrite);
  writeGeneratedFile(tree, `${dockerfilePath}.dockerignore`, ignoreFile, options.overwrite);
  logger.info(`nx-buildkit: wrote ${dockerfilePath} (${options.runtime}, build context: ${context === '.' ? 'the workspace root' : context}).`);
  if (!options.skipFormat) await formatFiles(tree);
}

function pythonFiles(tree: Tree, options: NormalizedBackendOptions) {
  const layout = detectPythonLayout(tree, options.projectRoot);
  const cmd = options.cmd ?? (layout.entry ? ['python', layout.entry] : undefined);
  if (!cmd) {
    throw new Error(`No entry file (main.py, app.py, server.py, manage.py, …) in ${options.projectRoot}. Pass the container command with --cmd, e.g. --cmd="uvicorn app:app --host 0.0.0.0".`);
  }
  const dockerfile = renderPythonDockerfile({ ...options, ...layout, cmd });
  const copied = [
    ...dependencyManifests(layout.dependencies),
    ...layout.configDirs,
    ...layout.rootFiles,
    ...layout.sourceDirs,
  ];
  const ignoreFile = renderIgnoreFile(ignoreHeader(), [...DEFAULT_IGNORE_PATTERNS, 'tests', 'docs', '**/Dockerfile*'], dockerfile, copied);
  return { dockerfile, ignoreFile, context: options.projectRoot };
}

function dependencyManifests(deps: ReturnType<typeof detectPythonLayout>['dependencies']): string[] {
  switch (deps.kind) {
    case 'requirements':
      return [...deps.files];
    case 'uv':
      return ['pyproject.toml', 'uv.lock'];
    case 'poetry':
      return ['pyproject.toml', 'poetry.lock'];
    case 'pyproject':
      return ['pyproject.toml'];
    case 'none':
      return [];
  }
}

function nodeFiles(tree: Tree, options: NormalizedBackendOptions) {
  if (options.buildTarget) {
    // The context is the workspace root. The Nx build emits package.json and the lockfile next to main.js when it
    // generates them (pruned to the app by Nx); otherwise the executor prunes them into the "deps" context.
    const base = detectPackageManager((file) => tree.exists(file));
    const pm = pinnedPackageManager(base, readPackageJson(tree, 'package.json')?.packageManager, tree.read(base.lockfile, 'utf-8') ?? '');
    const outputPath = options.buildTarget.outputPath;
    warnOfLocalDependencies(tree, options);
    const dockerfile = renderNodeBackendDockerfile({
      ...options,
      packageManager: options.buildTarget.emitsManifest ? base : pm,
      buildOutput: outputPath,
      installFromPrunedContext: !options.buildTarget.emitsManifest,
      configFiles: [],
      sourceDirs: [],
      cmd: options.cmd ?? ['node', 'main.js'],
    });
    const ignoreFile = renderAllowListIgnoreFile([...ignoreHeader(), `Context: the workspace root; only the build output ${outputPath} is sent.`], dockerfile, [outputPath]);
    return { dockerfile, ignoreFile, context: '.' };
  }
  const root = options.projectRoot;
  const at = (name: string) => joinPathFragments(root, name);
  const pm = detectPackageManager((file) => tree.exists(at(file)));
  if (tree.exists(at('package.json')) && !tree.exists(at(pm.lockfile))) {
    const members = workspaceMemberManifests(tree);
    if ([...members.values()].includes(root)) return prunedNodeFiles(tree, options, members);
  }
  if (!tree.exists(at('package.json')) || !tree.exists(at(pm.lockfile))) {
    throw new Error(`Project "${options.project}" has no "build" target and no package.json with a lockfile in ${root}. Add a build target (its output is packaged), or a package.json and ${pm.lockfile}.`);
  }
  const children = tree.children(root).sort();
  // Never .npmrc: it usually holds a registry token, and the runtime image must not carry it.
  const configFiles = children.filter((name) => /^(tsconfig.*\.json|.*\.config\.(js|cjs|mjs|json))$/.test(name) && tree.isFile(at(name)));
  const sourceDirs = ['config', 'lib', 'src'].filter((name) => tree.exists(at(name)) && !tree.isFile(at(name)));
  const main = (JSON.parse(tree.read(at('package.json'), 'utf-8') ?? '{}') as { main?: string }).main;
  const cmd = options.cmd ?? ['node', main ?? ['src/main.js', 'src/index.js', 'index.js', 'main.js', 'server.js'].find((f) => tree.exists(at(f))) ?? 'index.js'];
  const rootScripts = children.filter((name) => /\.(js|cjs|mjs)$/.test(name) && !name.includes('.config.') && tree.isFile(at(name)));
  const dockerfile = renderNodeBackendDockerfile({ ...options, packageManager: pm, configFiles: [...configFiles, ...rootScripts], sourceDirs, cmd });
  const ignoreFile = renderIgnoreFile(ignoreHeader(), [...DEFAULT_IGNORE_PATTERNS, '**/Dockerfile*'], dockerfile, ['package.json', pm.lockfile, ...configFiles, ...rootScripts, ...sourceDirs]);
  return { dockerfile, ignoreFile, context: root };
}

/**
 * A member of npm/pnpm/yarn workspaces: the workspace root is the context, production dependencies come from the
 * app's pruned manifest and lockfile (the `deps` build context the executor derives), and the workspace libraries it
 * uses are copied where that install linked them (`workspace_modules/<name>/`).
 */
function prunedNodeFiles(tree: Tree, options: NormalizedBackendOptions, members: Map<string, string>) {
  const root = options.projectRoot;
  const at = (name: string) => joinPathFragments(root, name);
  const rootPkg = JSON.parse(tree.read('package.json', 'utf-8') ?? '{}') as { packageManager?: string };
  const base = detectPackageManager((file) => tree.exists(file));
  if (!tree.exists(base.lockfile)) {
    throw new Error(`Project "${options.project}" is a workspace package but the workspace root has no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock) to prune its dependencies from. Run your package manager's install at the workspace root.`);
  }
  const pm = pinnedPackageManager(base, rootPkg.packageManager, tree.read(base.lockfile, 'utf-8') ?? '');
  const nameOf = new Map([...members].map(([name, dir]) => [dir, name]));
  warnOfLocalDependencies(tree, options);
  // The graph's libraries that are workspace packages: the pruned install links them under workspace_modules/.
  const libraries = workspaceLibrariesOfProject(options.graph, options.project)
    .filter((lib) => nameOf.has(lib.root))
    .map((lib) => ({ source: `${lib.root}/`, destination: `${workspaceModulePath(nameOf.get(lib.root) as string)}/` }));
  const children = tree.children(root).sort();
  const configFiles = children.filter((name) => /^(tsconfig.*\.json|.*\.config\.(js|cjs|mjs|json))$/.test(name) && tree.isFile(at(name))).map(at);
  const rootScripts = children.filter((name) => /\.(js|cjs|mjs)$/.test(name) && !name.includes('.config.') && tree.isFile(at(name))).map(at);
  const sourceDirs = ['config', 'lib', 'src'].filter((name) => tree.exists(at(name)) && !tree.isFile(at(name))).map(at);
  const main = (JSON.parse(tree.read(at('package.json'), 'utf-8') ?? '{}') as { main?: string }).main;
  const cmd = options.cmd ?? ['node', main ?? ['src/main.js', 'src/index.js', 'index.js', 'main.js', 'server.js'].find((f) => tree.exists(at(f))) ?? 'index.js'];
  const dockerfile = renderNodeBackendDockerfile({ ...options, packageManager: pm, configFiles: [...configFiles, ...rootScripts], sourceDirs, cmd, prunedInstall: { projectRoot: root, libraries } });
  const copied = [...libraries.map((lib) => lib.source), ...configFiles, ...rootScripts, ...sourceDirs];
  const ignoreFile = renderAllowListIgnoreFile(
    [...ignoreHeader(), 'Context: the workspace root; only this app and the libraries it uses are sent. Its dependencies are', 'installed from the pruned manifest and lockfile in the "deps" build context, which this file does not filter.'],
    dockerfile,
    copied,
  );
  return { dockerfile, ignoreFile, context: '.' };
}

/** Names, before any build, a file:/link:/portal: dependency the image would install (the executor refuses it). */
function warnOfLocalDependencies(tree: Tree, options: NormalizedBackendOptions): void {
  const found = localDependenciesOfImage(tree, options.graph, options.project);
  if (found.length) logger.warn(`nx-buildkit: ${describeLocalDependencies(options.project, found)}`);
}

function ignoreHeader(): string[] {
  return [
    `Written by nx-buildkit for ${BACKEND_DOCKERFILE}: BuildKit reads this file instead of the context's .dockerignore.`,
    'It keeps secrets and host files out of the context and never excludes what the Dockerfile copies.',
  ];
}

function splitList(value: string[] | string | undefined): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : value.split(/[\s,]+/);
  return items.map((item) => item.trim()).filter(Boolean);
}

export default backendGenerator;
