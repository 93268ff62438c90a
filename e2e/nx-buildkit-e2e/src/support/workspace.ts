import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run, RunResult, runOk, runSync } from './processes';

export const REPO_ROOT = join(__dirname, '../../../..');
export const E2E_ROOT = join(tmpdir(), 'nx-buildkit-e2e');
const NX_VERSION = '24.0.6';
const DEVKIT_VERSION = '24.0.0';

/**
 * Builds the plugin, packs it as npm would publish it, and installs that tarball with nx into a template workspace.
 * The template is keyed by the tarball's content, so an unchanged plugin reuses the last install.
 */
export async function preparePluginTemplate(): Promise<string> {
  await runOk('npx', ['nx', 'build', 'nx-buildkit', '--skip-nx-cache'], { cwd: REPO_ROOT, env: { NX_DAEMON: 'false' } });
  mkdirSync(E2E_ROOT, { recursive: true });
  const packDir = join(E2E_ROOT, `pack-${process.pid}`);
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir, { recursive: true });
  await runOk('npm', ['pack', join(REPO_ROOT, 'dist/packages/nx-buildkit'), '--pack-destination', packDir], { cwd: REPO_ROOT });
  const tarballName = readdirSync(packDir).find((name) => name.endsWith('.tgz'));
  if (!tarballName) throw new Error(`npm pack wrote no tarball into ${packDir}`);
  const tarball = join(packDir, tarballName);
  const tarballBytes = readFileSync(tarball);
  rmSync(packDir, { recursive: true, force: true });
  const key = createHash('sha256').update(tarballBytes).update(`${NX_VERSION}/${DEVKIT_VERSION}`).digest('hex').slice(0, 12);
  const template = join(E2E_ROOT, `template-${key}`);
  if (existsSync(join(template, '.ready'))) return template;

  // Old templates go; a recent one may belong to a run still going on (two runs at once share this folder).
  for (const old of readdirSync(E2E_ROOT).filter((name) => name.startsWith('template-') || /^nx-buildkit-.*\.tgz$/.test(name))) {
    if (Date.now() - statSync(join(E2E_ROOT, old)).mtimeMs > 2 * 60 * 60 * 1000) rmSync(join(E2E_ROOT, old), { recursive: true, force: true });
  }
  mkdirSync(template, { recursive: true });
  const stableTarball = join(E2E_ROOT, `nx-buildkit-${key}.tgz`);
  writeFileSync(stableTarball, tarballBytes);
  writeJson(join(template, 'package.json'), {
    name: 'e2e-workspace',
    version: '0.0.0',
    private: true,
    devDependencies: { nx: NX_VERSION, '@nx/devkit': DEVKIT_VERSION, 'nx-buildkit': `file:${stableTarball}` },
  });
  writeJson(join(template, 'nx.json'), { $schema: './node_modules/nx/schemas/nx-schema.json', defaultBase: 'main' });
  writeFileSync(join(template, '.gitignore'), 'node_modules\ndist\n.nx\n');
  await runOk('npm', ['install', '--no-audit', '--no-fund'], { cwd: template });
  writeFileSync(join(template, '.ready'), new Date().toISOString());
  return template;
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

/** A fresh copy of the template workspace in its own temp folder. */
export function createTestWorkspace(suite: string): TestWorkspace {
  const template = process.env.NXB_E2E_TEMPLATE;
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
  return run(process.execPath, [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args], {
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
