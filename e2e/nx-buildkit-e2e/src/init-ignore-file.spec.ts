import { join } from 'node:path';
import { DEFAULT_IGNORE_PATTERNS } from '../../../packages/nx-buildkit/src/lib/context/ignore-file-content';
import { expectSuccess, runOk } from './support/processes';
import { createTestWorkspace, TestWorkspace, writeJson } from './support/workspace';

/**
 * init's root .dockerignore must not break a build through a file inside a copied folder that a later instruction
 * uses: with every default rule (as init wrote it before), the build fails; init now leaves the rule out, says which
 * file and why, and the same build passes and the image runs.
 */

const DOCKERFILE = [
  'FROM debian:bookworm-slim AS builder',
  'WORKDIR /app',
  'COPY apps/api ./',
  'RUN cp config/.env.test .env && grep -q DB=test .env',
  'FROM debian:bookworm-slim',
  'COPY --from=builder /app/config/.env.sample /app/.env.sample',
  'USER nobody',
  'CMD ["cat", "/app/.env.sample"]',
  '',
].join('\n');

describe("init's root .dockerignore and files used inside copied folders", () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('init-ignore');
    writeJson(join(ws.root, 'nx.json'), { ...ws.readJson<Record<string, unknown>>('nx.json'), plugins: ['nx-buildkit'] });
    writeJson(join(ws.root, 'apps/api/project.json'), { name: 'api', root: 'apps/api' });
    ws.write('apps/api/Dockerfile', DOCKERFILE);
    ws.write('apps/api/config/.env.test', 'DB=test\n');
    ws.write('apps/api/config/.env.sample', 'DB=change-me\n');
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('fails with every default rule, and builds once init has left out the rule that hid the file', async () => {
    ws.write('.dockerignore', `${DEFAULT_IGNORE_PATTERNS.join('\n')}\n`);
    const before = await ws.nx(['run', 'api:docker-build']);
    expect(before.exitCode).not.toBe(0);
    expect(`${before.stdout}\n${before.stderr}`).toContain('config/.env.test');

    ws.remove('.dockerignore');
    const init = await ws.nx(['g', 'nx-buildkit:init', '--no-interactive']);
    expectSuccess(init, 'nx g nx-buildkit:init');
    // One reason per rule left out: the first file it would have hidden (.env.sample, taken by a later stage, or .env.test).
    expect(init.stdout).toMatch(/no "\*\*\/\.env\.\*" rule in \.dockerignore: apps\/api\/Dockerfile:[46] (RUN cp config\/\.env\.test|COPY --from=builder \/app\/config\/\.env\.sample).* reads apps\/api\/config\/\.env\.(test|sample)\./);
    const lines = ws.read('.dockerignore').split('\n');
    expect(lines).not.toContain('**/.env.*');
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', '.git', '**/*.pem']));

    const after = await ws.nx(['run', 'api:docker-build']);
    expectSuccess(after, 'nx run api:docker-build');
    const show = JSON.parse((await ws.nx(['show', 'project', 'api', '--json'])).stdout) as { targets: Record<string, { options: { image: string } }> };
    expect((await runOk('docker', ['run', '--rm', show.targets['docker-build'].options.image])).stdout.trim()).toBe('DB=change-me');
  });
});
