import { phaseWorkspace } from '../../../../test/phase-workspace';
import { leaveOtherShards, shardsOfWorkspace } from './assign-shards';

describe('leaveOtherShards', () => {
  const ws = phaseWorkspace('shards');
  beforeAll(() => {
    for (const name of ['a', 'b', 'c', 'd']) ws.project(name, 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  it('splits every build target of the workspace, whatever the run holds, and follows dependsOn between images', () => {
    const context = ws.context();
    const split = shardsOfWorkspace({ index: 1, count: 2 }, context) as Map<string, number>;
    expect([...split.keys()].sort()).toEqual(['a:docker-build', 'b:docker-build', 'c:docker-build', 'd:docker-build']);
    expect(new Set(split.values())).toEqual(new Set([1, 2]));
    expect(shardsOfWorkspace(undefined, context)).toBeUndefined();
  });

  it("leaves the other shards' images to them: a status line, a success that says which shard builds it, and the count", () => {
    const split = shardsOfWorkspace({ index: 1, count: 2 }, ws.context()) as Map<string, number>;
    const { tasks, lines } = ws.tasks(['a', 'b', 'c', 'd'], Object.fromEntries(['a', 'b', 'c', 'd'].map((name) => [name, { shard: '1/2' }])));
    const others = tasks.ids.filter((id) => split.get(id) === 2);
    expect(leaveOtherShards(tasks, ws.context())).toBe(others.length);
    expect(lines).toEqual(others.map((id) => `${id.split(':')[0]}  other shard (2/2)`));
    const results = [...tasks.drain()];
    expect(results.map(({ task }) => task)).toEqual(others);
    for (const { result } of results) expect(result).toEqual({ success: true, status: 'success', terminalOutput: 'Left to shard 2/2: this machine builds shard 1/2.\n' });
  });

  it('leaves nothing when the run is not sharded', () => {
    const { tasks, lines } = ws.tasks(['a', 'b']);
    expect(leaveOtherShards(tasks, ws.context())).toBe(0);
    expect(lines).toEqual([]);
  });
});
