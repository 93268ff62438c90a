// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../../lib/nx/require-supported-nx';
import { formatFiles, joinPathFragments, logger, ProjectConfiguration, ProjectGraph, readProjectConfiguration, Tree } from '@nx/devkit';
import { DEFAULT_NGINX_IMAGE, DEFAULT_NODE_IMAGE } from '../../lib/default-images';
import { DEFAULT_IGNORE_PATTERNS, renderAllowListIgnoreFile, renderIgnoreFile } from '../../lib/context/ignore-file-content';
import { detectPackageManager, PackageManagerSetup, pinnedPackageManager } from '../../lib/package-manager';
import { workspaceModulePath } from '../../lib/pruned-deps/layout';
import { writeGeneratedFile } from '../../lib/write-generated-file';
import { ensurePluginInitialized } from '../init/ensure-initialized';
import { readPackageJson, workspaceMemberManifests } from '../../lib/nx/workspace-packages';
import { buildOutputPath, projectTargets, readWorkspaceGraph, WorkspaceLibrary, workspaceLibrariesOfProject } from '../../lib/nx/workspace-graph';
import { localDependenciesOfImage } from '../../lib/nx/image-dependencies-of-project';
import { describeLocalDependencies } from '../../lib/local-dependencies';
import { angularOutDir, detectFramework, Framework, listAppSources, listBuildConfigFiles, nextConfigFile, viteOutDir } from './detect-frontend';
import { renderNextDockerfile } from './next-dockerfile';
import { FrontendDockerfileSpec, InDockerBuildSpec, renderFrontendDockerfile } from './frontend-dockerfile';
import { renderNginxConf } from './nginx-conf';
import { relocatedConfigBases } from './relocated-config-bases';
import { rootConfigsToCopy } from './root-configs';
import type { FrontendGeneratorSchema } from './schema';

export const FRONTEND_DOCKERFILE = 'Dockerfile.frontend';

interface NormalizedFrontendOptions {
  readonly project: string;
  readonly config: ProjectConfiguration;
  readonly root: string;
  readonly framework: Framework;
  readonly buildOutside: boolean;
  readonly nodeImage: string;
  readonly nginxImage: string;
  readonly overwrite: boolean;
  readonly skipFormat: boolean;
  readonly graph: ProjectGraph;
}

export function normalizeFrontendOptions(tree: Tree, options: FrontendGeneratorSchema, graph: ProjectGraph): NormalizedFrontendOptions {
  const configured = readProjectConfiguration(tree, options.project);
  // The graph's targets: a build that @nx/vite/plugin infers counts as much as one in project.json.
  const inferred = projectTargets(graph, options.project);
  const config: ProjectConfiguration = { ...configured, targets: Object.keys(inferred).length ? inferred : configured.targets };
  const framework = options.framework ?? detectFramework(tree, config);
  if (!framework) {
    throw new Error(`Could not tell how project "${options.project}" (${config.root}) is built: no vite.config.*, next.config.*, angular.json, Angular build executor, or vite/next/@angular/core dependency. Pass --framework=vite, --framework=next or --framework=angular.`);
  }
  const builtByNxOnly = framework === 'angular' && angularBuildRunsThroughNxOnly(tree, config);
  if (builtByNxOnly && options.buildOutside === false) {
    throw new Error(`Project "${options.project}" (${config.root}) is an Angular app that Nx builds with the "${config.targets?.build?.executor}" executor: without an angular.json or a "build" script there is no way to build it inside Docker without Nx. Leave out --buildOutside=false (the image then packages the output of "nx build ${options.project}").`);
  }
  return {
    project: options.project,
    config,
    root: config.root,
    framework,
    // Next.js's standalone output is what runs; the image always packages it from the Nx build. So does an Angular
    // app whose only build is Nx's executor.
    buildOutside: framework === 'next' || builtByNxOnly || (options.buildOutside ?? false),
    nodeImage: options.nodeImage ?? DEFAULT_NODE_IMAGE,
    nginxImage: options.nginxImage ?? DEFAULT_NGINX_IMAGE,
    overwrite: options.overwrite ?? false,
    skipFormat: options.skipFormat ?? false,
    graph,
  };
}

/**
 * An Angular app that an Nx executor builds (the @nx/angular generators' layout: the builder's options in
 * project.json, no angular.json, no "build" script): Angular's builders run only inside the Angular CLI or Nx, so the
 * image packages what `nx build` writes rather than installing Nx inside the image.
 */
function angularBuildRunsThroughNxOnly(tree: Tree, config: ProjectConfiguration): boolean {
  if (tree.exists(joinPathFragments(config.root, 'angular.json'))) return false;
  if (readPackageJson(tree, joinPathFragments(config.root, 'package.json'))?.scripts?.build !== undefined) return false;
  const executor = config.targets?.build?.executor ?? '';
  return executor !== '' && !/^nx:run-(commands|script)$/.test(executor);
}

interface FrontendFiles {
  readonly dockerfile: string;
  readonly ignoreFile: string;
  /** `.` for the workspace root, else the project root. */
  readonly context: string;
}

export async function frontendGenerator(tree: Tree, schema: FrontendGeneratorSchema): Promise<void> {
  const options = normalizeFrontendOptions(tree, schema, await readWorkspaceGraph(tree));
  await ensurePluginInitialized(tree);
  if (!options.buildOutside) {
    const local = localDependenciesOfImage(tree, options.graph, options.project);
    if (local.length) logger.warn(`nx-buildkit: ${describeLocalDependencies(options.project, local)}`);
  }
  const files =
    options.framework === 'next'
      ? nextStandaloneFiles(tree, options)
      : options.buildOutside
        ? prebuiltFiles(tree, options)
        : hasOwnLockfile(tree, options.root)
          ? standaloneFiles(tree, options)
          : monorepoFiles(tree, options);
  const dockerfilePath = joinPathFragments(options.root, FRONTEND_DOCKERFILE);
  if (options.framework !== 'next') writeGeneratedFile(tree, joinPathFragments(options.root, 'nginx.conf'), renderNginxConf(), options.overwrite);
  writeGeneratedFile(tree, dockerfilePath, files.dockerfile, options.overwrite);
  writeGeneratedFile(tree, `${dockerfilePath}.dockerignore`, files.ignoreFile, options.overwrite);
  const mode = options.buildOutside ? 'packages the Nx build output' : 'builds inside Docker';
  logger.info(`nx-buildkit: wrote ${dockerfilePath} (${options.framework}, ${mode}; build context: ${files.context === '.' ? 'the workspace root' : files.context}).`);
  if (!options.skipFormat) await formatFiles(tree);
}

function hasOwnLockfile(tree: Tree, root: string): boolean {
  const pm = detectPackageManager((file) => tree.exists(joinPathFragments(root, file)));
  return tree.exists(joinPathFragments(root, 'package.json')) && tree.exists(joinPathFragments(root, pm.lockfile));
}

/** The app is its own package (manifest and lockfile in the project root): the project root is the context. */
function standaloneFiles(tree: Tree, options: NormalizedFrontendOptions): FrontendFiles {
  const root = options.root;
  const pm = detectPackageManager((file) => tree.exists(joinPathFragments(root, file)));
  const pkg = readPackageJson(tree, joinPathFragments(root, 'package.json'));
  const outputDir =
    options.framework === 'angular' ? relativeTo(root, angularOutDir(tree, root, { ...options.config, targets: {} }, pkg?.name)) : relativeTo(root, viteOutDir(tree, root));
  const build: InDockerBuildSpec = {
    nodeImage: options.nodeImage,
    packageManager: pm,
    manifests: ['package.json', pm.lockfile],
    configFiles: listBuildConfigFiles(tree, root),
    sharedSources: [],
    appSources: listAppSources(tree, root),
    buildCommand: buildCommand(pm, pkg?.scripts?.build !== undefined, options.framework, undefined),
    outputDir,
  };
  const dockerfile = renderFrontendDockerfile({ nginxImage: options.nginxImage, nginxConf: 'nginx.conf', build });
  const copied = [...build.manifests, ...build.configFiles, ...build.appSources, 'nginx.conf'];
  const ignoreFile = renderIgnoreFile(ignoreHeader(), [...DEFAULT_IGNORE_PATTERNS, '**/Dockerfile*', 'e2e', '**/*.spec.ts', '**/*.test.ts'], dockerfile, copied);
  return { dockerfile, ignoreFile, context: root };
}

/**
 * Dependencies are declared at the workspace root (npm/pnpm/yarn workspaces or one root package.json): the
 * workspace root is the context and only what this app needs is copied, each group after what changes less.
 */
function monorepoFiles(tree: Tree, options: NormalizedFrontendOptions): FrontendFiles {
  const root = options.root;
  const pm = detectPackageManager((file) => tree.exists(file));
  if (!tree.exists('package.json') || !tree.exists(pm.lockfile)) {
    throw new Error(`Neither ${root} nor the workspace root has a package.json with a lockfile to install from. Add one (e.g. run "npm install"), or use --buildOutside to package the Nx build output.`);
  }
  const members = workspaceMemberManifests(tree);
  if ([...members.values()].includes(root)) return prunedMonorepoFiles(tree, options, members);
  return integratedFiles(tree, options);
}

/**
 * One root package.json for every app (an Nx integrated repo): the app installs from its own manifest and lockfile,
 * pruned by Nx from the root ones (the `deps` build context the executor derives), so an unrelated root dependency
 * changes neither its install layer nor its inputs hash; the libraries it depends on in the project graph (tsconfig
 * path aliases) are copied at their own paths, where the root tsconfig's paths find them.
 */
function integratedFiles(tree: Tree, options: NormalizedFrontendOptions): FrontendFiles {
  const root = options.root;
  const base = detectPackageManager((file) => tree.exists(file));
  const pm = pinnedPackageManager(base, readPackageJson(tree, 'package.json')?.packageManager, tree.read(base.lockfile, 'utf-8') ?? '');
  const appPkg = readPackageJson(tree, joinPathFragments(root, 'package.json'));
  const libraries = libraryCopies(workspaceLibrariesOfProject(options.graph, options.project), () => undefined);
  const outputDir = options.framework === 'angular' ? angularOutDir(tree, root, options.config, appPkg?.name) : viteOutDir(tree, root);
  const rootConfigs = rootConfigsOf(tree, [root, ...libraries.map((lib) => lib.source)]);
  const build: InDockerBuildSpec = {
    nodeImage: options.nodeImage,
    packageManager: pm,
    manifests: [],
    configFiles: [...rootConfigs, ...listBuildConfigFiles(tree, root).map((file) => joinPathFragments(root, file))],
    sharedSources: [],
    appSources: listAppSources(tree, root).map((path) => (path.endsWith('/') ? asFolder(joinPathFragments(root, path)) : joinPathFragments(root, path))),
    buildCommand: buildCommand(pm, false, options.framework, root),
    outputDir,
    prunedInstall: { dir: '.', libraries },
  };
  const nginxConf = joinPathFragments(root, 'nginx.conf');
  const dockerfile = renderFrontendDockerfile({ nginxImage: options.nginxImage, nginxConf, build });
  const copied = [...build.configFiles, ...libraries.map((lib) => lib.source), ...build.appSources, nginxConf];
  const ignoreFile = renderAllowListIgnoreFile(
    [...ignoreHeader(), 'Context: the workspace root; only what this app needs is sent. Its dependencies are installed', 'from the pruned manifest and lockfile in the "deps" build context, which this file does not filter.'],
    dockerfile,
    copied,
  );
  return { dockerfile, ignoreFile, context: '.' };
}

/**
 * The COPY of each library the app depends on: a workspace package goes where the pruned install linked it
 * (`<app>/workspace_modules/<name>/`), a path-alias library to its own path.
 */
function libraryCopies(libraries: readonly WorkspaceLibrary[], linkedAt: (lib: WorkspaceLibrary) => string | undefined): Array<{ source: string; destination: string }> {
  return libraries.map((lib) => ({ source: asFolder(lib.root), destination: asFolder(linkedAt(lib) ?? lib.root) }));
}

/**
 * The app is a member of npm/pnpm/yarn workspaces: it installs from its own pruned manifest and lockfile, which the
 * executor derives into the `deps` build context (lib/pruned-deps), so a dependency change of another app changes
 * neither its install layer nor its inputs hash. The workspace libraries it uses are copied after the install, where
 * the pruned lockfile links them (`<app>/workspace_modules/<name>/`).
 */
function prunedMonorepoFiles(tree: Tree, options: NormalizedFrontendOptions, members: Map<string, string>): FrontendFiles {
  const root = options.root;
  const rootPkg = readPackageJson(tree, 'package.json');
  const base = detectPackageManager((file) => tree.exists(file));
  const pm = pinnedPackageManager(base, (rootPkg as { packageManager?: string } | undefined)?.packageManager, tree.read(base.lockfile, 'utf-8') ?? '');
  const appPkg = readPackageJson(tree, joinPathFragments(root, 'package.json'));
  const nameOf = new Map([...members].map(([name, dir]) => [dir, name]));
  const libraries = libraryCopies(workspaceLibrariesOfProject(options.graph, options.project), (lib) => {
    const name = nameOf.get(lib.root);
    return name === undefined ? undefined : joinPathFragments(root, workspaceModulePath(name));
  });
  // A library's tsconfig extends the workspace's base by a relative path, which its linked copy must still find.
  const configBases = uniqueBy(
    libraries.flatMap((lib) => relocatedConfigBases((path) => tree.read(path, 'utf-8') ?? undefined, (dir) => tree.children(dir), lib.source, lib.destination)),
    (copy) => copy.destination,
  );
  const outputDir = options.framework === 'angular' ? angularOutDir(tree, root, options.config, appPkg?.name) : viteOutDir(tree, root);
  const rootConfigs = rootConfigsOf(tree, [root, ...libraries.map((lib) => lib.source)]);
  const tool = options.framework === 'angular' ? 'ng build' : 'vite build';
  const build: InDockerBuildSpec = {
    nodeImage: options.nodeImage,
    packageManager: pm,
    manifests: [],
    configFiles: [...rootConfigs, ...listBuildConfigFiles(tree, root).map((file) => joinPathFragments(root, file))],
    sharedSources: [],
    appSources: listAppSources(tree, root).map((path) => (path.endsWith('/') ? asFolder(joinPathFragments(root, path)) : joinPathFragments(root, path))),
    buildCommand: appPkg?.scripts?.build !== undefined ? pm.runScript('build') : `npx --no-install ${tool}`,
    outputDir,
    prunedInstall: { dir: root, libraries: [...configBases, ...libraries] },
  };
  const nginxConf = joinPathFragments(root, 'nginx.conf');
  const dockerfile = renderFrontendDockerfile({ nginxImage: options.nginxImage, nginxConf, build });
  const copied = [...build.configFiles, ...configBases.map((base) => base.source), ...libraries.map((lib) => lib.source), ...build.appSources, nginxConf];
  const ignoreFile = renderAllowListIgnoreFile(
    [...ignoreHeader(), 'Context: the workspace root; only what this app needs is sent. Its dependencies are installed', 'from the pruned manifest and lockfile in the "deps" build context, which this file does not filter.'],
    dockerfile,
    copied,
  );
  return { dockerfile, ignoreFile, context: '.' };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

/** --buildOutside: nginx serves what the project's Nx build target wrote; the workspace root is the context. */
function prebuiltFiles(tree: Tree, options: NormalizedFrontendOptions): FrontendFiles {
  const build = options.config.targets?.build;
  if (!build) {
    throw new Error(`Project "${options.project}" has no "build" target, so --buildOutside has no output to package. Add a build target, or leave out --buildOutside to build inside Docker.`);
  }
  const outputPath = build.options?.outputPath as string | { base?: string } | undefined;
  const prebuiltOutput =
    options.framework === 'angular'
      ? angularOutDir(tree, options.root, options.config)
      : typeof outputPath === 'string'
        ? outputPath
        : build.outputs?.length
          ? buildOutputPath(build, options.root)
          : viteOutDirOrDefault(tree, options.root);
  const nginxConf = joinPathFragments(options.root, 'nginx.conf');
  const spec: FrontendDockerfileSpec = { nginxImage: options.nginxImage, nginxConf, prebuiltOutput };
  const dockerfile = renderFrontendDockerfile(spec);
  const ignoreFile = renderAllowListIgnoreFile([...ignoreHeader(), `Context: the workspace root; only nginx.conf and ${prebuiltOutput} are sent.`], dockerfile, [nginxConf, prebuiltOutput]);
  return { dockerfile, ignoreFile, context: '.' };
}

/**
 * Next.js: the image packages the standalone output of the project's Nx build (@nx/next/plugin infers it; `nx run
 * <app>:docker-build` runs it first, as the Dockerfile copies what git ignores). The workspace root is the context.
 */
function nextStandaloneFiles(tree: Tree, options: NormalizedFrontendOptions): FrontendFiles {
  const root = options.root;
  const configName = nextConfigFile(tree, root);
  const configText = configName ? (tree.read(joinPathFragments(root, configName), 'utf-8') ?? '') : '';
  if (!/\boutput\s*:\s*['"`]standalone['"`]/.test(configText)) {
    const where = configName ? joinPathFragments(root, configName) : `${root}/next.config.js`;
    throw new Error(`Project "${options.project}" is a Next.js app without standalone output: add output: 'standalone' to the config in ${where} (the image runs the server Next writes to .next/standalone), then run this generator again.`);
  }
  if (!options.config.targets?.build) {
    throw new Error(`Project "${options.project}" has no "build" target to write its standalone output. Register @nx/next/plugin in nx.json (nx add @nx/next) or add a build target that runs "next build".`);
  }
  const distDir = /\bdistDir\s*:\s*['"`]([^'"`]+)['"`]/.exec(configText)?.[1] ?? '.next';
  const built = joinPathFragments(root, distDir);
  const publicDir = tree.exists(joinPathFragments(root, 'public')) ? joinPathFragments(root, 'public') : undefined;
  const standaloneDir = joinPathFragments(built, 'standalone');
  const dockerfile = renderNextDockerfile({
    nodeImage: options.nodeImage,
    standaloneDir,
    // Next traces from the monorepo root (where the lockfile is): the app keeps its workspace path inside the output.
    appDirInStandalone: root,
    distDir,
    staticDir: joinPathFragments(built, 'static'),
    publicDir,
    port: 3000,
  });
  const ignoreFile = renderAllowListIgnoreFile(
    [...ignoreHeader(), `Context: the workspace root; only ${distDir}/standalone, ${distDir}/static and public of ${root} are sent.`],
    dockerfile,
  );
  // The traced node_modules is part of the output, not a host install to keep out.
  return { dockerfile, ignoreFile: `${ignoreFile}!${standaloneDir}/node_modules\n`, context: '.' };
}

/** Nx's Vite apps write to dist/<project root> unless their config names another outDir. */
function viteOutDirOrDefault(tree: Tree, root: string): string {
  const fromConfig = viteOutDir(tree, root);
  return fromConfig === joinPathFragments(root, 'dist') ? joinPathFragments('dist', root) : fromConfig;
}

function buildCommand(pm: PackageManagerSetup, hasBuildScript: boolean, framework: Framework, workspace: string | undefined): string {
  if (hasBuildScript) return pm.runScript('build', workspace);
  const tool = framework === 'angular' ? 'ng build' : `vite build${workspace ? ` ${workspace}` : ''}`;
  return `npx --no-install ${tool}`;
}

function relativeTo(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

function ignoreHeader(): string[] {
  return [
    `Written by nx-buildkit for ${FRONTEND_DOCKERFILE}: BuildKit reads this file instead of the context's .dockerignore.`,
    'It keeps secrets and host files out of the context and never excludes what the Dockerfile copies.',
  ];
}

export default frontendGenerator;

/** A folder as the COPY lines write it: one trailing slash (joinPathFragments keeps the one `src/` already has). */
function asFolder(path: string): string {
  return `${path.replace(/\/+$/, '')}/`;
}

/** The workspace-root tsconfig files the app's build reads (root-configs.ts says which and why). */
function rootConfigsOf(tree: Tree, projectRoots: readonly string[]): string[] {
  return rootConfigsToCopy((path) => (tree.exists(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined), (dir) => tree.children(dir), projectRoots);
}
