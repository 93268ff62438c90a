import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createDockerConfig, DockerConfig, htpasswdEntry } from './support/docker-auth';
import { expectSuccess, run, RunResult, runOk } from './support/processes';
import { MANIFEST_TYPES, registryApiUrl, startRegistry, TestRegistry } from './support/registry';
import { addProject, copyFixture, createTestWorkspace, imageExists, imageId, TestWorkspace } from './support/workspace';

interface BuildRecord {
  status: 'built' | 'skipped' | 'failed';
  hash: string;
  hashTag: string;
  image: string;
  imageId?: string;
  tags: string[];
  pushed?: boolean;
  error?: string;
}

/** No stack trace lines ("    at fn (file.js:1:2)") in what the user sees. */
const STACK_LINE = /\n\s+at .+:\d+:\d+\)?/;

const INPUTS_HASH_LABEL = 'org.nx-buildkit.inputs-hash';

/** Every file under a folder (absolute paths), node_modules left out: what a run could have written. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else found.push(path);
  }
  return found;
}

/** Leftovers of an interrupted atomic write: the record writer's temp files are `.<name>.<pid>.<random>.tmp`. */
function tempFilesUnder(ws: TestWorkspace, dir = ''): string[] {
  return filesUnder(join(ws.root, dir))
    .map((path) => relative(ws.root, path))
    .filter((path) => /\.tmp$/.test(path) || /(^|\/)\.[^/]+\.json\./.test(path));
}

async function labelsOf(ref: string): Promise<Record<string, string>> {
  return JSON.parse((await runOk('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', ref])).stdout) as Record<string, string>;
}

async function catInImage(ref: string, path: string): Promise<string> {
  return (await runOk('docker', ['run', '--rm', ref, 'cat', path])).stdout;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('faults: two nx run-many on the same workspace at once', () => {
  let ws: TestWorkspace;
  const projects = ['c1', 'c2', 'c3', 'c4'];
  const runMany = (flags: string[] = []): Promise<RunResult> =>
    ws.nx(['run-many', '-t', 'docker-build', '--parallel=4', '--output-style=static', ...flags]);

  beforeAll(() => {
    ws = createTestWorkspace('conc');
    for (const p of projects) {
      // A RUN writing random bytes: two builds that really ran twice give two different images.
      ws.write(`apps/${p}/Dockerfile`, 'FROM debian:bookworm-slim\nRUN head -c 16 /dev/urandom | od -An -tx1 > /random\nCOPY app.txt /app.txt\n');
      ws.write(`apps/${p}/.dockerignore`, 'project.json\n');
      ws.write(`apps/${p}/app.txt`, `${p} ${ws.imagePrefix}\n`);
      addProject(ws, p, `apps/${p}`, { image: `${ws.imagePrefix}-${p}`, tags: ['latest', 'e2e'] });
    }
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  /** Every record parses, says built or skipped, and the engine's tags point where the record says. */
  async function expectConsistent(): Promise<void> {
    for (const p of projects) {
      const text = ws.read(`dist/docker/${p}/docker-build.json`);
      let record: BuildRecord;
      try {
        record = JSON.parse(text) as BuildRecord;
      } catch {
        throw new Error(`dist/docker/${p}/docker-build.json is not valid JSON:\n${text}`);
      }
      expect({ project: p, status: record.status }).toEqual({ project: p, status: expect.stringMatching(/^(built|skipped)$/) });
      expect(record.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
      const hashRef = `${record.image}:${record.hashTag}`;
      expect({ ref: hashRef, id: await imageId(hashRef) }).toEqual({ ref: hashRef, id: record.imageId });
      expect(record.tags).toEqual([`${ws.imagePrefix}-${p}:latest`, `${ws.imagePrefix}-${p}:e2e`]);
      for (const tag of record.tags) expect({ ref: tag, id: await imageId(tag) }).toEqual({ ref: tag, id: record.imageId });
      expect((await labelsOf(hashRef))[INPUTS_HASH_LABEL]).toBe(record.hash);
    }
    expect(tempFilesUnder(ws, 'dist')).toEqual([]);
  }

  /**
   * Runs both at once while reading every record over and over: a record must parse whenever it exists, not only at
   * the end (a writer that truncates then writes would be caught between the two).
   */
  async function concurrently(a: Promise<RunResult>, b: Promise<RunResult>): Promise<{ results: RunResult[]; torn: string[]; reads: number }> {
    const torn: string[] = [];
    let reads = 0;
    const poll = setInterval(() => {
      for (const p of projects) {
        let text: string;
        try {
          text = readFileSync(join(ws.root, `dist/docker/${p}/docker-build.json`), 'utf8');
        } catch {
          continue;
        }
        reads += 1;
        try {
          JSON.parse(text);
        } catch {
          torn.push(`${p}: ${JSON.stringify(text)}`);
        }
      }
    }, 5);
    try {
      return { results: await Promise.all([a, b]), torn, reads };
    } finally {
      clearInterval(poll);
    }
  }

  it('both runs succeed from scratch, and tags and records agree afterwards', async () => {
    const { results, torn } = await concurrently(runMany(), runMany());
    expectSuccess(results[0], 'first nx run-many');
    expectSuccess(results[1], 'second nx run-many');
    expect(torn).toEqual([]);
    await expectConsistent();
  });

  it('both runs succeed after a change (one in batch mode, one not), and tags and records agree afterwards', async () => {
    ws.write('apps/c1/app.txt', `c1 changed ${ws.imagePrefix}\n`);
    ws.write('apps/c3/app.txt', `c3 changed ${ws.imagePrefix}\n`);
    const { results, torn, reads } = await concurrently(runMany(['--batch']), runMany(['--batch=false']));
    expectSuccess(results[0], 'nx run-many --batch');
    expectSuccess(results[1], 'nx run-many --batch=false');
    expect(reads).toBeGreaterThan(0);
    expect(torn).toEqual([]);
    await expectConsistent();
    expect(await catInImage(`${ws.imagePrefix}-c1:latest`, '/app.txt')).toBe(`c1 changed ${ws.imagePrefix}\n`);
  });
});

describe('faults: secrets stay secret', () => {
  let ws: TestWorkspace;
  let image: string;
  const token = `nxb-secret-${randomBytes(16).toString('hex')}`;
  let result: RunResult;

  beforeAll(async () => {
    ws = createTestWorkspace('secret');
    image = `${ws.imagePrefix}-vault`;
    ws.write(
      'apps/vault/Dockerfile',
      'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\nRUN --mount=type=secret,id=api_token,required=true sha256sum /run/secrets/api_token > /proof\n',
    );
    ws.write('apps/vault/.dockerignore', 'project.json\n');
    ws.write('apps/vault/app.txt', `vault ${ws.imagePrefix}\n`);
    addProject(ws, 'vault', 'apps/vault', { image, secrets: ['id=api_token,env=API_TOKEN'], labels: { 'org.example.team': 'e2e' } });
    result = await ws.nx(['run', 'vault:docker-build'], { API_TOKEN: token });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('passes the secret to RUN --mount=type=secret', async () => {
    expectSuccess(result, 'nx run vault:docker-build');
    expect(ws.readJson<BuildRecord>('dist/docker/vault/docker-build.json').status).toBe('built');
    expect((await catInImage(`${image}:latest`, '/proof')).split(/\s+/)[0]).toBe(sha256(token));
  });

  it('shows the value nowhere: image history, image config, record, console, files written', async () => {
    const record = ws.readJson<BuildRecord>('dist/docker/vault/docker-build.json');
    const history = await runOk('docker', ['history', '--no-trunc', `${image}:latest`]);
    expect(history.stdout).toContain('api_token');
    expect(history.stdout).not.toContain(token);
    for (const ref of [`${image}:latest`, `${image}:${record.hashTag}`]) {
      expect((await runOk('docker', ['image', 'inspect', ref])).stdout).not.toContain(token);
    }
    expect(result.output).not.toContain(token);
    const leaking = filesUnder(ws.root).filter((path) => readFileSync(path).includes(token));
    expect(leaking.map((path) => relative(ws.root, path))).toEqual([]);
  });

  it('does not hash the value: another value of the same secret skips', async () => {
    const before = ws.readJson<BuildRecord>('dist/docker/vault/docker-build.json');
    const other = `nxb-secret-${randomBytes(16).toString('hex')}`;
    const rerun = await ws.nx(['run', 'vault:docker-build'], { API_TOKEN: other });
    expectSuccess(rerun, 'nx run vault:docker-build');
    const after = ws.readJson<BuildRecord>('dist/docker/vault/docker-build.json');
    expect(after.status).toBe('skipped');
    expect(after.hash).toBe(before.hash);
    expect(rerun.output).not.toContain(other);
  });

  it('warns that a build arg named like a secret belongs in "secrets", and not about the others', async () => {
    ws.write('apps/warned/Dockerfile', 'FROM debian:bookworm-slim\nARG DB_PASSWORD\nARG APP_VERSION\nCOPY app.txt /app.txt\n');
    ws.write('apps/warned/.dockerignore', 'project.json\n');
    ws.write('apps/warned/app.txt', `warned ${ws.imagePrefix}\n`);
    addProject(ws, 'warned', 'apps/warned', { image: `${ws.imagePrefix}-warned`, buildArgs: { DB_PASSWORD: 'not-a-real-one', APP_VERSION: '1.2.3' } });
    const single = await ws.nx(['run', 'warned:docker-build']);
    expectSuccess(single, 'nx run warned:docker-build');
    expect(single.output).toMatch(/DB_PASSWORD[^\n]*"secrets"/);
    expect(single.output).not.toMatch(/APP_VERSION[^\n]*"secrets"/);

    const batch = await ws.nx(['run-many', '-t', 'docker-build', '-p', 'warned', '--batch', '--output-style=static']);
    expectSuccess(batch, 'nx run-many --batch');
    expect(batch.output).toMatch(/DB_PASSWORD[^\n]*"secrets"/);
  });
});

describe('faults: build args, labels and tags with shell metacharacters', () => {
  let ws: TestWorkspace;
  let image: string;
  const id = randomBytes(4).toString('hex');
  const pwned = `/tmp/nxb-pwned-${id}`;
  // Every quoting hazard at once; if any shell evaluated it, a file named pwned-* would appear.
  const tricky = `a b "c" 'd' $(touch ${pwned}) \`touch ${pwned}-bt\`; rm -rf x && echo \${HOME} \\ %s | tee ${pwned}-pipe`;

  beforeAll(() => {
    ws = createTestWorkspace('quote');
    image = `${ws.imagePrefix}-quoted`;
    ws.write('apps/quoted/Dockerfile', "FROM debian:bookworm-slim\nARG TRICKY\nCOPY app.txt /app.txt\nRUN printf '%s' \"$TRICKY\" > /arg\n");
    ws.write('apps/quoted/.dockerignore', 'project.json\n');
    ws.write('apps/quoted/app.txt', `quoted ${ws.imagePrefix}\n`);
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  const pwnedOnHost = () => readdirSync('/tmp').filter((name) => name.startsWith(`nxb-pwned-${id}`));

  it('passes build arg and label values to BuildKit verbatim', async () => {
    addProject(ws, 'quoted', 'apps/quoted', { image, buildArgs: { TRICKY: tricky }, labels: { 'org.example.tricky': tricky } });
    const result = await ws.nx(['run', 'quoted:docker-build']);
    expectSuccess(result, 'nx run quoted:docker-build');
    expect((await labelsOf(`${image}:latest`))['org.example.tricky']).toBe(tricky);
    expect(await catInImage(`${image}:latest`, '/arg')).toBe(tricky);
    expect(pwnedOnHost()).toEqual([]);
    expect((await runOk('docker', ['run', '--rm', `${image}:latest`, 'ls', '-A', '/tmp'])).stdout).not.toContain('nxb-pwned');
  });

  it.each([
    ['a semicolon', 'v1; rm -rf x'],
    ['a command substitution', `$(touch ${pwned}-tag)`],
    ['backticks', `\`touch ${pwned}-tag\``],
    ['spaces and quotes', `a b "c" 'd'`],
  ])('rejects a tag with %s before building, naming "tags"', async (_what, tag) => {
    const name = `bad${randomBytes(2).toString('hex')}`;
    addProject(ws, name, 'apps/quoted', { image: `${ws.imagePrefix}-${name}`, tags: ['ok', tag] });
    const result = await ws.nx(['run', `${name}:docker-build`]);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('"tags"');
    expect(result.output).toContain(tag);
    expect(result.output).not.toContain('building');
    expect(result.output).not.toMatch(STACK_LINE);
    expect(await imageExists(`${ws.imagePrefix}-${name}:ok`)).toBe(false);
    expect(pwnedOnHost()).toEqual([]);
  });
});

interface BackendCase {
  readonly runtime: string;
  readonly project: string;
  readonly baseImage: string;
  /** A source file the image must contain (proves the listing and the scan look at the right place). */
  readonly appFile: string;
  /** A registry credentials file of this ecosystem, which holds a token. */
  readonly credentialsFile: string;
  writeApp(ws: TestWorkspace, root: string): Promise<void>;
}

const BACKENDS: readonly BackendCase[] = [
  {
    runtime: 'Python',
    project: 'ledger',
    baseImage: 'python:3.11-slim-bookworm',
    appFile: 'src/ledger/app.py',
    credentialsFile: '.pypirc',
    writeApp: async (ws, root) => {
      ws.write(`${root}/main.py`, 'from ledger.app import main\n\nif __name__ == "__main__":\n    main()\n');
      ws.write(`${root}/pyproject.toml`, '[project]\nname = "ledger"\nversion = "1.0.0"\n');
      ws.write(`${root}/requirements.txt`, '# no third-party packages: this machine reaches no package index\n');
      ws.write(`${root}/config/app.ini`, '[server]\nname = ledger\n');
      ws.write(`${root}/src/ledger/__init__.py`, '');
      ws.write(`${root}/src/ledger/app.py`, `def main():\n    print("${ws.imagePrefix}")\n`);
    },
  },
  {
    runtime: 'Node',
    project: 'gateway',
    baseImage: 'node:20-bookworm-slim',
    appFile: 'src/index.js',
    credentialsFile: '.npmrc',
    writeApp: async (ws, root) => {
      // One small dependency (ms 2.1.3, committed manifest and lockfile): the generated Dockerfile copies
      // node_modules from its install stage, which npm ci creates only when there is something to install.
      copyFixture(ws, 'npm/node-gateway', root);
      ws.write(`${root}/config/app.json`, '{ "name": "gateway" }\n');
      ws.write(`${root}/src/index.js`, `console.log(require('ms')(60000), ${JSON.stringify(ws.imagePrefix)});\n`);
    },
  },
];

describe.each(BACKENDS)('faults: a generated $runtime backend runs as non-root and ships no secrets', (backend) => {
  let ws: TestWorkspace;
  let image: string;
  const root = `services/${backend.project}`;
  const marker = `nxb-leak-${randomBytes(6).toString('hex')}`;
  const tokenMarker = `nxb-token-${randomBytes(6).toString('hex')}`;
  // Beside the project and inside the folders the Dockerfile copies whole (config/, src/): only the ignore file
  // keeps the second kind out.
  const sensitive = [
    '.env',
    '.env.local',
    '.git/HEAD',
    '.git/config',
    'certs/server.key',
    'node_modules/x/index.js',
    'config/.env.production',
    'config/tls.key',
    'src/.env',
    'src/.git/HEAD',
    'src/keys/server.key',
    'src/node_modules/x/index.js',
  ];

  beforeAll(async () => {
    ws = createTestWorkspace(`gen-${backend.project}`);
    image = `${ws.imagePrefix}-${backend.project}`;
    await backend.writeApp(ws, root);
    for (const path of sensitive) ws.write(`${root}/${path}`, `${marker} ${path}\n`);
    ws.write(`${root}/${backend.credentialsFile}`, `//registry.example.com/:_authToken=${tokenMarker}\npassword = ${tokenMarker}\n`);
    addProject(ws, backend.project, root, { image });
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('generates, builds, and the image runs as a non-root user', async () => {
    expectSuccess(await ws.nx(['g', 'nx-buildkit:backend', backend.project, '--no-interactive']), 'nx g nx-buildkit:backend');
    expectSuccess(await ws.nx(['run', `${backend.project}:docker-build`]), `nx run ${backend.project}:docker-build`);
    const user = (await runOk('docker', ['image', 'inspect', '--format', '{{.Config.User}}', `${image}:latest`])).stdout.trim();
    expect(user).not.toMatch(/^(|root|0)(:.*)?$/);
    expect((await runOk('docker', ['run', '--rm', `${image}:latest`, 'id', '-u'])).stdout.trim()).not.toBe('0');
  });

  it('leaves .env*, .git, keys and node_modules out of the build context', async () => {
    const listed = await runOk(
      process.execPath,
      ['-e', `require('nx-buildkit').listContextFiles({ context: '${root}', dockerfile: '${root}/Dockerfile.prod' }).then((f) => console.log(JSON.stringify(f)))`],
      { cwd: ws.root },
    );
    const files = JSON.parse(listed.stdout) as string[];
    expect(files).toContain(backend.appFile);
    expect(files.filter((file) => sensitive.includes(file))).toEqual([]);
  });

  /** Files in the image (not /proc, /sys, /dev) whose content holds the text. */
  const filesHolding = async (text: string): Promise<string[]> => {
    const grep = await run('docker', ['run', '--rm', '--user', '0', `${image}:latest`, 'grep', '-rl', '--exclude-dir=proc', '--exclude-dir=sys', '--exclude-dir=dev', text, '/']);
    return grep.stdout.split('\n').filter(Boolean);
  };

  it('leaves none of them in the image', async () => {
    expect((await run('docker', ['run', '--rm', `${image}:latest`, 'ls', '-A', '/app'])).stdout).toMatch(/\bsrc\b/);
    expect(await filesHolding(marker)).toEqual([]);
    // Names too, against what the base image already has.
    const named = (img: string) =>
      runOk('docker', ['run', '--rm', '--user', '0', img, 'find', '/', '-xdev', '(', '-name', '.env*', '-o', '-name', '.git', '-o', '-name', '*.key', '-o', '-name', 'node_modules', ')', '-print']).then(
        (r) => r.stdout.split('\n').filter(Boolean),
      );
    const inBase = new Set(await named(backend.baseImage));
    const added = (await named(`${image}:latest`)).filter((path) => !inBase.has(path));
    // The Node image's own production dependencies folder is what npm ci wrote, not the host's.
    expect(added.filter((path) => path !== '/app/node_modules')).toEqual([]);
  });

  it(`does not put ${backend.credentialsFile} (a registry token) in the image`, async () => {
    expect(await filesHolding(tokenMarker)).toEqual([]);
  });
});

describe('faults: a registry that requires credentials', () => {
  let ws: TestWorkspace;
  let registry: TestRegistry;
  let wrong: DockerConfig;
  let right: DockerConfig;
  let image: string;
  const password = randomBytes(12).toString('hex');
  const recordPath = 'dist/docker/pushme/docker-build.json';
  const remote = (ref: string, config: DockerConfig) => run('docker', ['buildx', 'imagetools', 'inspect', ref], { env: config.env });

  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: htpasswdEntry('nxb', password) });
    wrong = createDockerConfig(registry.host, 'nxb', `wrong-${password}`);
    right = createDockerConfig(registry.host, 'nxb', password);
    ws = createTestWorkspace('auth');
    image = `${ws.imagePrefix}-pushme`;
    ws.write('apps/pushme/Dockerfile', 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
    ws.write('apps/pushme/.dockerignore', 'project.json\n');
    ws.write('apps/pushme/app.txt', `pushme ${ws.imagePrefix}\n`);
    addProject(ws, 'pushme', 'apps/pushme', { image, registry: registry.host, push: true, tags: ['1.0.0'] });
  });

  afterAll(async () => {
    await ws?.cleanup();
    await registry?.stop();
    wrong?.remove();
    right?.remove();
  });

  function expectRefusal(result: RunResult): void {
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(registry.host);
    expect(result.output).toContain('docker login');
    expect(result.output).not.toMatch(STACK_LINE);
  }

  it('with wrong credentials and no earlier run: fails naming the registry and docker login, records nothing as built or skipped', async () => {
    // The registry really checks: the wrong credentials are refused outside nx too.
    expect((await remote(`${registry.host}/${image}:1.0.0`, wrong)).output).toMatch(/401|unauthorized/i);

    const result = await ws.nx(['run', 'pushme:docker-build'], wrong.env);
    expectRefusal(result);
    if (existsSync(join(ws.root, recordPath))) {
      const record = ws.readJson<BuildRecord>(recordPath);
      expect(record.status).toBe('failed');
      expect(record.pushed).not.toBe(true);
    }
    expect((await remote(`${registry.host}/${image}:1.0.0`, right)).exitCode).not.toBe(0);
  });

  it('a failed record is written for the refusal (no record is only acceptable before the first run ever)', () => {
    // Issue 9 item 10 allows "no record"; the executor's contract is a failed record for every error after the
    // options were accepted.
    expect(existsSync(join(ws.root, recordPath))).toBe(true);
    expect(ws.readJson<BuildRecord>(recordPath).status).toBe('failed');
  });

  it('with the right credentials: builds and pushes', async () => {
    const result = await ws.nx(['run', 'pushme:docker-build'], right.env);
    expectSuccess(result, 'nx run pushme:docker-build');
    const record = ws.readJson<BuildRecord>(recordPath);
    expect(record.status).toBe('built');
    expect(record.pushed).toBe(true);
    expect((await remote(`${registry.host}/${image}:1.0.0`, right)).exitCode).toBe(0);
    expect((await remote(`${registry.host}/${image}:${record.hashTag}`, right)).exitCode).toBe(0);
  });

  it('a tag added later is written with the stored credentials as a copy of the manifest: the hash tag’s digest', async () => {
    addProject(ws, 'pushme', 'apps/pushme', { image, registry: registry.host, push: true, tags: ['1.0.0', '1.0.1'] });
    const result = await ws.nx(['run', 'pushme:docker-build'], right.env);
    expectSuccess(result, 'nx run pushme:docker-build');
    const record = ws.readJson<BuildRecord>(recordPath);
    expect(record.status).toBe('skipped');
    const digest = async (tag: string) => {
      const response = await fetch(registryApiUrl(registry.host, `${image}/manifests/${tag}`), {
        method: 'HEAD',
        headers: {
          Authorization: `Basic ${Buffer.from(`nxb:${password}`).toString('base64')}`,
          Accept: MANIFEST_TYPES,
        },
      });
      expect(response.status).toBe(200);
      return response.headers.get('docker-content-digest');
    };
    expect(await digest('1.0.1')).toBe(await digest(record.hashTag));
    addProject(ws, 'pushme', 'apps/pushme', { image, registry: registry.host, push: true, tags: ['1.0.0'] });
  });

  it('with wrong credentials after a successful push: fails, and the earlier "built" record does not stay behind', async () => {
    const result = await ws.nx(['run', 'pushme:docker-build'], wrong.env);
    expectRefusal(result);
    const record = ws.readJson<BuildRecord>(recordPath);
    expect(record.status).toBe('failed');
    expect(record.error).toContain('docker login');
  });
});

describe('faults: the record cannot be written', () => {
  let ws: TestWorkspace;
  let image: string;
  let single: RunResult;
  const blocked = 'blocked';

  beforeAll(async () => {
    ws = createTestWorkspace('record');
    image = `${ws.imagePrefix}-rec`;
    ws.write('apps/rec/Dockerfile', 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
    ws.write('apps/rec/.dockerignore', 'project.json\n');
    ws.write('apps/rec/app.txt', `rec ${ws.imagePrefix}\n`);
    // A regular file where the record folder's parent should be: mkdir and writes under it fail with ENOTDIR.
    ws.write(blocked, 'a regular file\n');
    addProject(ws, 'rec', 'apps/rec', { image, recordDir: `${blocked}/records` });
    single = await ws.nx(['run', 'rec:docker-build']);
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  function expectNothingLeft(): void {
    expect(statSync(join(ws.root, blocked)).isFile()).toBe(true);
    expect(ws.read(blocked)).toBe('a regular file\n');
    expect(tempFilesUnder(ws)).toEqual([]);
    expect(existsSync(join(ws.root, 'dist/docker/rec'))).toBe(false);
  }

  it('fails the task with the path in the message, no stack trace, and nothing partial left', () => {
    expect(single.exitCode).not.toBe(0);
    expect(single.output).toContain(`${blocked}/records`);
    expect(single.output).not.toMatch(STACK_LINE);
    expectNothingLeft();
  });

  it('finds out before building: nothing is built or hash-tagged', async () => {
    expect(single.output).not.toContain('rec: building');
    const tagged = (await runOk('docker', ['image', 'ls', '--format', '{{.Tag}}', image])).stdout.split('\n').filter(Boolean);
    expect(tagged).toEqual([]);
  });

  it('fails the same way in batch mode', async () => {
    const batch = await ws.nx(['run-many', '-t', 'docker-build', '-p', 'rec', '--batch', '--output-style=static']);
    expect(batch.exitCode).not.toBe(0);
    expect(batch.output).toContain(`${blocked}/records`);
    expect(batch.output).not.toMatch(STACK_LINE);
    expectNothingLeft();
  });

  it('an unchanged image that needs a new tag is not tagged when its record cannot be written; one that needs nothing is skipped', async () => {
    // Built once with a writable record folder, then asked for under a new tag with the folder blocked.
    const other = 'apps/rec2';
    ws.write(`${other}/Dockerfile`, 'FROM debian:bookworm-slim\nCOPY app.txt /app.txt\n');
    ws.write(`${other}/app.txt`, `rec2 ${ws.imagePrefix}\n`);
    ws.write(`${other}/.dockerignore`, 'project.json\n');
    const image2 = `${ws.imagePrefix}-rec2`;
    addProject(ws, 'rec2', other, { image: image2, tags: ['latest'] });
    expectSuccess(await ws.nx(['run', 'rec2:docker-build']));

    addProject(ws, 'rec2', other, { image: image2, tags: ['latest', 'v2'], recordDir: `${blocked}/records2` });
    const retag = await ws.nx(['run', 'rec2:docker-build']);
    expect(retag.exitCode).not.toBe(0);
    expect(retag.output).toContain(`${blocked}/records2`);
    expect(retag.output).not.toMatch(STACK_LINE);
    // Found unchanged, not built: the record folder is no input of the image.
    expect(retag.output).not.toContain('rec2: building');
    expect(await imageExists(`${image2}:latest`)).toBe(true);
    expect(await imageExists(`${image2}:v2`)).toBe(false);

    // Nothing to change, only a record to write: the write itself fails, and says where.
    addProject(ws, 'rec2', other, { image: image2, tags: ['latest'], recordDir: `${blocked}/records2` });
    const noOp = await ws.nx(['run', 'rec2:docker-build']);
    expect(noOp.exitCode).not.toBe(0);
    expect(noOp.output).toContain(`${blocked}/records2`);
    expect(noOp.output).not.toMatch(STACK_LINE);
    expect(tempFilesUnder(ws)).toEqual([]);
  });
});
