import { Tree } from '@nx/devkit';

/**
 * Writes a generated file unless the user changed it: an identical file is left alone, a different one is replaced
 * only with `overwrite`. A generator re-run never clobbers someone's edits silently.
 */
export function writeGeneratedFile(tree: Tree, path: string, content: string, overwrite: boolean): 'created' | 'updated' | 'unchanged' {
  if (!tree.exists(path)) {
    tree.write(path, content);
    return 'created';
  }
  if (tree.read(path, 'utf-8') === content) return 'unchanged';
  if (!overwrite) {
    throw new Error(`"${path}" already exists and differs from what nx-buildkit would write. Keep your version, or re-run with --overwrite to replace it.`);
  }
  tree.write(path, content);
  return 'updated';
}
