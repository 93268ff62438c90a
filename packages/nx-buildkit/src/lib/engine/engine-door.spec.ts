import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, normalize, relative, sep } from 'node:path';
import * as ts from 'typescript';
import { connectEngine } from './client';
import { EngineDoor } from './engine-door';
import { MAX_SMALL_BODY_BYTES } from './registry-http';

/**
 * One door to the engine: every process and every network connection of the plugin starts in lib/engine, and there
 * only through the engine client's door (engine-door.ts), which counts it. A module elsewhere that could start a
 * docker process or open a registry connection unseen by the run's counter fails here, named.
 */
const SRC = join(__dirname, '..', '..');
const ENGINE = __dirname;

/** Modules that start a process or open a connection. */
const SPAWNING_OR_CONNECTING = new Set([
  ...['child_process', 'http', 'https', 'http2', 'net', 'tls', 'dgram'].flatMap((builtin) => [builtin, `node:${builtin}`]),
  'execa',
  'undici',
  'node-fetch',
]);

/** The engine's own modules that do: the process helper, the registry HTTP exchange, the Engine API client. */
const RAW_ACCESS = ['run-process.ts', 'registry-http.ts', 'client.ts'].map((file) => join(ENGINE, file));

/** The two modules whose functions start a process or a registry request: only the door may call them. */
const DOOR_ONLY = ['run-process', 'registry-http'].map((file) => join(ENGINE, file));
const DOOR_ONLY_VALUES = new Set(['runProcess', 'registryExchange']);
const DOOR = join(ENGINE, 'engine-door.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface ModuleUse {
  readonly specifier: string;
  /** The value names imported (empty for a namespace, side-effect or dynamic import). */
  readonly names: readonly string[];
}

/**
 * What a file imports (static imports, re-exports, `import()` and `require()`) and whether it calls `fetch(`: read
 * from the syntax tree, so a `fetch(` inside a string (the HEALTHCHECK of a generated Dockerfile) is no call.
 */
function scanSource(fileName: string, text: string): { modules: ModuleUse[]; fetchCalls: number[] } {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const modules: ModuleUse[] = [];
  const fetchCalls: number[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      modules.push({ specifier: node.moduleSpecifier.text, names: importedValueNames(node) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      modules.push({ specifier: node.moduleReference.expression.text, names: [] });
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const callsModule = node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require');
      if (callsModule && first && ts.isStringLiteralLike(first)) modules.push({ specifier: first.text, names: [] });
      if (calledName(node.expression) === 'fetch') fetchCalls.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    } else if (ts.isImportTypeNode(node)) {
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { modules, fetchCalls };
}

/** The values (not types) an import or re-export names, as the imported module calls them. */
function importedValueNames(node: ts.ImportDeclaration | ts.ExportDeclaration): string[] {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly || !node.exportClause || !ts.isNamedExports(node.exportClause)) return [];
    return node.exportClause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
  }
  const clause = node.importClause;
  if (!clause || clause.isTypeOnly || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return [];
  return clause.namedBindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
}

/** `fetch`, `globalThis.fetch`, `window.fetch`: the name a call calls. */
function calledName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function resolved(file: string, specifier: string): string | undefined {
  return specifier.startsWith('.') ? normalize(join(dirname(file), specifier)).replace(/\.ts$/, '') : undefined;
}

/** Why a file breaks the door, one line each; none for a file that keeps to it. */
function doorViolations(file: string, text: string): string[] {
  const name = relative(SRC, file);
  const inEngine = !relative(ENGINE, file).startsWith('..');
  const { modules, fetchCalls } = scanSource(file, text);
  const violations: string[] = [];
  for (const use of modules) {
    if (SPAWNING_OR_CONNECTING.has(use.specifier) && !RAW_ACCESS.includes(file)) {
      violations.push(`${name} imports "${use.specifier}": start processes and registry requests through the engine client (lib/engine/client.ts)`);
    }
    const target = resolved(file, use.specifier);
    if (target && DOOR_ONLY.includes(target)) {
      if (!inEngine) violations.push(`${name} imports lib/engine/${relative(ENGINE, target)}.ts: use the run's engine client (run, registryRequest) instead`);
      else if (file !== DOOR && use.names.some((imported) => DOOR_ONLY_VALUES.has(imported))) {
        violations.push(`${name} imports ${use.names.filter((imported) => DOOR_ONLY_VALUES.has(imported)).join(', ')}: call the engine client's run or registryRequest, which count the call`);
      }
    }
  }
  for (const line of fetchCalls) violations.push(`${name}:${line} calls fetch(): make registry requests through the engine client (registryRequest)`);
  return violations;
}

describe('one door to the engine', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree, lib/engine and the generators included', () => {
    expect(files).toContain(join(ENGINE, 'client.ts'));
    expect(files.some((file) => relative(SRC, file).startsWith(`generators${sep}`))).toBe(true);
  });

  it('nothing outside lib/engine starts a process or opens a connection, and inside only the door calls the process helper or the registry exchange', () => {
    const violations = files.flatMap((file) => doorViolations(file, readFileSync(file, 'utf8')));
    expect(violations).toEqual([]);
  });

  it('names the file and the reason for each kind of breach', () => {
    const image = join(SRC, 'lib', 'image', 'example.ts');
    expect(doorViolations(image, "import { execa } from 'execa';\nimport { spawn } from 'node:child_process';")).toEqual([
      'lib/image/example.ts imports "execa": start processes and registry requests through the engine client (lib/engine/client.ts)',
      'lib/image/example.ts imports "node:child_process": start processes and registry requests through the engine client (lib/engine/client.ts)',
    ]);
    expect(doorViolations(image, "const https = require('https');\nexport const load = () => import('net');")).toHaveLength(2);
    expect(doorViolations(image, "import { runProcess } from '../engine/run-process';")).toEqual([
      'lib/image/example.ts imports lib/engine/run-process.ts: use the run\'s engine client (run, registryRequest) instead',
    ]);
    expect(doorViolations(image, "import type { RegistryHttpAnswer } from '../engine/registry-http';")).toHaveLength(1);
    expect(doorViolations(image, "export async function look(url: string) {\n  return globalThis.fetch(url);\n}\nfetch(url);")).toEqual([
      'lib/image/example.ts:2 calls fetch(): make registry requests through the engine client (registryRequest)',
      'lib/image/example.ts:4 calls fetch(): make registry requests through the engine client (registryRequest)',
    ]);
    const engineModule = join(ENGINE, 'example.ts');
    expect(doorViolations(engineModule, "import { registryExchange, RegistryHttpError } from './registry-http';")).toEqual([
      'lib/engine/example.ts imports registryExchange: call the engine client\'s run or registryRequest, which count the call',
    ]);
    expect(doorViolations(engineModule, "import { MAX_MANIFEST_BYTES, RegistryHttpError } from './registry-http';\nimport type { ProcessResult } from './run-process';")).toEqual([]);
  });

  it('a fetch( inside generated Dockerfile text is no call', () => {
    const generator = join(SRC, 'generators', 'backend', 'example.ts');
    const text = "const port = 3000;\nexport const line = `  CMD [\"node\", \"-e\", \"fetch('http://127.0.0.1:${port}/')\"]`;\nconst quoted = 'fetch(x)';";
    expect(doorViolations(generator, text)).toEqual([]);
  });
});

describe('the door counts what it starts', () => {
  let server: Server;
  let host: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200).end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a process is a call, whether or not the program could start', async () => {
    const engine = connectEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    const result = await engine.run(['--version']);
    expect(result.exitCode === 0 || result.spawnError !== undefined).toBe(true);
    expect(engine.calls).toBe(1);
  });

  it('a registry request is a call, like an API round trip', async () => {
    const engine = connectEngine({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(engine.calls).toBe(0);
    const answer = await engine.registryRequest(`http://${host}/v2/`, { method: 'GET', headers: {}, maxBodyBytes: MAX_SMALL_BODY_BYTES, deadlineMs: 5_000, what: 'the API root' });
    expect(answer.body.toString('utf8')).toBe('ok');
    expect(engine.calls).toBe(1);
    await expect(engine.ping()).rejects.toThrow(/not answering/);
    expect(engine.calls).toBe(2);
  });
});

/** A docker client's door, as the engine clients extend it. */
class DockerDoor extends EngineDoor {
  constructor() {
    super('docker');
  }
}

const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

describeOnLinux('the door starts the buildx plugin directly when the docker CLI on PATH is the CLI itself', () => {
  let dir: string;
  let pluginLog: string;
  const saved = { PATH: process.env.PATH, DOCKER_CONFIG: process.env.DOCKER_CONFIG };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nxb-door-'));
    pluginLog = join(dir, 'plugin.log');
    // A program (not a script) whose own name is docker, first on PATH: it succeeds and does nothing.
    mkdirSync(join(dir, 'bin'));
    copyFileSync(['/usr/bin/true', '/bin/true'].find((path) => existsSync(path)) as string, join(dir, 'bin', 'docker'));
    // The config folder's buildx plugin, which says how it was started.
    mkdirSync(join(dir, 'config', 'cli-plugins'), { recursive: true });
    writeFileSync(join(dir, 'config', 'cli-plugins', 'docker-buildx'), `#!/bin/sh\necho "$* | cli=$DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND" >> "${pluginLog}"\n`, { mode: 0o755 });
    process.env.PATH = `${join(dir, 'bin')}${delimiter}${saved.PATH}`;
    process.env.DOCKER_CONFIG = join(dir, 'config');
  });

  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.DOCKER_CONFIG === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = saved.DOCKER_CONFIG;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs `buildx …` as the plugin, told which CLI it stands for, and counts it as one call', async () => {
    const door = new DockerDoor();
    const result = await door.run(['buildx', 'build', '--load', '.']);
    expect(result.exitCode).toBe(0);
    expect(readFileSync(pluginLog, 'utf8')).toBe(`buildx build --load . | cli=${join(dir, 'bin', 'docker')}\n`);
    expect(door.calls).toBe(1);
  });

  it('runs anything else through the CLI', async () => {
    const door = new DockerDoor();
    expect((await door.run(['version'])).exitCode).toBe(0);
    expect(existsSync(pluginLog)).toBe(false);
  });

  it('goes through the CLI when the plugin found is gone by the time it is started', async () => {
    const door = new DockerDoor();
    await door.run(['buildx', 'version']);
    expect(readFileSync(pluginLog, 'utf8')).toMatch(/^buildx version \| cli=/);
    rmSync(join(dir, 'config', 'cli-plugins', 'docker-buildx'));
    rmSync(pluginLog);
    // The look-up is remembered for this PATH and config folder; the start fails, and the CLI (here: true) runs.
    const result = await door.run(['buildx', 'build', '.']);
    expect(result.spawnError).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(existsSync(pluginLog)).toBe(false);
    expect(door.calls).toBe(2);
  });
});
