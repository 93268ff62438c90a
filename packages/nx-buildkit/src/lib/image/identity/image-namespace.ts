import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryFromProjectName } from './image-ref';

/**
 * Default image names are namespaced by the workspace, so that two workspaces on one engine never share a name: two
 * `api:latest` images would replace each other's tag. The namespace is the root package.json's npm scope
 * (`@acme/source` → `acme`), else its name (`shop` → `shop`); a workspace without a named root manifest keeps bare
 * project names.
 */
export function workspaceNamespace(rootManifestText: string | undefined): string | undefined {
  if (rootManifestText === undefined) return undefined;
  let name: unknown;
  try {
    name = (JSON.parse(rootManifestText) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
  if (typeof name !== 'string' || name.trim() === '') return undefined;
  const scope = /^@([^/]+)\//.exec(name)?.[1];
  const namespace = repositoryFromProjectName(scope ?? name);
  return namespace === 'image' && !/image/i.test(name) ? undefined : namespace;
}

/** `acme/api` for project `api` (or `@acme/api`) in workspace `@acme/source`; the bare name without a namespace. */
export function defaultRepository(projectName: string, namespace: string | undefined): string {
  if (namespace === undefined) return repositoryFromProjectName(projectName);
  const own = projectName.startsWith(`@${namespace}/`) ? projectName.slice(namespace.length + 2) : projectName;
  return `${namespace}/${repositoryFromProjectName(own)}`;
}

/** The namespace of the workspace at this root (its package.json read from disk). */
export function readWorkspaceNamespace(workspaceRoot: string): string | undefined {
  try {
    return workspaceNamespace(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}
