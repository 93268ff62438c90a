import { joinPathFragments, ProjectGraph, Tree } from '@nx/devkit';
import { findLocalDependencies, LocalDependency } from '../local-dependencies';
import { npmPackagesOfProject, workspaceLibrariesOfProject } from './workspace-graph';
import { readPackageJson, workspaceMemberManifests } from './workspace-packages';

/**
 * The file:/link:/portal: dependencies an app's image would install: those of its own manifest and its libraries'
 * (workspace packages, linked on purpose, left out), and those of the root manifest that the app or its libraries
 * import (an integrated repo's root manifest lists every app's dependencies; only the app's reach its install).
 */
export function localDependenciesOfImage(tree: Tree, graph: ProjectGraph, project: string): LocalDependency[] {
  const except = new Set(workspaceMemberManifests(tree).keys());
  const root = graph.nodes[project]?.data.root;
  const found: LocalDependency[] = [];
  for (const dir of [root, ...workspaceLibrariesOfProject(graph, project).map((lib) => lib.root)]) {
    if (dir === undefined || dir === '.') continue;
    const path = joinPathFragments(dir, 'package.json');
    found.push(...findLocalDependencies(readPackageJson(tree, path), path, { except }));
  }
  found.push(...findLocalDependencies(readPackageJson(tree, 'package.json'), 'package.json', { only: new Set(npmPackagesOfProject(graph, project)), except }));
  return found.filter((dep, index) => found.findIndex((other) => other.name === dep.name) === index);
}
