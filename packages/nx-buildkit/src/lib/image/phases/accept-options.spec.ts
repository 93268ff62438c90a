import { phaseWorkspace } from '../../../../test/phase-workspace';
import { acceptOptions } from './accept-options';

describe('createTask and acceptOptions', () => {
  const ws = phaseWorkspace('accept');
  beforeAll(() => {
    ws.project('api', 'FROM scratch\n');
    ws.project('web', 'FROM scratch\n');
  });
  afterAll(() => ws.cleanup());

  it('normalizes each task, labels it by project (project:target for another target name) and says unusable options at once', () => {
    const { tasks, lines } = ws.tasks(['api', 'web'], { web: { dockerfile: 'apps/web/Dockerfile.nowhere' } });
    expect(tasks.get('api:docker-build')).toMatchObject({ label: 'api', project: 'api', target: 'docker-build', options: { projectName: 'api' } });
    const web = tasks.get('web:docker-build');
    expect(web.options).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Dockerfile.nowhere');
    expect(web.log).toEqual(lines);
  });

  it('fails the tasks whose options cannot be used, with one status line each, before anything runs', () => {
    const { tasks, lines } = ws.tasks(['api', 'web'], { web: { dockerfile: 'apps/web/Dockerfile.nowhere' } });
    lines.length = 0;
    acceptOptions(tasks);
    expect(lines).toEqual(['web  failed   invalid options']);
    expect(tasks.isSettled('web:docker-build')).toBe(true);
    expect(tasks.isSettled('api:docker-build')).toBe(false);
    const [result] = [...tasks.drain()];
    expect(result).toMatchObject({ task: 'web:docker-build', result: { success: false, status: 'failure' } });
    expect(result.result.terminalOutput).toContain('Dockerfile.nowhere');
  });
});
