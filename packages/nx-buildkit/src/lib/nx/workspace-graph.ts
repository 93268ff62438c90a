import { createProjectGraphAsync, getProjects, joinPathFragments, ProjectGraph, TargetConfiguration, Tree, visitNotIgnoredFiles, workspaceRoot } from '@nx/devkit';
import { readPackageJson, workspaceMemberManifests } from './workspace-packages';

/**
 * What the generators need of the Nx project graph: every target of a project (those Nx plugins infer included,
 * not only project.json's), the workspace libraries an app depends on (tsconfig path aliases and workspace packages
 * alike), and the npm packages it uses.
 */

/** The project graph of the workspace the generator runs in. */
export async function readWorkspaceGraph(tree: Tree): Promise<ProjectGraph> {
  // Nx builds the graph from the files on disk: a tree that is not this workspace (a generator's unit test) gets the
  // approximation below, as does a workspace whose graph cannot be built (another plugin failing).
  if (tree.root === workspaceRoot) {
    try {
      return await createProjectGraphAsync({ exitOnError: false });
    } catch {
      // fall through
    }
  }
  return graphFromTree(tree);
}

/** A project's targets as Nx runs them: the graph's (inferred and configured, merged by Nx). */
export function projectTargets(graph: ProjectGraph, project: string): Record<string, TargetConfiguration> {
  return graph.nodes[project]?.data.targets ?? {};
}

/** Where a build target writes: its outputPath option, else its first output without an unresolved token, else Nx's dist/<root>. */
export function buildOutputPath(build: TargetConfiguration, projectRoot: string): string {
  const fromOption = build.options?.outputPath;
  if (typeof fromOption === 'string' && fromOption !== '') return fromOption;
  for (const output of build.outputs ?? []) {
    const resolved = output.replace(/^\{workspaceRoot\}\/?/, '').replace(/\{projectRoot\}/g, projectRoot);
    if (!resolved.includes('{') && !resolved.startsWith('!') && resolved !== '') return resolved.replace(/\/+$/, '');
  }
  return joinPathFragments('dist', projectRoot);
}

export interface WorkspaceLibrary {
  readonly name: string;
  /** Project root, relative to the workspace root. */
  readonly root: string;
}

/** The workspace projects an app depends on, transitively, whatever the edge's kind; sorted by root. */
export function workspaceLibrariesOfProject(graph: ProjectGraph, project: string): WorkspaceLibrary[] {
  const found = new Map<string, WorkspaceLibrary>();
  const visit = (name: string): void => {
    for (const dependency of graph.dependencies[name] ?? []) {
      const node = graph.nodes[dependency.target];
      if (!node || dependency.target === project || found.has(dependency.target)) continue;
      found.set(dependency.target, { name: dependency.target, root: node.data.root });
      visit(dependency.target);
    }
  };
  visit(project);
  return [...found.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
}

/** The npm packages the project and its workspace libraries import (the graph's `npm:` edges), by package name. */
export function npmPackagesOfProject(graph: ProjectGraph, project: string): string[] {
  const names = new Set<string>();
  for (const source of [project, ...workspaceLibrariesOfProject(graph, project).map((lib) => lib.name)]) {
    for (const dependency of graph.dependencies[source] ?? []) {
      const external = graph.externalNodes?.[dependency.target];
      if (external) names.add(external.data.packageName);
    }
  }
  return [...names].sort();
}

const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/;
const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm;

/**
 * The project graph as far as the tree shows it, for where Nx's cannot be built: projects with their configured
 * targets; an edge to a workspace project for each tsconfig path alias a source file imports and each workspace
 * package a package.json depends on; an `npm:` edge for each root dependency a source file imports.
 */
export function graphFromTree(tree: Tree): ProjectGraph {
  const projects = getProjects(tree);
  const graph: ProjectGraph = { nodes: {}, dependencies: {}, externalNodes: {} };
  const packageOwners = new Map<string, string>();
  for (const [name, config] of projects) {
    graph.nodes[name] = { name, type: config.projectType === 'application' ? 'app' : 'lib', data: { ...config, targets: config.targets ?? {} } };
    graph.dependencies[name] = [];
    const pkgName = readPackageJson(tree, joinPathFragments(config.root, 'package.json'))?.name;
    if (pkgName) packageOwners.set(pkgName, name);
  }
  // Workspace packages Nx would see as projects through their package.json alone.
  for (const [pkgName, dir] of workspaceMemberManifests(tree)) {
    if (packageOwners.has(pkgName) || [...projects.values()].some((config) => config.root === dir)) continue;
    projects.set(pkgName, { name: pkgName, root: dir, targets: {} });
    graph.nodes[pkgName] = { name: pkgName, type: 'lib', data: { root: dir, targets: {} } };
    graph.dependencies[pkgName] = [];
    packageOwners.set(pkgName, pkgName);
  }
  const aliases = pathAliases(tree, projects);
  const rootPkg = readPackageJson(tree, 'package.json');
  const rootDeps = { ...rootPkg?.dependencies, ...rootPkg?.devDependencies };
  const addEdge = (source: string, target: string): void => {
    if (source === target || graph.dependencies[source].some((edge) => edge.target === target)) return;
    graph.dependencies[source].push({ source, target, type: 'static' });
  };
  const byDepth = [...projects].sort(([, a], [, b]) => b.root.length - a.root.length);
  const ownerOf = (file: string): string | undefined => byDepth.find(([, config]) => config.root === '.' || file === config.root || file.startsWith(`${config.root}/`))?.[0];
  for (const [name, config] of projects) {
    const pkg = readPackageJson(tree, joinPathFragments(config.root, 'package.json'));
    for (const dep of Object.keys({ ...pkg?.dependencies, ...pkg?.devDependencies })) {
      const owner = packageOwners.get(dep);
      if (owner) addEdge(name, owner);
    }
  }
  visitNotIgnoredFiles(tree, '.', (file) => {
    if (!SOURCE_FILE.test(file) || file.includes('node_modules/')) return;
    const source = ownerOf(file);
    if (!source) return;
    for (const match of (tree.read(file, 'utf-8') ?? '').matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[1];
      const alias = aliases.find((entry) => (entry.prefix ? specifier.startsWith(entry.alias) : specifier === entry.alias || specifier.startsWith(`${entry.alias}/`)));
      if (alias) {
        addEdge(source, alias.project);
        continue;
      }
      const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      const owner = packageOwners.get(packageName);
      if (owner) addEdge(source, owner);
      else if (packageName in rootDeps) {
        const externalName = `npm:${packageName}`;
        graph.externalNodes ??= {};
        graph.externalNodes[externalName] ??= { name: externalName, type: 'npm', data: { packageName, version: rootDeps[packageName] } };
        addEdge(source, externalName);
      }
    }
  });
  return graph;
}

/** tsconfig.base.json's (else tsconfig.json's) `paths`, each with the project holding its first target. */
function pathAliases(tree: Tree, projects: ReturnType<typeof getProjects>): Array<{ alias: string; prefix: boolean; project: string }> {
  const file = ['tsconfig.base.json', 'tsconfig.json'].find((name) => tree.exists(name));
  if (!file) return [];
  let paths: Record<string, string[]> = {};
  try {
    paths = (JSON.parse(tree.read(file, 'utf-8') ?? '{}') as { compilerOptions?: { paths?: Record<string, string[]> } }).compilerOptions?.paths ?? {};
  } catch {
    return [];
  }
  const found: Array<{ alias: string; prefix: boolean; project: string }> = [];
  for (const [alias, targets] of Object.entries(paths)) {
    const target = (targets[0] ?? '').replace(/^\.\//, '');
    const owner = [...projects].filter(([, config]) => config.root !== '.' && target.startsWith(`${config.root}/`)).sort(([, a], [, b]) => b.root.length - a.root.length)[0];
    if (owner) found.push({ alias: alias.replace(/\*$/, ''), prefix: alias.endsWith('*'), project: owner[0] });
  }
  return found;
}
