import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { readTextFromDisk } from '../context/ignore-file';
import { dockerConfigDir } from './docker-config';

/**
 * `docker buildx …` costs three process starts: the docker CLI, which first runs `docker-buildx
 * docker-cli-plugin-metadata` to check the plugin, and then the plugin itself. Starting the plugin as the CLI starts it
 * (its path, the same arguments, the CLI's command in DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND) saves the first two:
 * ~35 ms of every build here (`docker buildx version` 60–70 ms, the plugin alone 20 ms), a tenth of buildx's own time
 * in a one-layer rebuild (bench B2). Only on Linux, where these are the docker CLI's folders and where it is tested;
 * only for a docker CLI that is the CLI itself and not a wrapper script, which may do anything before it.
 */
export const PLUGIN_REEXEC_ENV = 'DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND';

/** The docker CLI's system plugin folders on Linux, in its order (cli-plugins/manager in docker/cli). */
export const LINUX_SYSTEM_PLUGIN_DIRS: readonly string[] = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
];

/** The buildx plugin to start and the docker CLI it stands for. */
export interface DirectBuildx {
  readonly plugin: string;
  readonly cli: string;
}

/** What the look-up asks of the file system (buildx-plugin.spec.ts answers from a table). */
export interface PluginFiles {
  /** Anything is there (the CLI stats, and takes the first candidate that exists). */
  exists(path: string): boolean;
  /** A file, with permission to run it. */
  isExecutableFile(path: string): boolean;
  /** The file's own name after following symlinks. */
  realName(path: string): string;
  /** True for a script (`#!`), which is not the CLI itself. */
  isScript(path: string): boolean;
  readText(path: string): string | undefined;
}

/**
 * The folders the docker CLI searches for a plugin, in its order: config.json's `cliPluginsExtraDirs`, the config
 * folder's cli-plugins, the system folders. Undefined when the config cannot be read as plainly as that (not JSON, a
 * relative folder): then the CLI itself decides.
 */
export function pluginSearchDirs(configDir: string, configText: string | undefined): string[] | undefined {
  let extraDirs: unknown = [];
  if (configText !== undefined && configText.trim() !== '') {
    try {
      extraDirs = (JSON.parse(configText) as { cliPluginsExtraDirs?: unknown } | null)?.cliPluginsExtraDirs ?? [];
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(extraDirs) || !extraDirs.every((dir): dir is string => typeof dir === 'string' && isAbsolute(dir))) return undefined;
  return [...extraDirs, join(configDir, 'cli-plugins'), ...LINUX_SYSTEM_PLUGIN_DIRS];
}

/**
 * The buildx plugin the docker CLI on PATH would start, when nx-buildkit may start it directly; undefined when the
 * docker CLI must go first (not Linux, no docker CLI or a wrapper around it, no plugin, a plugin it would refuse).
 */
export function findDirectBuildx(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform, files: PluginFiles, home: string): DirectBuildx | undefined {
  if (platform !== 'linux') return undefined;
  const cli = dockerOnPath(env.PATH ?? '', files);
  if (cli === undefined || files.isScript(cli) || !/^docker$|^com\.docker\.cli$/.test(files.realName(cli))) return undefined;
  const configDir = dockerConfigDir(env, home);
  // A relative config folder is read from whatever folder the CLI starts in: the CLI decides.
  if (!isAbsolute(configDir)) return undefined;
  const dirs = pluginSearchDirs(configDir, files.readText(join(configDir, 'config.json')));
  // The CLI takes the first docker-buildx that exists and fails if that one will not run: so do we, by not going round it.
  const plugin = dirs?.map((dir) => join(dir, 'docker-buildx')).find((path) => files.exists(path));
  return plugin !== undefined && files.isExecutableFile(plugin) ? { plugin, cli } : undefined;
}

/**
 * The docker that starting `docker` finds on PATH: the first runnable file named docker, in PATH's order. Undefined
 * when a relative or empty entry comes before it, because the process start resolves those against the folder the
 * child starts in (an empty entry is that folder itself), which the look-up cannot stand for.
 */
function dockerOnPath(path: string, files: PluginFiles): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!isAbsolute(dir)) return undefined;
    const docker = join(dir, 'docker');
    if (files.isExecutableFile(docker)) return docker;
  }
  return undefined;
}

export const realPluginFiles: PluginFiles = {
  exists: (path) => statSync(path, { throwIfNoEntry: false }) !== undefined,
  isExecutableFile: (path) => {
    try {
      if (!statSync(path).isFile()) return false;
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  realName: (path) => basename(realpathSync(path)),
  isScript: (path) => {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(2);
      return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  },
  readText: readTextFromDisk,
};

const found = new Map<string, DirectBuildx | undefined>();

/** findDirectBuildx for this process's environment, looked up once per PATH and config folder. */
export function directBuildx(env: Readonly<Record<string, string | undefined>> = process.env): DirectBuildx | undefined {
  const key = `${env.PATH}\0${env.DOCKER_CONFIG}\0${env.HOME}`;
  if (!found.has(key)) {
    let direct: DirectBuildx | undefined;
    try {
      direct = findDirectBuildx(env, process.platform, realPluginFiles, homedir());
    } catch {
      direct = undefined; // a file that vanished or cannot be read: the docker CLI goes first, as before
    }
    found.set(key, direct);
  }
  return found.get(key);
}
