// A second install for A/B probes, without another npm ci: the packages of an existing bench install hard-linked
// (cp -al), and the plugin built from the current sources into its node_modules/nx-buildkit. Both installs then run
// the same Nx on the same workspace layout and differ only in the plugin's code.
//
// Usage: node scripts/bench/probes/variant-install.mjs <baseInstallDir> <newInstallDir>
//   e.g. base = tmp/probe/install-nx24-… made by the bench (scripts/bench/lib/workspace.mjs preparePluginInstall).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const [base, target] = process.argv.slice(2).map((path) => resolve(path));
if (!base || !target || !existsSync(join(base, 'node_modules/nx'))) {
  console.error('Usage: node scripts/bench/probes/variant-install.mjs <baseInstallDir> <newInstallDir>');
  process.exit(2);
}
if (!existsSync(join(target, 'node_modules'))) {
  mkdirSync(target, { recursive: true });
  execFileSync('cp', ['-al', join(base, 'node_modules'), join(target, 'node_modules')]);
  execFileSync('cp', [join(base, 'package.json'), join(target, 'package.json')]);
}
// The plugin folder is replaced, never written through: its files are hard links shared with the base install.
const pluginDir = join(target, 'node_modules/nx-buildkit');
rmSync(pluginDir, { recursive: true, force: true });
execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'packages/nx-buildkit/tsconfig.lib.json'), '--outDir', pluginDir], { cwd: repo, stdio: 'inherit' });
execFileSync(process.execPath, [join(repo, 'packages/nx-buildkit/copy-assets.js'), pluginDir], { cwd: repo, stdio: 'inherit' });
execFileSync(process.execPath, [join(repo, 'packages/nx-buildkit/bundle-executors.js'), pluginDir], { cwd: repo, stdio: 'inherit' });
console.log(pluginDir);
