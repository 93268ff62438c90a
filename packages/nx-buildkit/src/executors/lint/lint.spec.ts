import { ExecutorContext, logger } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import lintExecutor, { lintDockerfile } from './lint';
import { normalizeLintOptions } from './normalize-lint-options';
import type { LintExecutorSchema } from './schema';

let root: string;
let logged: { info: string[]; error: string[] };

function files(tree: Record<string, string>): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function context(projectRoot = 'apps/api', targets: Record<string, object> = {}): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'api',
    targetName: 'docker-lint',
    projectsConfigurations: { version: 2, projects: { api: { root: projectRoot, targets } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

const run = (options: LintExecutorSchema = {}) => lintExecutor(options, context());
const TARGET = { workspaceRoot: '', projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-lint' };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nxb-lint-'));
  logged = { info: [], error: [] };
  jest.spyOn(logger, 'info').mockImplementation((message) => void logged.info.push(String(message)));
  jest.spyOn(logger, 'error').mockImplementation((message) => void logged.error.push(String(message)));
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('nx-buildkit:lint', () => {
  it('prints file:line, rule, severity, why and fix, and passes on warnings', async () => {
    files({ 'apps/api/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nUSER node\n', 'apps/api/.dockerignore': 'node_modules\n' });
    expect(await run()).toEqual({ success: true });
    expect(logged.info).toEqual([
      expect.stringMatching(/^apps\/api\/Dockerfile:3 {2}cache-order\/broad-copy-before-install {2}warning {2}COPY \. \. copies the whole build context before `npm ci` \(line 4\).* Fix: Copy only package\.json and package-lock\.json/),
      expect.stringMatching(/^apps\/api\/Dockerfile:4 {2}cache-mount\/install-without-cache {2}info {2}/),
      'apps/api/Dockerfile: 1 warning, 1 info (passes, failOn: error).',
    ]);
  });

  it('fails on an error finding, and at failOn', async () => {
    files({ 'apps/api/Dockerfile': 'FROM node:20\nCOPY config/app.yaml /etc/\nUSER node\n', 'apps/api/.dockerignore': 'config\n', 'apps/api/config/app.yaml': '' });
    expect(await run()).toEqual({ success: false });
    expect(logged.info[0]).toContain('apps/api/Dockerfile:2  context/copy-ignored-path  error  COPY config/app.yaml /etc/: apps/api/.dockerignore excludes config/app.yaml');
    expect(await run({ failOn: 'none' })).toEqual({ success: true });
    files({ 'apps/api/Dockerfile': 'FROM node\nUSER node\n' });
    expect(await run()).toEqual({ success: true });
    expect(await run({ failOn: 'warning' })).toEqual({ success: false });
  });

  it('fails on a COPY source that matches nothing, but not on an output a target of the workspace writes', async () => {
    files({ 'apps/api/Dockerfile': 'FROM node:20\nCOPY dist/main.js /app/\nCOPY meta /app/meta\nUSER node\n', 'apps/api/.dockerignore': 'node_modules\n' });
    expect(await lintExecutor({}, context('apps/api', { build: { executor: 'nx:run-commands', outputs: ['{projectRoot}/dist'] } }))).toEqual({ success: false });
    expect(logged.info.filter((line) => line.includes('context/copy-source-missing'))).toEqual([
      expect.stringMatching(/^apps\/api\/Dockerfile:3 {2}context\/copy-source-missing {2}error {2}COPY meta \(line 3\): meta matches nothing in the build context/),
    ]);
  });

  it('applies rule severities', async () => {
    files({ 'apps/api/Dockerfile': 'FROM node\nUSER node\n' });
    expect(await run({ failOn: 'warning', rules: { 'base-image/unpinned-tag': 'info' } })).toEqual({ success: true });
    expect(await run({ rules: { 'base-image/unpinned-tag': 'error' } })).toEqual({ success: false });
    logged.info = [];
    await run({ rules: { 'base-image/unpinned-tag': 'off' } });
    expect(logged.info).toEqual(['apps/api/Dockerfile: no findings (passes, failOn: error).']);
  });

  it('prints one JSON report with --format json', async () => {
    files({ 'apps/api/Dockerfile': 'FROM node\nUSER node\n' });
    await run({ format: 'json' });
    expect(logged.info).toHaveLength(1);
    expect(JSON.parse(logged.info[0])).toEqual({
      dockerfile: 'apps/api/Dockerfile',
      context: 'apps/api',
      ignoreFile: null,
      failOn: 'error',
      passed: true,
      counts: { error: 0, warning: 1, info: 0 },
      findings: [expect.objectContaining({ file: 'apps/api/Dockerfile', line: 1, rule: 'base-image/unpinned-tag', severity: 'warning' })],
    });
  });

  it('uses the ignore file beside the Dockerfile first, and the context option', async () => {
    files({ 'apps/api/Dockerfile.prod': 'FROM node:20\nCOPY dist /app\nUSER node\n', 'apps/api/Dockerfile.prod.dockerignore': 'dist\n', 'apps/api/.dockerignore': '' });
    expect(await run({ dockerfile: 'apps/api/Dockerfile.prod' })).toEqual({ success: false });
    expect(logged.info[0]).toContain('apps/api/Dockerfile.prod.dockerignore excludes dist');
  });

  it('reports an invalid ignore pattern as an error naming the file', async () => {
    files({ 'apps/api/Dockerfile': 'FROM node:20\n', 'apps/api/.dockerignore': 'src/[abc\n' });
    expect(await run()).toEqual({ success: false });
    expect(logged.error).toEqual(['Ignore file "apps/api/.dockerignore" has an invalid pattern: syntax error in pattern "src/[abc": unclosed "[". Fix or remove that line (docker build rejects it too).']);
  });

  it('names the option and the fix for a missing Dockerfile, without a stack trace', async () => {
    files({ 'apps/api/project.json': '{}' });
    expect(await run({ dockerfile: 'apps/api/Dockerfile.nope' })).toEqual({ success: false });
    expect(logged.error).toEqual(['Dockerfile "apps/api/Dockerfile.nope" not found. Set "dockerfile" in the "docker-lint" options of project "api" to an existing file (a path relative to the workspace root).']);
    expect(logged.error.join('\n')).not.toMatch(/\n\s+at /);
  });
});

describe('normalizeLintOptions', () => {
  beforeEach(() => files({ 'apps/api/Dockerfile': 'FROM x\n' }));

  it('defaults to the project Dockerfile, the project root as context, text, error', () => {
    expect(normalizeLintOptions({}, { ...TARGET, workspaceRoot: root })).toEqual({
      ...TARGET,
      workspaceRoot: root,
      dockerfile: join(root, 'apps/api/Dockerfile'),
      context: join(root, 'apps/api'),
      format: 'text',
      failOn: 'error',
      rules: {},
    });
  });

  it.each([
    [{ format: 'xml' }, 'Invalid "format" "xml" in the "docker-lint" options of project "api": use "text" or "json".'],
    [{ failOn: 'fatal' }, 'Invalid "failOn" "fatal" in the "docker-lint" options of project "api": use "error", "warning", "info" or "none".'],
    [{ rules: { 'nope/rule': 'error' } }, 'Invalid "rules" in the "docker-lint" options of project "api": unknown rule "nope/rule".'],
    [{ context: 'apps/missing' }, 'Build context "apps/missing" does not exist or is not a folder. Set "context"'],
    [{ dockerfile: '../outside/Dockerfile' }, '"dockerfile" "../outside/Dockerfile" in the "docker-lint" options of project "api" is outside the workspace'],
    [{ dockerfile: 'apps/api' }, '"apps/api" is a folder, not a Dockerfile. Set "dockerfile"'],
  ])('rejects %j', (options, message) => {
    expect(() => normalizeLintOptions(options as LintExecutorSchema, { ...TARGET, workspaceRoot: root })).toThrow(message);
  });

  it('asks which Dockerfile when the project has several, and says where it looked when it has none', () => {
    files({ 'apps/api/Dockerfile.prod': 'FROM x\n', 'apps/web/index.js': '' });
    expect(() => normalizeLintOptions({}, { ...TARGET, workspaceRoot: root })).toThrow('has several Dockerfiles (apps/api/Dockerfile, apps/api/Dockerfile.prod)');
    expect(() => normalizeLintOptions({}, { ...TARGET, workspaceRoot: root, projectRoot: 'apps/web' })).toThrow(
      'No Dockerfile found in "apps/web" (looked for Dockerfile, Dockerfile.prod, Dockerfile.frontend).',
    );
  });
});

describe('lintDockerfile', () => {
  it('says a Dockerfile that is a folder cannot be read, naming the option', () => {
    files({ 'apps/api/Dockerfile/x': '' });
    const options = { ...TARGET, workspaceRoot: root, dockerfile: join(root, 'apps/api/Dockerfile'), context: join(root, 'apps/api'), format: 'text' as const, failOn: 'error' as const, rules: {} };
    expect(() => lintDockerfile(options)).toThrow('Dockerfile "apps/api/Dockerfile" cannot be read (it is a folder). Make it readable, or set "dockerfile" in the "docker-lint" options of project "api" to another file.');
  });
});
