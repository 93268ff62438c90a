import { readNxJson, Tree } from '@nx/devkit';
import { initGenerator, PLUGIN_NAME } from './init';

/** Runs `init` when the workspace does not register the plugin yet (backend/frontend imply it). */
export async function ensurePluginInitialized(tree: Tree): Promise<void> {
  const plugins = readNxJson(tree)?.plugins ?? [];
  if (plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN_NAME)) return;
  await initGenerator(tree, { skipFormat: true });
}
