import { formatFiles, GeneratorCallback, readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { DEFAULT_IGNORE_PATTERNS, renderIgnoreFile } from '../../lib/ignore-file-content';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = 'nx-buildkit';
/** Where the build executor writes its records (workspace-relative); kept out of git. */
export const RECORD_DIR = 'dist/docker';

export async function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<GeneratorCallback> {
  registerPlugin(tree);
  writeRootDockerignore(tree);
  ignoreRecords(tree);
  if (!options.skipFormat) await formatFiles(tree);
  return () => undefined;
}

/** Adds the plugin to nx.json once, whether it is listed as a string or as `{ plugin, options }`. */
export function registerPlugin(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((entry) => (typeof entry === 'string' ? entry : entry.plugin) === PLUGIN_NAME);
  if (registered) return;
  nxJson.plugins = [...plugins, PLUGIN_NAME];
  updateNxJson(tree, nxJson);
}

/** The workspace-root ignore file applies to every build whose context is the workspace root. */
function writeRootDockerignore(tree: Tree): void {
  if (tree.exists('.dockerignore')) return;
  tree.write(
    '.dockerignore',
    renderIgnoreFile(
      ['Written by nx-buildkit: keeps host-installed dependencies, VCS data, build output and secrets out of', 'Docker build contexts rooted at the workspace.'],
      DEFAULT_IGNORE_PATTERNS,
      [],
    ),
  );
}

function ignoreRecords(tree: Tree): void {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8') ?? '' : '';
  const lines = current.split(/\r?\n/).map((line) => line.trim());
  const covered = lines.some((line) => ['dist', 'dist/', '/dist', '/dist/', RECORD_DIR, `/${RECORD_DIR}`, `${RECORD_DIR}/`, `/${RECORD_DIR}/`].includes(line));
  if (covered) return;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  tree.write('.gitignore', `${current}${separator}\n# nx-buildkit build records\n/${RECORD_DIR}\n`);
}

export default initGenerator;
