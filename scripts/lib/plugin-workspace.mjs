// Installs a workspace that holds the packed plugin next to pinned Nx packages, from a committed lockfile and with
// `npm ci` only: nothing is resolved at install time, so the e2e suite, the demo and the bench install exactly the
// same trees on any day, whatever the npm registry's newest releases are.
//
// The lockfile names the plugin as `file:nx-buildkit.tgz` without an integrity (the tarball is rebuilt from the
// sources on every run, so its bytes change); its dependencies are locked like every other package. When the
// plugin's own dependencies change, the lockfile no longer describes the tarball: that is detected here and named,
// with the command that relocks it (scripts/relock-fixtures.sh), instead of installing a tree that lacks a package.
//
// Usage: node scripts/lib/plugin-workspace.mjs <lockDir> <targetDir> <tarball>
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PLUGIN_TARBALL_NAME = 'nx-buildkit.tgz';

/**
 * Differences between what the lockfile says of the plugin and what the packed plugin's package.json declares, as
 * readable lines; empty when they agree. Pure: both arguments are parsed JSON.
 */
export function pluginLockDrift(lock, pluginManifest) {
  const entry = lock?.packages?.['node_modules/nx-buildkit'];
  if (!entry) return ['the lockfile has no entry for node_modules/nx-buildkit'];
  const drift = [];
  if (entry.resolved !== `file:${PLUGIN_TARBALL_NAME}`) drift.push(`the plugin resolves to "${entry.resolved}", not "file:${PLUGIN_TARBALL_NAME}"`);
  if (entry.integrity) drift.push('the plugin entry has an integrity, which a rebuilt tarball never matches');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    const locked = entry[field] ?? {};
    const declared = pluginManifest[field] ?? {};
    for (const name of new Set([...Object.keys(locked), ...Object.keys(declared)])) {
      if (locked[name] !== declared[name]) drift.push(`${field}.${name}: lockfile ${locked[name] ?? '(none)'}, plugin ${declared[name] ?? '(none)'}`);
    }
  }
  return drift;
}

/** Reads package.json out of a packed tarball without unpacking it to disk. */
function manifestOfTarball(tarball) {
  return JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

export function installPluginWorkspace(lockDir, targetDir, tarball) {
  const lockPath = join(lockDir, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  const drift = pluginLockDrift(lock, manifestOfTarball(tarball));
  if (drift.length) {
    throw new Error(
      `${lockPath} no longer matches the packed plugin:\n  ${drift.join('\n  ')}\nRun "bash scripts/relock-fixtures.sh" (it relocks every npm fixture from the registry) and commit the lockfiles.`,
    );
  }
  mkdirSync(targetDir, { recursive: true });
  copyFileSync(join(lockDir, 'package.json'), join(targetDir, 'package.json'));
  copyFileSync(lockPath, join(targetDir, 'package-lock.json'));
  // npm settings the fixture installs with (legacy-peer-deps for the workspace on an older Nx).
  if (existsSync(join(lockDir, '.npmrc'))) copyFileSync(join(lockDir, '.npmrc'), join(targetDir, '.npmrc'));
  copyFileSync(tarball, join(targetDir, PLUGIN_TARBALL_NAME));
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: targetDir, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const [lockDir, targetDir, tarball] = process.argv.slice(2);
  if (!lockDir || !targetDir || !tarball) {
    console.error('Usage: node scripts/lib/plugin-workspace.mjs <lockDir> <targetDir> <tarball>');
    process.exit(2);
  }
  try {
    installPluginWorkspace(resolve(lockDir), resolve(targetDir), resolve(tarball));
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
