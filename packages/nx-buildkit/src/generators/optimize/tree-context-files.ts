import { Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { ContextFiles } from '../../lib/dockerfile-analyzer/build-context';

/** The build context folder as an Nx Tree shows it (pending generator changes included). */
export function treeContextFiles(tree: Tree, contextRoot: string): ContextFiles {
  const at = (path: string) => (contextRoot === '.' || contextRoot === '' ? posix.normalize(path) : posix.join(contextRoot, path));
  const isDirectory = (path: string) => tree.exists(at(path)) && !tree.isFile(at(path));
  return {
    exists: (path) => tree.exists(at(path)),
    isDirectory,
    readText: (path) => (tree.isFile(at(path)) ? (tree.read(at(path), 'utf-8') ?? undefined) : undefined),
    list: (path) => (isDirectory(path) ? tree.children(at(path)).sort() : undefined),
  };
}
