import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDirectBuildx, LINUX_SYSTEM_PLUGIN_DIRS, PluginFiles, pluginSearchDirs, realPluginFiles } from './buildx-plugin';

interface FakeFile {
  readonly executable?: boolean;
  readonly script?: boolean;
  readonly realName?: string;
  readonly text?: string;
  readonly folder?: boolean;
}

function filesOf(table: Record<string, FakeFile>): PluginFiles {
  return {
    exists: (path) => path in table,
    isExecutableFile: (path) => (table[path] !== undefined && !table[path].folder && table[path].executable) ?? false,
    realName: (path) => table[path]?.realName ?? path.slice(path.lastIndexOf('/') + 1),
    isScript: (path) => table[path]?.script ?? false,
    readText: (path) => table[path]?.text,
  };
}

const HOME = '/home/dev';
const ENV = { PATH: '/usr/local/bin:/usr/bin', HOME };
const CLI = { '/usr/bin/docker': { executable: true } };
const SYSTEM_PLUGIN = { '/usr/libexec/docker/cli-plugins/docker-buildx': { executable: true } };

describe('pluginSearchDirs', () => {
  it("follows the docker CLI's order: config.json's extra folders, the config folder's cli-plugins, the system folders", () => {
    expect(pluginSearchDirs('/home/dev/.docker', JSON.stringify({ cliPluginsExtraDirs: ['/opt/plugins'] }))).toEqual([
      '/opt/plugins',
      '/home/dev/.docker/cli-plugins',
      ...LINUX_SYSTEM_PLUGIN_DIRS,
    ]);
  });

  it('reads no config file, or one without extra folders, as none', () => {
    expect(pluginSearchDirs('/c', undefined)).toEqual(['/c/cli-plugins', ...LINUX_SYSTEM_PLUGIN_DIRS]);
    expect(pluginSearchDirs('/c', '{"auths":{}}')).toEqual(['/c/cli-plugins', ...LINUX_SYSTEM_PLUGIN_DIRS]);
    expect(pluginSearchDirs('/c', '  ')).toEqual(['/c/cli-plugins', ...LINUX_SYSTEM_PLUGIN_DIRS]);
  });

  it('leaves it to the CLI when the config is not plain JSON or names a relative or odd folder', () => {
    expect(pluginSearchDirs('/c', '{ not json')).toBeUndefined();
    expect(pluginSearchDirs('/c', JSON.stringify({ cliPluginsExtraDirs: ['plugins'] }))).toBeUndefined();
    expect(pluginSearchDirs('/c', JSON.stringify({ cliPluginsExtraDirs: '/opt/plugins' }))).toBeUndefined();
    expect(pluginSearchDirs('/c', JSON.stringify({ cliPluginsExtraDirs: [7] }))).toBeUndefined();
  });
});

describe('findDirectBuildx', () => {
  it('finds the system plugin and the docker CLI on PATH', () => {
    expect(findDirectBuildx(ENV, 'linux', filesOf({ ...CLI, ...SYSTEM_PLUGIN }), HOME)).toEqual({
      plugin: '/usr/libexec/docker/cli-plugins/docker-buildx',
      cli: '/usr/bin/docker',
    });
  });

  it("takes the user's plugin (DOCKER_CONFIG, else ~/.docker) before the system one, as the CLI does", () => {
    const files = filesOf({ ...CLI, ...SYSTEM_PLUGIN, '/home/dev/.docker/cli-plugins/docker-buildx': { executable: true }, '/cfg/cli-plugins/docker-buildx': { executable: true } });
    expect(findDirectBuildx(ENV, 'linux', files, HOME)?.plugin).toBe('/home/dev/.docker/cli-plugins/docker-buildx');
    expect(findDirectBuildx({ ...ENV, DOCKER_CONFIG: '/cfg' }, 'linux', files, HOME)?.plugin).toBe('/cfg/cli-plugins/docker-buildx');
  });

  it("takes config.json's extra plugin folders first", () => {
    const files = filesOf({
      ...CLI,
      ...SYSTEM_PLUGIN,
      '/home/dev/.docker/config.json': { text: JSON.stringify({ cliPluginsExtraDirs: ['/opt/docker-plugins'] }) },
      '/opt/docker-plugins/docker-buildx': { executable: true },
    });
    expect(findDirectBuildx(ENV, 'linux', files, HOME)?.plugin).toBe('/opt/docker-plugins/docker-buildx');
  });

  it('goes through the CLI when the first plugin it would find does not run (the CLI would refuse it, and says why)', () => {
    const files = filesOf({ ...CLI, ...SYSTEM_PLUGIN, '/home/dev/.docker/cli-plugins/docker-buildx': { executable: false } });
    expect(findDirectBuildx(ENV, 'linux', files, HOME)).toBeUndefined();
    const folder = filesOf({ ...CLI, ...SYSTEM_PLUGIN, '/home/dev/.docker/cli-plugins/docker-buildx': { folder: true, executable: true } });
    expect(findDirectBuildx(ENV, 'linux', folder, HOME)).toBeUndefined();
  });

  it('goes through the CLI when there is no plugin, no CLI, or a CLI that is a wrapper or another program', () => {
    expect(findDirectBuildx(ENV, 'linux', filesOf(CLI), HOME)).toBeUndefined();
    expect(findDirectBuildx(ENV, 'linux', filesOf(SYSTEM_PLUGIN), HOME)).toBeUndefined();
    expect(findDirectBuildx(ENV, 'linux', filesOf({ '/usr/bin/docker': { executable: true, script: true }, ...SYSTEM_PLUGIN }), HOME)).toBeUndefined();
    expect(findDirectBuildx(ENV, 'linux', filesOf({ '/usr/bin/docker': { executable: true, realName: 'podman' }, ...SYSTEM_PLUGIN }), HOME)).toBeUndefined();
    expect(findDirectBuildx(ENV, 'linux', filesOf({ '/usr/bin/docker': { executable: true, realName: 'snap' }, ...SYSTEM_PLUGIN }), HOME)).toBeUndefined();
  });

  it('uses the first docker on PATH that runs, and accepts Docker Desktop’s CLI under its own name', () => {
    const files = filesOf({ '/usr/local/bin/docker': { executable: false }, '/usr/bin/docker': { executable: true, realName: 'com.docker.cli' }, ...SYSTEM_PLUGIN });
    expect(findDirectBuildx(ENV, 'linux', files, HOME)?.cli).toBe('/usr/bin/docker');
    const wrapperFirst = filesOf({ '/usr/local/bin/docker': { executable: true, script: true }, ...CLI, ...SYSTEM_PLUGIN });
    expect(findDirectBuildx(ENV, 'linux', wrapperFirst, HOME)).toBeUndefined();
  });

  it('goes through the CLI when PATH has a relative or empty entry before the docker CLI, which the start resolves against its own folder', () => {
    const files = filesOf({ ...CLI, ...SYSTEM_PLUGIN });
    expect(findDirectBuildx({ ...ENV, PATH: 'node_modules/.bin:/usr/bin' }, 'linux', files, HOME)).toBeUndefined();
    expect(findDirectBuildx({ ...ENV, PATH: ':/usr/bin' }, 'linux', files, HOME)).toBeUndefined();
    expect(findDirectBuildx({ ...ENV, PATH: '/usr/local/bin::/usr/bin' }, 'linux', files, HOME)).toBeUndefined();
    // After the CLI, they are never reached.
    expect(findDirectBuildx({ ...ENV, PATH: '/usr/bin:bin:' }, 'linux', files, HOME)?.cli).toBe('/usr/bin/docker');
  });

  it('goes through the CLI when DOCKER_CONFIG is a relative folder', () => {
    const files = filesOf({ ...CLI, ...SYSTEM_PLUGIN, 'cfg/cli-plugins/docker-buildx': { executable: true } });
    expect(findDirectBuildx({ ...ENV, DOCKER_CONFIG: 'cfg' }, 'linux', files, HOME)).toBeUndefined();
  });

  it('goes through the CLI on macOS and Windows, whose plugin folders differ and are not tested here', () => {
    const files = filesOf({ ...CLI, ...SYSTEM_PLUGIN });
    expect(findDirectBuildx(ENV, 'darwin', files, HOME)).toBeUndefined();
    expect(findDirectBuildx(ENV, 'win32', files, HOME)).toBeUndefined();
  });
});

describe('realPluginFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nxb-plugin-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('tells a script from a program, a runnable file from a folder or a plain file, and follows symlinks for the name', () => {
    writeFileSync(join(dir, 'wrapper'), '#!/bin/sh\nexec docker "$@"\n', { mode: 0o755 });
    writeFileSync(join(dir, 'program'), '\x7fELF....', { mode: 0o755 });
    writeFileSync(join(dir, 'plain'), 'text', { mode: 0o644 });
    symlinkSync(join(dir, 'program'), join(dir, 'docker'));
    expect(realPluginFiles.isScript(join(dir, 'wrapper'))).toBe(true);
    expect(realPluginFiles.isScript(join(dir, 'program'))).toBe(false);
    expect(realPluginFiles.isExecutableFile(join(dir, 'program'))).toBe(true);
    expect(realPluginFiles.isExecutableFile(join(dir, 'plain'))).toBe(false);
    expect(realPluginFiles.isExecutableFile(dir)).toBe(false);
    expect(realPluginFiles.exists(dir)).toBe(true);
    expect(realPluginFiles.exists(join(dir, 'absent'))).toBe(false);
    expect(realPluginFiles.realName(join(dir, 'docker'))).toBe('program');
    expect(realPluginFiles.readText(join(dir, 'absent'))).toBeUndefined();
  });
});
