// Sample workspaces for the bench, made as a user makes one: the plugin is built, packed and installed from its
// tarball next to nx 24.0.6, @nx/devkit 24.0.0 and @nx/docker 23.2.1. One install serves every workspace of a run:
// the workspaces are folders below it, so Node and Nx resolve the packages from the install's node_modules.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packPlugin } from '../../lib/pack-plugin.mjs';
import { installPluginWorkspace } from '../../lib/plugin-workspace.mjs';
import { run } from './run.mjs';

export const NX_VERSION = '24.0.6';
export const DEVKIT_VERSION = '24.0.0';
export const NX_DOCKER_VERSION = '23.2.1';

/** The install every scenario uses: the newest supported Nx, with @nx/docker to compare against. */
export const DEFAULT_INSTALL = { name: 'nx24', lockDir: 'bench/fixtures/bench-install', describe: `nx ${NX_VERSION}, @nx/devkit ${DEVKIT_VERSION}, @nx/docker ${NX_DOCKER_VERSION}` };
/** The oldest supported Nx, for B4 on the Nx majors: the e2e suite's plugin workspace of that major. */
export const OLDEST_NX_INSTALL = { name: 'nx21', lockDir: 'e2e/nx-buildkit-e2e/fixtures/plugin-workspace-nx21', describe: 'nx 21.6.11, @nx/devkit 21.6.11' };

/**
 * Builds and packs the plugin; installs it once per tarball content, with npm ci from the committed lockfile
 * bench/fixtures/bench-install (nothing is resolved at bench time). Returns { installDir, pluginDir }.
 */
export async function preparePluginInstall(repo, benchRoot, log, variant = DEFAULT_INSTALL) {
  log('building and packing the plugin');
  const packDir = join(benchRoot, `pack-${variant.name}`);
  const packed = packPlugin(packDir);
  const lockDir = join(repo, variant.lockDir);
  const key = createHash('sha256').update(readFileSync(packed)).update(readFileSync(join(lockDir, 'package-lock.json'))).digest('hex').slice(0, 12);
  const installDir = join(benchRoot, `install-${variant.name}-${key}`);
  if (!existsSync(join(installDir, '.ready'))) {
    // Installs of an older plugin build (of this variant) are useless now.
    const stale = new RegExp(`^(install-${variant.name}-|install-[0-9a-f]{12}$|nx-buildkit-)`);
    for (const old of readdirSync(benchRoot).filter((name) => stale.test(name))) rmSync(join(benchRoot, old), { recursive: true, force: true });
    log(`installing ${variant.describe} and the packed plugin (npm ci)`);
    installPluginWorkspace(lockDir, installDir, packed);
    writeFileSync(join(installDir, '.ready'), new Date().toISOString());
  }
  rmSync(packDir, { recursive: true, force: true });
  return { installDir, pluginDir: join(installDir, 'node_modules/nx-buildkit') };
}

/** A fresh, empty Nx workspace below the install. */
export function createWorkspace(installDir, name, nxJson) {
  const root = join(installDir, 'ws', name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const ws = openWorkspace(installDir, root, name);
  ws.writeJson('package.json', { name: `nxb-bench-${name}`, private: true });
  ws.writeJson('nx.json', nxJson);
  ws.write('.gitignore', 'node_modules\ndist\n.nx\n');
  return ws;
}

/** The helpers of a workspace at root that runs the install's nx (root may be the install folder itself). */
export function openWorkspace(installDir, root, name) {
  // Nx 22 and later ship their CLI under dist/, Nx 21 beside package.json.
  const nxBin = ['node_modules/nx/dist/bin/nx.js', 'node_modules/nx/bin/nx.js'].map((path) => join(installDir, path)).find((path) => existsSync(path));
  const ws = {
    name,
    root,
    write(path, content) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    },
    writeJson(path, value) {
      writeJson(join(root, path), value);
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    copy(from, to) {
      cpSync(from, join(root, to), { recursive: true });
    },
    /** Runs the workspace's nx; the daemon is off, as on CI, so every run computes the project graph as a fresh machine would. */
    nx: (args, options = {}) =>
      run(process.execPath, [nxBin, ...args], {
        cwd: root,
        env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', ...options.env },
        allowFailure: options.allowFailure,
      }),
    /** The executor's record of one project's target. */
    record(project, target = 'docker-build') {
      const path = join(root, 'dist/docker', project, `${target}.json`);
      return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
    },
    clearRecords() {
      rmSync(join(root, 'dist/docker'), { recursive: true, force: true });
    },
  };
  return ws;
}

export function removeWorkspaces(installDir) {
  rmSync(join(installDir, 'ws'), { recursive: true, force: true });
}

export function writeJson(path, value) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** What the installed plugin's executors.json says about batch mode for `build`. */
export function batchSupport(pluginDir) {
  const executors = JSON.parse(readFileSync(join(pluginDir, 'executors.json'), 'utf8')).executors ?? {};
  const build = executors.build ?? {};
  return { available: Boolean(build.batchImplementation), preferBatch: Boolean(build.preferBatch) };
}
