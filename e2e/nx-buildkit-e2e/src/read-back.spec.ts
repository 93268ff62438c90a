import { mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, readlinkSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectSuccess } from './support/processes';
import { addProject, createTestWorkspace, imageExists, TestWorkspace } from './support/workspace';

interface Record {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  reason?: string;
}

/** Every entry under a folder (hidden ones too), by path as bytes, with its type and content: a byte-for-byte picture. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: Buffer): void => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const path = Buffer.concat([dir, Buffer.from('/'), name]);
      const key = path.subarray(root.length).toString('latin1');
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        out.set(key, 'dir');
        visit(path);
      } else if (stat.isSymbolicLink()) out.set(key, `link ${readlinkSync(path, { encoding: 'buffer' }).toString('hex')}`);
      else out.set(key, `file ${stat.mode.toString(8)} ${stat.mtimeMs} ${readFileSync(path).toString('base64')}`);
    }
  };
  visit(Buffer.from(root));
  return out;
}

describe('read-back: corrupt state costs a rebuild and one line; --explain writes nothing; names of any bytes', () => {
  let ws: TestWorkspace;
  let image: string;
  const record = (): Record => ws.readJson<Record>('dist/docker/svc/docker-build.json');
  const build = (args: string[] = [], env: { [name: string]: string } = {}) => ws.nx(['run', 'svc:docker-build', ...args], env);

  beforeAll(async () => {
    ws = createTestWorkspace('readback');
    image = `${ws.imagePrefix}-svc`;
    ws.write('apps/svc/Dockerfile', 'FROM debian:bookworm-slim\nCOPY src/ /app/src/\nRUN ls /app/src > /listing\n');
    ws.write('apps/svc/.dockerignore', 'project.json\n');
    ws.write('apps/svc/src/main.txt', `main ${ws.imagePrefix}\n`);
    addProject(ws, 'svc', 'apps/svc', { image });
    expectSuccess(await build(), 'first build');
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it.each([
    ['incomplete', '{"format":1}'],
    ['wrong-typed', 'platforms'],
    ['truncated', '{"format":1,"dockerfile":"ab'],
  ])('an inputs manifest that is %s: the target builds again, as a first build, with one line naming the file', async (_kind, content) => {
    const manifestPath = 'dist/docker/svc/docker-build.inputs.json';
    ws.write(manifestPath, content === 'platforms' ? JSON.stringify({ ...ws.readJson(manifestPath), platforms: 'x' }) : content);
    ws.write('apps/svc/src/main.txt', `main ${ws.imagePrefix} ${content.length}\n`);
    const result = await build();
    expectSuccess(result, 'build over a corrupt inputs manifest');
    expect(record().status).toBe('built');
    expect(record().reason).toBe('first build');
    const lines = result.output.split('\n').filter((line) => line.includes('ignored') && line.includes('docker-build.inputs.json'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('the build is explained as a first build');
    expect(result.output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    // The manifest is whole again: the next change is explained by file.
    ws.write('apps/svc/src/main.txt', `main ${ws.imagePrefix} again ${content.length}\n`);
    expectSuccess(await build(), 'build after');
    expect(record().reason).toBe('src/main.txt changed');
  });

  it('a digest cache whose digests are of the wrong type is not trusted; a corrupt record is rewritten', async () => {
    const before = record();
    writeFileSync(join(ws.root, 'dist/docker/.file-digests.json'), JSON.stringify({ format: 1, files: { [join(ws.root, 'apps/svc/src/main.txt')]: ['1:2:3:4', 42] } }));
    writeFileSync(join(ws.root, 'dist/docker/svc/docker-build.json'), '{"status":');
    const result = await build();
    expectSuccess(result, 'build over a corrupt cache and record');
    expect(result.output).toMatch(/ignored dist\/docker\/\.file-digests\.json \(not in the expected shape \(files\[.+\]\[1\]: expected a sha256 digest, got number\)\); every file is hashed again\./);
    expect(record().status).toBe('skipped');
    expect(record().hash).toBe(before.hash);
  });

  it('--explain writes nothing, on success or failure: the record folder is byte-for-byte as it was, no step summary', async () => {
    const before = snapshot(join(ws.root, 'dist'));
    const summary = join(ws.root, 'step-summary.md');
    ws.write('apps/svc/src/extra.txt', 'new\n');
    const ok = await build(['--explain'], { GITHUB_STEP_SUMMARY: summary });
    expectSuccess(ok, '--explain');
    expect(ok.stdout).toMatch(/svc {2}inputs nxb-[0-9a-f]{16}: src\/extra\.txt added/);
    // A failing one: the engine cannot be reached.
    const failed = await build(['--explain'], { GITHUB_STEP_SUMMARY: summary, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(failed.exitCode).not.toBe(0);
    // Another failure, while planning: an ignore file with an invalid pattern.
    ws.write('apps/svc/.dockerignore', 'project.json\n!\n');
    const badIgnore = await build(['--explain'], { GITHUB_STEP_SUMMARY: summary });
    expect(badIgnore.exitCode).not.toBe(0);
    expect(badIgnore.output).toContain('invalid pattern');
    ws.write('apps/svc/.dockerignore', 'project.json\n');
    expect(snapshot(join(ws.root, 'dist'))).toEqual(before);
    expect(existsSync(summary)).toBe(false);
    ws.remove('apps/svc/src/extra.txt');
  });

  it('hashes file names that are not UTF-8, hold a newline or are 255 bytes long, and shows them escaped', async () => {
    const src = Buffer.from(join(ws.root, 'apps/svc/src/'));
    writeFileSync(Buffer.concat([src, Buffer.from('bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'bytes\n');
    writeFileSync(join(ws.root, 'apps/svc/src/new\nline.txt'), 'newline\n');
    writeFileSync(join(ws.root, 'apps/svc/src', `${'l'.repeat(251)}.txt`), 'long\n');
    const first = await build();
    expectSuccess(first, 'build with such names');
    expect(record().status).toBe('built');
    const hash = record().hash;
    writeFileSync(Buffer.concat([src, Buffer.from('bad-'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'other bytes\n');
    const changed = await build();
    expectSuccess(changed, 'rebuild after the non-UTF-8 file changed');
    expect(record().hash).not.toBe(hash);
    expect(record().reason).toBe('src/bad-\\xff\\xfe.txt changed');
    expect(changed.stdout).toContain('src/bad-\\xff\\xfe.txt changed');
    writeFileSync(join(ws.root, 'apps/svc/src/new\nline.txt'), 'newline 2\n');
    expectSuccess(await build(), 'rebuild after the newline file changed');
    expect(record().reason).toBe('src/new\\nline.txt changed');
    // Unchanged: skipped by the same hash.
    const again = await build();
    expectSuccess(again, 'no-op');
    expect(record().status).toBe('skipped');
  });
});

describe('read-back: a missing secret source fails before the build; recordDir through a symlink', () => {
  let ws: TestWorkspace;
  let image: string;
  const variable = 'NXB_E2E_SECRET_NEVER_SET';

  beforeAll(() => {
    ws = createTestWorkspace('readback-secret');
    image = `${ws.imagePrefix}-vault`;
    ws.write('apps/vault/Dockerfile', 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\nRUN --mount=type=secret,id=tok (test -f /run/secrets/tok && echo has || echo none) > /proof\n');
    ws.write('apps/vault/.dockerignore', 'project.json\n');
    ws.write('apps/vault/app.txt', `vault ${ws.imagePrefix}\n`);
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('names the secret and the variable, builds and tags nothing', async () => {
    expect(process.env[variable]).toBeUndefined();
    addProject(ws, 'vault', 'apps/vault', { image, secrets: [`id=tok,env=${variable}`] });
    const result = await ws.nx(['run', 'vault:docker-build']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`Secret "tok" in the "docker-build" options of project "vault": the environment variable ${variable} is not set. Set it, or add "required=false" to the entry to build without the secret.`);
    expect(result.output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(await imageExists(`${image}:latest`)).toBe(false);
  });

  it('builds without it with required=false', async () => {
    addProject(ws, 'vault', 'apps/vault', { image, secrets: [`id=tok,env=${variable},required=false`] });
    expectSuccess(await ws.nx(['run', 'vault:docker-build']), 'required=false');
    expect(await imageExists(`${image}:latest`)).toBe(true);
  });

  it('refuses a recordDir that is a symlink out of the workspace and writes nothing there', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'nxb-e2e-outside-'));
    try {
      symlinkSync(outside, join(ws.root, 'records-link'));
      mkdirSync(join(ws.root, 'apps/vault/src'), { recursive: true });
      const result = await ws.nx(['run', 'vault:docker-build', '--recordDir=records-link']);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toContain(`"recordDir" "records-link" in the "docker-build" options of project "vault" leads outside the workspace through a symlink (to ${outside}).`);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
