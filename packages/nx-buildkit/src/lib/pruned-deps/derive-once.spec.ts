import { pruneInputsKey } from './derive-once';

describe('pruneInputsKey', () => {
  const files = new Map<string, string>([
    ['/ws/package.json', '{"workspaces":["apps/*","libs/*"]}'],
    ['/ws/package-lock.json', '{"lockfileVersion":3}'],
    ['/ws/apps/a/package.json', '{"name":"a"}'],
    ['/ws/libs/lib/package.json', '{"name":"lib"}'],
  ]);
  const read = (overrides: Record<string, string> = {}) => (path: string) => {
    const text = overrides[path] ?? files.get(path);
    return text === undefined ? undefined : Buffer.from(text);
  };
  const graph = { a: [{ target: 'lib' }, { target: 'npm:is-number' }], lib: [{ target: 'npm:is-odd' }] };
  const key = (overrides?: Record<string, string>, project = 'a', dependencies: Record<string, { target: string }[]> = graph) =>
    pruneInputsKey('/ws', ['apps/a', 'libs/lib', 'apps/a'], project, dependencies, read(overrides));

  it('is the same for the same files, whatever order the projects come in', () => {
    expect(key()).toBe(pruneInputsKey('/ws', ['libs/lib', 'apps/a'], 'a', { lib: [{ target: 'npm:is-odd' }], a: [{ target: 'npm:is-number' }, { target: 'lib' }] }, read()));
  });

  it('changes with the root lockfile, any project’s manifest, package-manager config, or the project', () => {
    const base = key();
    expect(key({ '/ws/package-lock.json': '{"lockfileVersion":3,"x":1}' })).not.toBe(base);
    expect(key({ '/ws/libs/lib/package.json': '{"name":"lib","dependencies":{"x":"1"}}' })).not.toBe(base);
    expect(key({ '/ws/.yarnrc.yml': 'nodeLinker: node-modules' })).not.toBe(base);
    expect(key(undefined, 'b')).not.toBe(base);
    // A new import in the app's sources is a new graph dependency, though no manifest changed.
    expect(key(undefined, 'a', { ...graph, a: [...graph.a, { target: 'npm:left-pad' }] })).not.toBe(base);
  });
});
