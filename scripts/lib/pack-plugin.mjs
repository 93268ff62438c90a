// Builds the plugin from the sources into a folder of the caller's own and packs it as npm would publish it. The e2e
// suite, the demo and the bench each pack into their own folder, so two runs at once (two checkouts, or a test run
// beside a bench) never write the same build output or tarball.
//
// Usage: node scripts/lib/pack-plugin.mjs <outDir>   prints the tarball's path
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Returns the absolute path of `<outDir>/nx-buildkit-<version>.tgz`. */
export function packPlugin(outDir) {
  const packageDir = join(outDir, 'package');
  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(repo, 'packages/nx-buildkit/tsconfig.lib.json'), '--outDir', packageDir], { cwd: repo, stdio: 'inherit' });
  execFileSync(process.execPath, [join(repo, 'packages/nx-buildkit/copy-assets.js'), packageDir], { cwd: repo, stdio: 'inherit' });
  execFileSync(process.execPath, [join(repo, 'packages/nx-buildkit/bundle-executors.js'), packageDir], { cwd: repo, stdio: 'inherit' });
  for (const old of readdirSync(outDir).filter((name) => name.endsWith('.tgz'))) rmSync(join(outDir, old));
  execFileSync('npm', ['pack', packageDir, '--pack-destination', outDir, '--loglevel=error'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(packageDir, { recursive: true, force: true });
  const tarball = readdirSync(outDir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${outDir}`);
  return join(outDir, tarball);
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const [outDir] = process.argv.slice(2);
  if (!outDir) {
    console.error('Usage: node scripts/lib/pack-plugin.mjs <outDir>');
    process.exit(2);
  }
  try {
    console.log(packPlugin(resolve(outDir)));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
