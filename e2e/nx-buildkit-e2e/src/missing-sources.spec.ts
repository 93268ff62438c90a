import { join } from 'node:path';
import { expectSuccess, run, runOk } from './support/processes';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

/**
 * A COPY source that matches nothing in the context (a binary a script makes before `docker build`) is named wherever
 * the user looks: the inferred target's description, docker-lint (an error) and the build's plan (one line before
 * BuildKit runs, which then fails). Once the script has made it, all three are silent and the image builds and runs.
 * A build output that the image's build target depends on is not missing before it is built.
 */

const API_DOCKERFILE = [
  'FROM debian:bookworm-slim',
  'ARG BIN_NAME=server.sh',
  'WORKDIR /app',
  'COPY config/settings.txt ./settings.txt',
  'COPY artifacts/$BIN_NAME /app/server.sh',
  'USER nobody',
  'CMD ["sh", "/app/server.sh"]',
  '',
].join('\n');

const WEB_DOCKERFILE = ['FROM debian:bookworm-slim', 'COPY dist/ /srv/', 'USER nobody', 'CMD ["cat", "/srv/index.txt"]', ''].join('\n');

interface ShownProject {
  targets: Record<string, { options: { image: string }; metadata: { description: string } }>;
}

describe('COPY sources that match nothing', () => {
  let ws: TestWorkspace;

  const show = async (project: string) => {
    const result = await ws.nx(['show', 'project', project, '--json']);
    expectSuccess(result, `nx show project ${project}`);
    return JSON.parse(result.stdout) as ShownProject;
  };

  beforeAll(() => {
    ws = createTestWorkspace('missing');
    writeJson(join(ws.root, 'nx.json'), { ...ws.readJson<Record<string, unknown>>('nx.json'), plugins: ['nx-buildkit'] });
    writeJson(join(ws.root, 'apps/api/project.json'), { name: 'api', root: 'apps/api' });
    ws.write('apps/api/Dockerfile', API_DOCKERFILE);
    ws.write('apps/api/.dockerignore', '.git\n');
    // The folder the CI script makes is not kept in git.
    ws.write('apps/api/.gitignore', 'artifacts/\n');
    ws.write('apps/api/config/settings.txt', 'port=8080\n');
    writeJson(join(ws.root, 'apps/web/project.json'), {
      name: 'web',
      root: 'apps/web',
      targets: {
        build: {
          executor: 'nx:run-commands',
          outputs: ['{projectRoot}/dist'],
          options: { command: `node -e "require('fs').mkdirSync('apps/web/dist',{recursive:true});require('fs').writeFileSync('apps/web/dist/index.txt','built web')"` },
        },
      },
    });
    ws.write('apps/web/Dockerfile', WEB_DOCKERFILE);
    ws.write('apps/web/.gitignore', 'dist/\n');
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('names the missing source in the description, fails docker-lint on it, and says it before BuildKit fails on it', async () => {
    const api = await show('api');
    expect(api.targets['docker-build'].metadata.description).toContain(
      'Matches nothing in the context: COPY artifacts/$BIN_NAME (line 5); the build fails with "not found" until it exists, and nx affected sees no change to it.',
    );

    const lint = await ws.nx(['run', 'api:docker-lint']);
    expect(lint.exitCode).not.toBe(0);
    expect(lint.stdout).toMatch(/apps\/api\/Dockerfile:5 {2}context\/copy-source-missing {2}error {2}COPY artifacts\/\$BIN_NAME \(line 5\): artifacts\/server\.sh matches nothing in the build context/);

    const build = await ws.nx(['run', 'api:docker-build']);
    expect(build.exitCode).not.toBe(0);
    const planLine = 'api: not in the context apps/api: COPY artifacts/$BIN_NAME (line 5); a build that reaches it fails with "not found"';
    const output = `${build.stdout}\n${build.stderr}`;
    expect(output).toContain(planLine);
    // Said once (while planning, before BuildKit runs); BuildKit then fails on exactly that source.
    expect(output.split(planLine)).toHaveLength(2);
    expect(output).toMatch(/artifacts\/server\.sh"?: not found/);
    // In the task's own log, the plan line comes before the step's failure.
    expect(output.indexOf(planLine)).toBeLessThan(output.indexOf('COPY artifacts/server.sh /app/server.sh failed'));
  });

  it('says nothing once the script has made it: the description, docker-lint and the build are clean, and the image runs', async () => {
    ws.write('apps/api/artifacts/server.sh', 'echo "api ready on $(cat /app/settings.txt)"\n');
    const api = await show('api');
    expect(api.targets['docker-build'].metadata.description).not.toContain('Matches nothing');

    expectSuccess(await ws.nx(['run', 'api:docker-lint']), 'nx run api:docker-lint');
    const build = await ws.nx(['run', 'api:docker-build']);
    expectSuccess(build, 'nx run api:docker-build');
    expect(build.stdout).not.toContain('not in the context');
    const started = await runOk('docker', ['run', '--rm', api.targets['docker-build'].options.image]);
    expect(started.stdout.trim()).toBe('api ready on port=8080');
  });

  it('counts a build output the image depends on as written by its target, not as missing, and builds it first', async () => {
    ws.remove('apps/web/dist');
    const web = await show('web');
    const description = web.targets['docker-build'].metadata.description;
    expect(description).not.toContain('Matches nothing');
    expect(description).toContain('Not there until built: dist (written by web:build).');

    expectSuccess(await ws.nx(['run', 'web:docker-lint']), 'nx run web:docker-lint (before the build output exists)');
    const build = await ws.nx(['run', 'web:docker-build']);
    expectSuccess(build, 'nx run web:docker-build');
    expect(build.stdout).not.toContain('not in the context');
    const started = await run('docker', ['run', '--rm', web.targets['docker-build'].options.image]);
    expect(started.stdout.trim()).toBe('built web');
  });

  it('names a build output on disk that the root .dockerignore keeps out (as init writes it: dist) before BuildKit fails on it; its own ignore file fixes it', async () => {
    // A Dockerfile like the one `nx g @nx/node:setup-docker` writes, reading the build output from the workspace root.
    writeJson(join(ws.root, 'apps/worker/project.json'), {
      name: 'worker',
      root: 'apps/worker',
      targets: {
        build: {
          executor: 'nx:run-commands',
          outputs: ['{workspaceRoot}/dist/apps/worker'],
          options: { command: `node -e "require('fs').mkdirSync('dist/apps/worker',{recursive:true});require('fs').writeFileSync('dist/apps/worker/index.txt','built worker')"` },
        },
      },
    });
    ws.write('apps/worker/Dockerfile', ['FROM debian:bookworm-slim', 'WORKDIR /app', 'COPY dist/apps/worker .', 'USER nobody', 'CMD ["cat", "/app/index.txt"]', ''].join('\n'));
    ws.write('.dockerignore', '.git\n**/node_modules\ndist\n');
    const failed = await ws.nx(['run', 'worker:docker-build']);
    expect(failed.exitCode).not.toBe(0);
    const output = `${failed.stdout}\n${failed.stderr}`;
    const planLine = 'worker: COPY dist/apps/worker (line 3) is on disk but kept out of the context by .dockerignore, where BuildKit cannot see it: a build that reaches it fails (remove the pattern that excludes it, or give apps/worker/Dockerfile an ignore file of its own, Dockerfile.dockerignore beside it).';
    expect(output).toContain(planLine);
    // Said while planning, before BuildKit fails on that step.
    expect(output.indexOf(planLine)).toBeLessThan(output.indexOf('COPY dist/apps/worker . failed'));

    ws.write('apps/worker/Dockerfile.dockerignore', '*\n!dist/apps/worker\n');
    const built = await ws.nx(['run', 'worker:docker-build']);
    expectSuccess(built, 'nx run worker:docker-build');
    expect(built.stdout).not.toContain('kept out of the context');
    const image = (await show('worker')).targets['docker-build'].options.image;
    expect((await runOk('docker', ['run', '--rm', image])).stdout.trim()).toBe('built worker');
  });
});
