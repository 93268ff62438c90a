import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run, RunResult, runOk, runSync } from './processes';

export const REPO_ROOT = join(__dirname, '../../../..');
export const E2E_ROOT = join(tmpdir(), 'nx-buildkit-e2e');
export const FIXTURES = join(__dirname, '../../fixtures');
/**
 * package.json + package-lock.json of the workspace the plugin is installed into (nx, @nx/devkit, the plugin): the
 * newest supported Nx, which the whole suite runs on.
 */
const PLUGIN_WORKSPACE_LOCK = join(FIXTURES, 'plugin-workspace');
/** The Nx majors the plugin supports; the newest is PLUGIN_WORKSPACE_LOCK's, the others run the core flow. */
export const NX_MAJORS = [21, 22, 23, 24] as const;
export type NxMajor = (typeof NX_MAJORS)[number];

/** The plugin workspace of an Nx major: nx and @nx/devkit of that major, pinned, with a committed lockfile. */
export function pluginWorkspaceFixture(major: NxMajor): string {
  return major === 24 ? PLUGIN_WORKSPACE_LOCK : join(FIXTURES, `plugin-workspace-nx${major}`);
}

/**
 * Builds the plugin, packs it as npm would publish it (into a folder of this run's own), and installs that tarball
 * into a template workspace that each suite copies, with `npm ci` from the committed lockfile: nothing is resolved
 * at test time. The template is keyed by the tarball's and the lockfile's content, so an unchanged plugin reuses the
 * last install; it is made under a temporary name and renamed, so two runs at once never share a half-made one.
 */
export async function preparePluginTemplate(lockDir: string = PLUGIN_WORKSPACE_LOCK): Promise<string> {
  mkdirSync(E2E_ROOT, { recursive: true });
  const runDir = mkdtempSync(join(E2E_ROOT, `run-${process.pid}-`));
  try {
    const tarball = (await runOk(process.execPath, [join(REPO_ROOT, 'scripts/lib/pack-plugin.mjs'), runDir], { cwd: REPO_ROOT })).stdout.trim().split('\n').pop() as string;
    return await installTemplate(runDir, tarball, lockDir, [], (staging) => {
      writeJson(join(staging, 'nx.json'), { $schema: './node_modules/nx/schemas/nx-schema.json', defaultBase: 'main' });
      writeFileSync(join(staging, '.gitignore'), 'node_modules\ndist\n.nx\n');
    });
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/**
 * A workspace made by Nx's own generators (fixtures/nx-generated/<name>, made once by scripts/make-nx-fixtures.sh)
 * with the packed plugin installed as in preparePluginTemplate: its files copied, then `npm ci` from its committed
 * lockfile, which names the plugin as file:nx-buildkit.tgz. Keyed by the tarball and every file of the fixture, so an
 * unchanged plugin and fixture reuse the last install. The tarball is the one the suite's template holds.
 */
export async function prepareNxGeneratedTemplate(name: string): Promise<string> {
  const pluginTemplate = process.env.NXB_E2E_TEMPLATE;
  if (!pluginTemplate || !existsSync(pluginTemplate)) throw new Error('NXB_E2E_TEMPLATE is not set: run the e2e suites through their jest config.');
  const fixture = join(FIXTURES, 'nx-generated', name);
  mkdirSync(E2E_ROOT, { recursive: true });
  const runDir = mkdtempSync(join(E2E_ROOT, `run-${process.pid}-`));
  try {
    return await installTemplate(runDir, join(pluginTemplate, 'nx-buildkit.tgz'), fixture, filesUnder(fixture), (staging) => cpSync(fixture, staging, { recursive: true }), `nxgen-${name}-`);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** Every file under a folder, relative to it, sorted: what keys a template made from it. */
function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(dir, join(rel, entry.name)) : [join(rel, entry.name)]))
    .sort();
}

/**
 * Installs a template (the lockDir's manifest and lockfile, the tarball, `npm ci`) under a name keyed by the tarball,
 * the lockfile and the listed files of lockDir, unless one with that key is ready; `seed` writes what else it holds.
 */
async function installTemplate(runDir: string, tarball: string, lockDir: string, keyedFiles: readonly string[], seed: (staging: string) => void, prefix = ''): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(tarball)).update(readFileSync(join(lockDir, 'package-lock.json')));
  for (const file of keyedFiles) hash.update(`${file}\0`).update(readFileSync(join(lockDir, file)));
  const template = join(E2E_ROOT, `template-${prefix}${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(join(template, '.ready'))) return template;

  // Old templates go; a recent one may belong to a run still going on.
  for (const old of readdirSync(E2E_ROOT).filter((entry) => /^(template-|run-|nx-buildkit-.*\.tgz$)/.test(entry))) {
    const path = join(E2E_ROOT, old);
    if (path !== runDir && Date.now() - statSync(path).mtimeMs > 2 * 60 * 60 * 1000) rmSync(path, { recursive: true, force: true });
  }
  const staging = join(runDir, 'template');
  mkdirSync(staging, { recursive: true });
  seed(staging);
  await runOk(process.execPath, [join(REPO_ROOT, 'scripts/lib/plugin-workspace.mjs'), lockDir, staging, tarball], { cwd: REPO_ROOT });
  writeFileSync(join(staging, '.ready'), new Date().toISOString());
  // A template folder without .ready is what an interrupted run of an older suite left.
  if (existsSync(template) && !existsSync(join(template, '.ready'))) rmSync(template, { recursive: true, force: true });
  try {
    renameSync(staging, template);
  } catch (error) {
    // Another run made the same template first: use theirs.
    if (!existsSync(join(template, '.ready'))) throw error;
  }
  return template;
}

/** Copies a committed fixture folder (fixtures/<name>) into the workspace at `to`. */
export function copyFixture(ws: TestWorkspace, name: string, to: string): void {
  cpSync(join(FIXTURES, name), join(ws.root, to), { recursive: true });
}

export interface TestWorkspace {
  readonly root: string;
  /** A unique prefix for image names made by this workspace, so cleanup removes exactly them. */
  readonly imagePrefix: string;
  nx(args: readonly string[], env?: Record<string, string>): Promise<RunResult>;
  write(path: string, content: string): void;
  read(path: string): string;
  readJson<T = Record<string, unknown>>(path: string): T;
  remove(path: string): void;
  cleanup(): Promise<void>;
}

/**
 * A fresh copy of a template workspace in its own temp folder: the newest Nx's (made by the global setup), or one
 * that preparePluginTemplate made for another major.
 */
export function createTestWorkspace(suite: string, template: string | undefined = process.env.NXB_E2E_TEMPLATE): TestWorkspace {
  if (!template || !existsSync(template)) throw new Error('NXB_E2E_TEMPLATE is not set: run the e2e suites through their jest config.');
  const id = randomBytes(3).toString('hex');
  const root = join(E2E_ROOT, `ws-${suite}-${id}`);
  cpSync(template, root, { recursive: true, verbatimSymlinks: true });
  rmSync(join(root, '.ready'), { force: true });
  const imagePrefix = `nxb-e2e-${suite}-${id}`;
  return {
    root,
    imagePrefix,
    nx: (args, env = {}) => runNx(root, args, env),
    write: (path, content) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    },
    read: (path) => readFileSync(join(root, path), 'utf8'),
    readJson: <T>(path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as T,
    remove: (path) => rmSync(join(root, path), { recursive: true, force: true }),
    cleanup: async () => {
      await removeImages(imagePrefix);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function runNx(root: string, args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  // Nx 22 and later ship their CLI under dist/, Nx 21 beside package.json.
  const cli = ['node_modules/nx/dist/bin/nx.js', 'node_modules/nx/bin/nx.js'].map((path) => join(root, path)).find((path) => existsSync(path)) as string;
  return run(process.execPath, [cli, ...args], {
    cwd: root,
    env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true', FORCE_COLOR: '0', ...env },
    echo: process.env.NXB_E2E_ECHO === '1',
  });
}

/** Removes every image whose repository starts with the prefix (any registry host in front). */
export async function removeImages(prefix: string): Promise<void> {
  const listed = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}']);
  const refs = listed.stdout
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((ref) => ref && ref.split('/').pop()?.startsWith(prefix));
  if (refs.length) await run('docker', ['image', 'rm', '--force', ...refs]);
}

export function dockerSync(args: readonly string[]): string {
  return runSync('docker', args);
}

export async function imageExists(ref: string): Promise<boolean> {
  return (await run('docker', ['image', 'inspect', ref])).exitCode === 0;
}

export async function imageId(ref: string): Promise<string> {
  return (await runOk('docker', ['image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim();
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Adds a project with a project.json whose docker-build target runs the plugin's executor. */
export function addProject(ws: TestWorkspace, name: string, root: string, options: Record<string, unknown>, targetName = 'docker-build'): void {
  writeJson(join(ws.root, root, 'project.json'), {
    name,
    root,
    targets: { [targetName]: { executor: 'nx-buildkit:build', options } },
  });
}
