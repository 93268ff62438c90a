import { builderDriver, builderEndpoint, cacheExportSupport, CLASSIC_STORE_HINT, engineSelector, usesContainerdStore } from './cache-export';

describe('cache export support', () => {
  it('reads the driver of buildx inspect', () => {
    expect(builderDriver('Name:          default\nDriver:        docker\nLast Activity: x\n')).toBe('docker');
    expect(builderDriver('Name: ci\nDriver: docker-container\n')).toBe('docker-container');
    expect(builderDriver('nothing')).toBeUndefined();
  });

  it('asks the engine of the builder’s node: its context, its host, or the CLI’s own', () => {
    const inspect = 'Name: ci\nDriver: docker\n\nNodes:\nName: ci\nEndpoint: remote-b\nStatus: running\n';
    expect(builderEndpoint(inspect)).toBe('remote-b');
    expect(engineSelector('remote-b')).toEqual(['--context', 'remote-b']);
    expect(engineSelector('unix:///tmp/x/sock')).toEqual(['--host', 'unix:///tmp/x/sock']);
    expect(engineSelector('default')).toEqual([]);
    expect(engineSelector(undefined)).toEqual([]);
  });

  it('knows the containerd image store from the engine’s driver status', () => {
    expect(usesContainerdStore([['driver-type', 'io.containerd.snapshotter.v1']])).toBe(true);
    expect(usesContainerdStore([['Backing Filesystem', 'extfs'], ['Supports d_type', 'true']])).toBe(false);
    expect(usesContainerdStore(null)).toBe(false);
  });

  it('refuses only the docker driver on the classic store, with what to enable', () => {
    expect(cacheExportSupport('docker', false)).toEqual({ supported: false, hint: CLASSIC_STORE_HINT });
    expect(cacheExportSupport('docker', true)).toEqual({ supported: true });
    expect(cacheExportSupport('docker-container', false)).toEqual({ supported: true });
    expect(cacheExportSupport('remote', false)).toEqual({ supported: true });
    expect(CLASSIC_STORE_HINT).toMatch(/containerd-snapshotter.*builder/);
    expect(CLASSIC_STORE_HINT.split('\n')).toHaveLength(1);
  });
});
