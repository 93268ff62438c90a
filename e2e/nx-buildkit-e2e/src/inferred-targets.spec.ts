import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from './support/processes';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

/**
 * Inferred docker-build targets in a git workspace: the plugin registered in nx.json, no target written by hand.
 *
 *   api    project-root context; its .dockerignore leaves out docs/ and *.md
 *   web    workspace-root context (Dockerfile.prod copies package.json and libs/shared), allow-list ignore file
 *   admin  two Dockerfiles, both with workspace-root contexts and their own allow-lists: Dockerfile.prod sends
 *          libs/shared and apps/admin/server, Dockerfile.frontend sends only the output of admin's build target
 *   shared a library project (no Dockerfile) that web's and admin's contexts include
 */
interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hashTag: string;
}

interface ShownProject {
  targets: Record<string, { executor: string; inputs?: unknown[]; dependsOn?: unknown[]; options?: Record<string, unknown>; cache?: boolean; metadata?: { technologies?: string[] } }>;
}

describe('inferred docker-build targets: inputs mirror the build context, affected is exact', () => {
  let ws: TestWorkspace;

  const git = (args: string[]) => runOk('git', ['-c', 'user.name=nx-buildkit e2e', '-c', 'user.email=e2e@nx-buildkit.invalid', ...args], { cwd: ws.root });

  /** Commits the given edits and returns the projects `nx show projects --affected -t docker-build` selects for that commit. */
  async function affectedBy(edits: Record<string, string>): Promise<string[]> {
    for (const [path, content] of Object.entries(edits)) ws.write(path, content);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', `edit ${Object.keys(edits).join(', ')}`]);
    const result = await ws.nx(['show', 'projects', '--affected', '-t', 'docker-build', '--base=HEAD~1', '--head=HEAD']);
    expect(result.exitCode).toBe(0);
    return result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .sort();
  }

  const dockerRecords = (project: string): Record<string, BuildRecord> => {
    const dir = join(ws.root, 'dist/docker', project);
    const names = existsSync(dir) ? readdirSync(dir).filter((name) => /^docker-build.*\.json$/.test(name) && !name.endsWith('.inputs.json')) : [];
    return Object.fromEntries(names.sort().map((name) => [name, ws.readJson<BuildRecord>(`dist/docker/${project}/${name}`)]));
  };

  beforeAll(async () => {
    ws = createTestWorkspace('inferred');
    writeJson(join(ws.root, 'nx.json'), {
      $schema: './node_modules/nx/schemas/nx-schema.json',
      defaultBase: 'main',
      plugins: [{ plugin: 'nx-buildkit', options: { image: `${ws.imagePrefix}-{projectName}` } }],
    });

    ws.write('apps/api/project.json', JSON.stringify({ name: 'api' }));
    ws.write('apps/api/Dockerfile', 'FROM debian:bookworm-slim\nWORKDIR /app\nCOPY . /app\n');
    ws.write('apps/api/.dockerignore', 'docs\n*.md\n');
    ws.write('apps/api/src/main.sh', 'echo api\n');
    ws.write('apps/api/docs/guide.txt', 'not sent\n');
    ws.write('apps/api/README.md', '# not sent\n');

    ws.write('apps/web/project.json', JSON.stringify({ name: 'web' }));
    ws.write('apps/web/Dockerfile.prod', 'FROM debian:bookworm-slim\nWORKDIR /app\nCOPY package.json /app/\nCOPY libs/shared /app/libs/shared\nCOPY apps/web/src /app/src\n');
    ws.write('apps/web/Dockerfile.prod.dockerignore', '*\n!apps/web\n!libs/shared\n!package.json\n**/*.md\napps/web/docs\n');
    ws.write('apps/web/src/index.html', '<h1>web</h1>\n');
    ws.write('apps/web/docs/notes.txt', 'not sent\n');

    ws.write(
      'apps/admin/project.json',
      JSON.stringify({
        name: 'admin',
        targets: {
          build: {
            executor: 'nx:run-commands',
            outputs: ['{workspaceRoot}/dist/apps/admin'],
            options: { command: `node -e "require('fs').cpSync('apps/admin/ui', 'dist/apps/admin', { recursive: true })"` },
          },
        },
      }),
    );
    ws.write('apps/admin/Dockerfile.prod', 'FROM debian:bookworm-slim\nWORKDIR /srv\nCOPY libs/shared /srv/libs/shared\nCOPY apps/admin/server /srv/server\n');
    ws.write('apps/admin/Dockerfile.prod.dockerignore', '*\n!libs/shared\n!apps/admin/server\n');
    ws.write('apps/admin/Dockerfile.frontend', 'FROM debian:bookworm-slim\nCOPY dist/apps/admin /usr/share/admin\n');
    ws.write('apps/admin/Dockerfile.frontend.dockerignore', '*\n!dist/apps/admin\n');
    ws.write('apps/admin/server/run.sh', 'echo admin\n');
    ws.write('apps/admin/ui/app.js', 'console.log("admin")\n');

    ws.write('libs/shared/project.json', JSON.stringify({ name: 'shared' }));
    ws.write('libs/shared/lib.sh', 'shared() { :; }\n');
    ws.write('libs/shared/README.md', '# shared\n');

    await git(['init', '-q', '-b', 'main']);
    await git(['add', '-A']);
    await git(['commit', '-q', '-m', 'workspace']);
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('shows the inferred targets with inputs that mirror each context', async () => {
    const show = async (name: string) => {
      const result = await ws.nx(['show', 'project', name, '--json']);
      expect(result.exitCode).toBe(0);
      return JSON.parse(result.stdout) as ShownProject;
    };
    const api = await show('api');
    expect(api.targets['docker-build']).toMatchObject({
      executor: 'nx-buildkit:build',
      cache: false,
      options: { dockerfile: 'apps/api/Dockerfile', context: 'apps/api', image: `${ws.imagePrefix}-api` },
      inputs: ['{projectRoot}/Dockerfile', '{projectRoot}/.dockerignore', '{projectRoot}/**/*', '!{projectRoot}/docs', '!{projectRoot}/*.md', '!{projectRoot}/*.md/**'],
      // Not 'docker': nx release would send the project to @nx/docker's version step.
      metadata: { technologies: ['buildkit'] },
    });

    const web = await show('web');
    expect(web.targets['docker-build'].options).toMatchObject({ context: '.', dockerfile: 'apps/web/Dockerfile.prod' });
    expect(web.targets['docker-build'].inputs).toEqual([
      '{projectRoot}/Dockerfile.prod',
      '{projectRoot}/Dockerfile.prod.dockerignore',
      // What the Dockerfile copies, less what the ignore file excludes (apps/web/notes.txt is sent, not read).
      '{workspaceRoot}/package.json',
      '{workspaceRoot}/libs/shared',
      '{workspaceRoot}/apps/web/src',
      '!{workspaceRoot}/**/*.md',
      '!{workspaceRoot}/**/*.md/**',
      '!{workspaceRoot}/apps/web/docs',
    ]);

    const admin = await show('admin');
    expect(Object.keys(admin.targets).sort()).toEqual(['build', 'docker-build', 'docker-build-frontend', 'docker-build-prod', 'docker-lint', 'docker-lint-frontend', 'docker-lint-prod', 'nx-release-publish']);
    expect(admin.targets['docker-build']).toMatchObject({ executor: 'nx:noop', dependsOn: ['docker-build-prod', 'docker-build-frontend'] });
    expect(admin.targets['docker-build-frontend'].dependsOn).toEqual(['build']);
    expect(admin.targets['docker-build-prod'].inputs).toEqual(['{projectRoot}/Dockerfile.prod', '{projectRoot}/Dockerfile.prod.dockerignore', '{workspaceRoot}/libs/shared', '{workspaceRoot}/apps/admin/server']);

    expect(Object.keys((await show('shared')).targets)).not.toContain('docker-build');
  });

  it('selects an app when a file its context sends changes', async () => {
    expect(await affectedBy({ 'apps/api/src/main.sh': 'echo api v2\n' })).toEqual(['api']);
    expect(await affectedBy({ 'apps/web/src/index.html': '<h1>web v2</h1>\n' })).toEqual(['web']);
  });

  it('selects nothing when only files the ignore files exclude change', async () => {
    expect(
      await affectedBy({
        'apps/api/docs/guide.txt': 'still not sent\n',
        'apps/api/README.md': '# still not sent\n',
        'apps/web/docs/notes.txt': 'still not sent\n',
        'apps/web/src/notes.md': 'excluded by **/*.md\n',
      }),
    ).toEqual([]);
  });

  it('selects nothing when a file the context sends but no instruction reads changes', async () => {
    expect(await affectedBy({ 'apps/web/notes.txt': `sent, never copied ${Date.now()}\n` })).toEqual([]);
  });

  it('selects exactly the two apps whose contexts include an edited shared library', async () => {
    expect(await affectedBy({ 'libs/shared/lib.sh': 'shared() { echo v2; }\n' })).toEqual(['admin', 'web']);
    // web's ignore file leaves out **/*.md; admin's sends libs/shared whole.
    expect(await affectedBy({ 'libs/shared/README.md': '# shared v2\n' })).toEqual(['admin']);
  });

  it('selects an app whose image copies a build output when the sources of that build change', async () => {
    // apps/admin/ui is in no context: it reaches the frontend image through dist/apps/admin, the build's output.
    expect(await affectedBy({ 'apps/admin/ui/app.js': 'console.log("admin v2")\n' })).toEqual(['admin']);
  });

  it('builds every image with run-many, then skips every one when nothing changed', async () => {
    const first = await ws.nx(['run-many', '-t', 'docker-build']);
    expect(first.exitCode).toBe(0);
    const built = { api: dockerRecords('api'), web: dockerRecords('web'), admin: dockerRecords('admin') };
    expect(Object.keys(built.admin)).toEqual(['docker-build-frontend.json', 'docker-build-prod.json']);
    for (const records of Object.values(built)) for (const record of Object.values(records)) expect(record.status).toBe('built');

    const second = await ws.nx(['run-many', '-t', 'docker-build']);
    expect(second.exitCode).toBe(0);
    const skipped = { api: dockerRecords('api'), web: dockerRecords('web'), admin: dockerRecords('admin') };
    expect(Object.keys(skipped.api)).toEqual(['docker-build.json']);
    expect(Object.keys(skipped.web)).toEqual(['docker-build.json']);
    expect(Object.keys(skipped.admin)).toEqual(['docker-build-frontend.json', 'docker-build-prod.json']);
    for (const [project, records] of Object.entries(skipped)) {
      for (const [name, record] of Object.entries(records)) {
        expect({ project, name, status: record.status }).toEqual({ project, name, status: 'skipped' });
        expect(record.hashTag).toBe(built[project as keyof typeof built][name].hashTag);
      }
    }
  });
});
