import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './support/processes';
import { addProject, createTestWorkspace, imageExists, TestWorkspace } from './support/workspace';

/** No stack trace lines ("    at fn (file.js:1:2)") in what the user sees. */
const STACK_LINE = /\n\s+at .+:\d+:\d+\)?/;

describe('nx-buildkit:build — what a user sees when the environment or the input is wrong', () => {
  let ws: TestWorkspace;
  let shimDir: string;

  beforeAll(async () => {
    ws = createTestWorkspace('errors');
    ws.write('apps/api/Dockerfile', 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
    ws.write('apps/api/app.txt', 'app\n');
    addProject(ws, 'api', 'apps/api', { image: `${ws.imagePrefix}-api` });
    // A docker CLI without the buildx plugin: a wrapper that passes everything else to the real CLI.
    shimDir = mkdtempSync(join(tmpdir(), 'nxb-no-buildx-'));
    const realDocker = (await run('sh', ['-c', 'command -v docker'])).stdout.trim();
    writeFileSync(
      join(shimDir, 'docker'),
      `#!/bin/sh\nif [ "$1" = buildx ]; then echo "docker: 'buildx' is not a docker command." >&2; exit 1; fi\nexec "${realDocker}" "$@"\n`,
    );
    chmodSync(join(shimDir, 'docker'), 0o755);
  });

  afterAll(async () => {
    rmSync(shimDir, { recursive: true, force: true });
    await ws?.cleanup();
  });

  it('names the engine and how to start it when the engine does not answer', async () => {
    const result = await ws.nx(['run', 'api:docker-build'], { DOCKER_HOST: 'unix:///tmp/nxb-no-such-docker.sock' });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('The Docker engine is not answering');
    expect(result.output).toMatch(/Start it .*DOCKER_HOST/);
    expect(result.output).not.toMatch(STACK_LINE);
  });

  it('names the buildx plugin and the package to install when buildx is missing', async () => {
    const result = await ws.nx(['run', 'api:docker-build'], { PATH: `${shimDir}:${process.env.PATH}` });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Docker buildx is not installed');
    expect(result.output).toContain('docker-buildx');
    expect(result.output).not.toMatch(STACK_LINE);
    expect(await imageExists(`${ws.imagePrefix}-api:latest`)).toBe(false);
  });

  it('names the Dockerfile option and the generator when the Dockerfile is missing', async () => {
    addProject(ws, 'nodf', 'apps/nodf', { image: `${ws.imagePrefix}-nodf`, dockerfile: 'apps/nodf/Dockerfile.prod' });
    const result = await ws.nx(['run', 'nodf:docker-build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Dockerfile "apps/nodf/Dockerfile.prod" not found');
    expect(result.output).toContain('nx g nx-buildkit:backend nodf');
    expect(result.output).not.toMatch(STACK_LINE);
  });

  it('rejects a context outside the workspace and an invalid platform before anything runs', async () => {
    addProject(ws, 'outside', 'apps/api', { image: `${ws.imagePrefix}-outside`, context: '../..' });
    const outside = await ws.nx(['run', 'outside:docker-build']);
    expect(outside.exitCode).not.toBe(0);
    expect(outside.output).toContain('is outside the workspace');

    addProject(ws, 'badplatform', 'apps/api', { image: `${ws.imagePrefix}-badplatform`, platforms: ['linux'] });
    const platform = await ws.nx(['run', 'badplatform:docker-build']);
    expect(platform.exitCode).not.toBe(0);
    expect(platform.output).toContain('Invalid platform "linux" in "platforms"');
    expect(await imageExists(`${ws.imagePrefix}-badplatform:latest`)).toBe(false);
  });

  it.each([
    ['batch mode (run-many)', 'typo-batch', ['run-many', '-t', 'docker-build', '--projects=typo-batch']],
    ['one process per image', 'typo-single', ['run', 'typo-single:docker-build', '--batch=false']],
  ])('refuses an unknown option in %s: names it and the option meant, exits non-zero, no crash', async (_mode, project, command) => {
    // A project of its own: the tests above rewrite apps/api/project.json, and the last run here builds it.
    ws.write(`apps/${project}/Dockerfile`, 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
    ws.write(`apps/${project}/app.txt`, `${project}\n`);
    addProject(ws, project, `apps/${project}`, { image: `${ws.imagePrefix}-${project}` });
    const typo = await ws.nx([...command, '--registy=localhost:5000']);
    expect(typo.exitCode).not.toBe(0);
    expect(typo.output).toContain('Unknown option "registy"');
    expect(typo.output).toContain('Did you mean "registry"?');
    expect(typo.output).not.toMatch(/UnhandledPromiseRejection|SchemaError/);
    expect(typo.output).not.toMatch(STACK_LINE);

    const interactive = await ws.nx([...command, '--no-interactive']);
    expect(interactive.exitCode).not.toBe(0);
    expect(interactive.output).toContain('Unknown option "interactive"');
    expect(interactive.output).not.toMatch(/UnhandledPromiseRejection|SchemaError/);
    expect(await imageExists(`${ws.imagePrefix}-${project}:latest`)).toBe(false);

    // A value of the wrong type: refused with the option named, not by Nx's batch worker crashing on a SchemaError.
    const wrongType = await ws.nx([...command, '--pull=maybe']);
    expect(wrongType.exitCode).not.toBe(0);
    expect(wrongType.output).toContain('Invalid "pull" "maybe"');
    expect(wrongType.output).not.toMatch(/UnhandledPromiseRejection|SchemaError/);

    // Nx's own --verbose reaches the executor with --batch=false; it is not an unknown option.
    const verbose = await ws.nx([...command, '--verbose']);
    expect(verbose.output).not.toContain('Unknown option');
    expect(verbose.exitCode).toBe(0);
  });

  it.each([
    ['batch mode (run-many)', 'cli-lists-batch', ['run-many', '-t', 'docker-build', '--projects=cli-lists-batch']],
    ['one process per image', 'cli-lists-single', ['run', 'cli-lists-single:docker-build', '--batch=false']],
  ])('takes list options from the command line in %s: a number tag, comma-separated tags, a secret spec with commas', async (_mode, project, command) => {
    ws.write(`apps/${project}/Dockerfile`, 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\nRUN --mount=type=secret,id=token test "$(cat /run/secrets/token)" = "s3cret"\n');
    ws.write(`apps/${project}/app.txt`, `${project}\n`);
    addProject(ws, project, `apps/${project}`, { image: `${ws.imagePrefix}-${project}` });
    // A build number as the tag (yargs makes it a number: Nx's batch worker crashed on it with a SchemaError) and a
    // secret spec whose commas are part of it (Nx would have split it in two).
    const numbered = await ws.nx([...command, '--tags=42', '--secrets=id=token,env=TOKEN'], { TOKEN: 's3cret' });
    expect(numbered.exitCode === 0 ? '' : numbered.output).toBe('');
    const result = await ws.nx([...command, '--tags=42,v1', '--secrets=id=token,env=TOKEN'], { TOKEN: 's3cret' });
    expect(result.exitCode === 0 ? '' : result.output).toBe('');
    expect(await imageExists(`${ws.imagePrefix}-${project}:42`)).toBe(true);
    expect(await imageExists(`${ws.imagePrefix}-${project}:v1`)).toBe(true);
  });

  it('names the file and line of a malformed Dockerfile', async () => {
    ws.write('apps/malformed/Dockerfile', 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\nFROBNICATE everything\n');
    ws.write('apps/malformed/app.txt', 'x\n');
    addProject(ws, 'malformed', 'apps/malformed', { image: `${ws.imagePrefix}-malformed` });
    const result = await ws.nx(['run', 'malformed:docker-build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('apps/malformed/Dockerfile');
    expect(result.output).toMatch(/line 3|:3/);
    expect(result.output).toMatch(/unknown instruction: FROBNICATE/i);
    expect(result.output).not.toMatch(STACK_LINE);
  });
});
