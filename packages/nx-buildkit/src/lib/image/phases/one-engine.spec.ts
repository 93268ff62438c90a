import { phaseWorkspace } from '../../../../test/phase-workspace';
import { acceptOptions } from './accept-options';
import { oneEngine } from './one-engine';

describe('oneEngine', () => {
  const ws = phaseWorkspace('one-engine');
  beforeAll(() => {
    for (const name of ['a', 'b', 'c']) ws.project(name, 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  it('is docker by default, with every accepted task to run', () => {
    const { tasks, lines } = ws.tasks(['a', 'b']);
    expect(oneEngine(tasks)).toEqual({ engine: 'docker', valid: ['a:docker-build', 'b:docker-build'] });
    expect(lines).toEqual([]);
  });

  it("takes the first accepted task's engine and fails a task that names another, with the fix", () => {
    const { tasks, lines } = ws.tasks(['a', 'b', 'c'], { a: { dockerfile: 'nowhere' }, b: { engine: 'podman' } });
    acceptOptions(tasks);
    [...tasks.drain()];
    lines.length = 0;
    expect(oneEngine(tasks)).toEqual({ engine: 'podman', valid: ['b:docker-build'] });
    expect(lines).toEqual(['c  failed   engine docker in a podman run']);
    expect([...tasks.drain()]).toEqual([
      {
        task: 'c:docker-build',
        result: {
          success: false,
          status: 'failure',
          terminalOutput:
            'c builds with docker, the other images of this run with podman: one run uses one engine. Run it on its own (nx run c:docker-build, or --batch=false), or give every target the same "engine".\n',
        },
      },
    ]);
  });

  it('is docker when no task was accepted', () => {
    const { tasks } = ws.tasks(['a'], { a: { dockerfile: 'nowhere' } });
    acceptOptions(tasks);
    expect(oneEngine(tasks)).toEqual({ engine: 'docker', valid: [] });
  });
});
