import { logger } from '@nx/devkit';
import type { CreateNodesContext, NxJsonConfiguration, TargetConfiguration } from '@nx/devkit';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as inference from './docker-build-targets';
import { createDockerBuildNodes, createNodes, createNodesV2 } from './plugin';
import type { NxBuildkitPluginOptions } from './plugin-options';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nxb-plugin-'));
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

function files(tree: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

const DOCKERFILE = 'FROM debian:bookworm-slim\nCOPY . /app\n';

function context(nxJson: NxJsonConfiguration = {}): CreateNodesContext {
  return { nxJsonConfiguration: nxJson, workspaceRoot: root };
}

/** The config files Nx would hand the plugin: every project.json and package.json in the tree. */
function configFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else if (entry.name === 'project.json' || entry.name === 'package.json') found.push(path);
    }
  };
  walk(root, '');
  return found.sort();
}

async function projects(options?: NxBuildkitPluginOptions, nxJson?: NxJsonConfiguration, cacheDirectory?: string) {
  const results = await createDockerBuildNodes(configFiles(), options, context(nxJson), { cacheDirectory });
  const byRoot: Record<string, { name?: string; targets: Record<string, TargetConfiguration>; metadata?: unknown }> = {};
  for (const [, result] of results) {
    for (const [projectRoot, project] of Object.entries(result.projects ?? {})) {
      expect(byRoot[projectRoot]).toBeUndefined();
      byRoot[projectRoot] = project as (typeof byRoot)[string];
    }
  }
  return byRoot;
}

async function targetsOf(projectRoot: string, options?: NxBuildkitPluginOptions, nxJson?: NxJsonConfiguration) {
  const all = await projects(options, nxJson);
  expect(all[projectRoot]).toBeDefined();
  return all[projectRoot].targets;
}

describe('createNodes', () => {
  it('is the Nx 24 pair of a project-file glob and a function, aliased as createNodesV2', async () => {
    expect(createNodesV2).toBe(createNodes);
    expect(typeof createNodes[0]).toBe('string');
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    const previous = process.env.NX_CACHE_PROJECT_GRAPH;
    process.env.NX_CACHE_PROJECT_GRAPH = 'false';
    try {
      const results = await createNodes[1](['apps/api/project.json'], undefined, context());
      expect(Object.keys(results[0][1].projects?.['apps/api']?.targets ?? {})).toEqual(['docker-build', 'docker-lint', 'nx-release-publish']);
    } finally {
      if (previous === undefined) delete process.env.NX_CACHE_PROJECT_GRAPH;
      else process.env.NX_CACHE_PROJECT_GRAPH = previous;
    }
  });
});

describe('detection', () => {
  it('infers targets only in project roots that hold a Dockerfile', async () => {
    files({
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile': DOCKERFILE,
      'apps/cli/project.json': { name: 'cli' },
      'apps/cli/main.ts': '',
      'docker/Dockerfile': DOCKERFILE,
    });
    expect(Object.keys(await projects())).toEqual(['apps/api']);
  });

  it('handles a root with both project.json and package.json once, without naming it', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/package.json': { name: '@acme/api' }, 'apps/api/Dockerfile': DOCKERFILE });
    const all = await projects();
    expect(Object.keys(all)).toEqual(['apps/api']);
    expect(all['apps/api'].name).toBeUndefined();
  });

  it('names a project defined by a package.json alone (nx.name first), so Nx accepts it outside package manager workspaces', async () => {
    files({
      'apps/web/package.json': { name: '@acme/web' },
      'apps/web/Dockerfile': DOCKERFILE,
      'apps/admin/package.json': { name: '@acme/admin', nx: { name: 'admin' } },
      'apps/admin/Dockerfile': DOCKERFILE,
      'apps/nameless/package.json': { version: '1.0.0' },
      'apps/nameless/Dockerfile': DOCKERFILE,
    });
    const all = await projects();
    expect(Object.keys(all).sort()).toEqual(['apps/admin', 'apps/web']);
    expect(all['apps/web'].name).toBe('@acme/web');
    expect(all['apps/admin'].name).toBe('admin');
    expect(all['apps/web'].targets['docker-build'].options.image).toBe('acme-web');
  });

  it('leaves the workspace root package.json alone unless it declares an nx project', async () => {
    files({ 'package.json': { name: 'workspace' }, Dockerfile: DOCKERFILE });
    expect(await projects()).toEqual({});
    files({ 'package.json': { name: 'workspace', nx: {} } });
    expect(Object.keys((await projects())['.'].targets)).toEqual(['docker-build', 'docker-lint', 'nx-release-publish']);
  });

  it('finds extra Dockerfile names from the options', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/worker.Dockerfile': DOCKERFILE });
    expect(await projects()).toEqual({});
    expect(Object.keys(await targetsOf('apps/api', { dockerfiles: ['worker.Dockerfile'] }))).toEqual(['docker-build', 'docker-lint', 'nx-release-publish']);
  });
});

describe('target names', () => {
  it('gives a single Dockerfile the target docker-build, running nx-buildkit:build on it', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE });
    const targets = await targetsOf('apps/api');
    expect(Object.keys(targets)).toEqual(['docker-build', 'docker-lint', 'nx-release-publish']);
    expect(targets['docker-build']).toMatchObject({
      executor: 'nx-buildkit:build',
      options: { dockerfile: 'apps/api/Dockerfile.prod', context: 'apps/api', image: 'api' },
      cache: false,
    });
  });

  it('names the image under the workspace namespace (the root package npm scope), unless an image template is set', async () => {
    files({ 'package.json': { name: '@acme/source', private: true }, 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE, 'apps/web/project.json': { name: 'web' }, 'apps/web/Dockerfile': DOCKERFILE, 'apps/web/Dockerfile.frontend': DOCKERFILE });
    expect((await targetsOf('apps/api'))['docker-build'].options).toMatchObject({ image: 'acme/api' });
    expect((await targetsOf('apps/web'))['docker-build-frontend'].options).toMatchObject({ image: 'acme/web-frontend' });
    expect((await targetsOf('apps/api', { image: 'team/{projectName}' }))['docker-build'].options).toMatchObject({ image: 'team/api' });
  });

  it('gives several Dockerfiles one target each and a docker-build that runs them all', async () => {
    files({
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile': DOCKERFILE,
      'apps/api/Dockerfile.prod': DOCKERFILE,
      'apps/api/Dockerfile.frontend': DOCKERFILE,
    });
    const targets = await targetsOf('apps/api');
    expect(Object.keys(targets)).toEqual(['docker-build-default', 'docker-build-prod', 'docker-build-frontend', 'docker-build', 'docker-lint-default', 'docker-lint-prod', 'docker-lint-frontend', 'docker-lint', 'nx-release-publish']);
    expect(targets['docker-build']).toMatchObject({
      executor: 'nx:noop',
      dependsOn: ['docker-build-default', 'docker-build-prod', 'docker-build-frontend'],
      cache: false,
    });
    expect(targets['docker-build-frontend'].options).toMatchObject({ dockerfile: 'apps/api/Dockerfile.frontend', image: 'api-frontend' });
    expect(targets['docker-build-default'].options).toMatchObject({ dockerfile: 'apps/api/Dockerfile', image: 'api-default' });
  });

  it('uses the targetName option for the single target and as the prefix of per-Dockerfile targets', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE });
    expect(Object.keys(await targetsOf('apps/api', { targetName: 'image' }))).toEqual(['image', 'docker-lint', 'nx-release-publish']);
    files({ 'apps/api/Dockerfile.frontend': DOCKERFILE });
    expect(Object.keys(await targetsOf('apps/api', { targetName: 'image' }))).toEqual(['image-prod', 'image-frontend', 'image', 'docker-lint-prod', 'docker-lint-frontend', 'docker-lint', 'nx-release-publish']);
  });

  it('groups the targets under Docker in the project metadata', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE, 'apps/api/Dockerfile.prod': DOCKERFILE });
    expect((await projects())['apps/api'].metadata).toEqual({ targetGroups: { Docker: ['docker-build-default', 'docker-build-prod', 'docker-build', 'docker-lint-default', 'docker-lint-prod', 'docker-lint', 'nx-release-publish'] } });
  });
});

describe('inputs of a project-root context', () => {
  it('are the Dockerfile, the ignore file and the project files minus what the ignore file excludes', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE, 'apps/api/.dockerignore': '# docs are not shipped\ndocs\n*.md\n**/*.log\n' });
    expect((await targetsOf('apps/api'))['docker-build'].inputs).toEqual([
      '{projectRoot}/Dockerfile',
      '{projectRoot}/.dockerignore',
      '{projectRoot}/**/*',
      '!{projectRoot}/docs',
      '!{projectRoot}/*.md',
      '!{projectRoot}/*.md/**',
      '!{projectRoot}/**/*.log',
      '!{projectRoot}/**/*.log/**',
    ]);
  });

  it('have no ignore file input when none applies', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    expect((await targetsOf('apps/api'))['docker-build'].inputs).toEqual(['{projectRoot}/Dockerfile', '{projectRoot}/**/*']);
  });

  it('use the ignore file beside each Dockerfile, which replaces the context .dockerignore', async () => {
    files({
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile.prod': DOCKERFILE,
      'apps/api/Dockerfile.prod.dockerignore': 'ui\n',
      'apps/api/Dockerfile.frontend': DOCKERFILE,
      'apps/api/.dockerignore': 'server\n',
    });
    const targets = await targetsOf('apps/api');
    expect(targets['docker-build-prod'].inputs).toEqual(['{projectRoot}/Dockerfile.prod', '{projectRoot}/Dockerfile.prod.dockerignore', '{projectRoot}/**/*', '!{projectRoot}/ui']);
    expect(targets['docker-build-frontend'].inputs).toEqual(['{projectRoot}/Dockerfile.frontend', '{projectRoot}/.dockerignore', '{projectRoot}/**/*', '!{projectRoot}/server']);
    // docker-build runs both: it keeps only what both leave out (nothing here), so a change to either context selects it.
    expect(targets['docker-build'].inputs).toEqual([
      '{projectRoot}/Dockerfile.prod',
      '{projectRoot}/Dockerfile.prod.dockerignore',
      '{projectRoot}/**/*',
      '{projectRoot}/Dockerfile.frontend',
      '{projectRoot}/.dockerignore',
    ]);
  });

  it('keep an exclusion in docker-build that every Dockerfile of the project shares', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE, 'apps/api/Dockerfile.frontend': DOCKERFILE, 'apps/api/.dockerignore': 'docs\n' });
    expect((await targetsOf('apps/api'))['docker-build'].inputs).toContain('!{projectRoot}/docs');
  });

  it('never exclude the Dockerfile or the ignore file, even when the context leaves them out, and say why', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE, 'apps/api/.dockerignore': 'Dockerfile\n.dockerignore\ntmp\n' });
    const target = (await targetsOf('apps/api'))['docker-build'];
    expect(target.inputs).toEqual(['{projectRoot}/Dockerfile', '{projectRoot}/.dockerignore', '{projectRoot}/**/*', '!{projectRoot}/tmp']);
    expect(target.metadata?.description).toContain('"Dockerfile" also matches "Dockerfile", which is always an input');
  });

  it('stay exact where no re-include can reach the sources the image reads, and say the caveat once', async () => {
    files({
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile': 'FROM x\nCOPY package.json ./\nCOPY src/ ./src/\nCOPY docs/ ./docs/\n',
      'apps/api/package.json': '{}',
      'apps/api/src/a.js': '',
      'apps/api/docs/a.md': '',
      'apps/api/.dockerignore': 'README.md\n**/*.log\ndocs/drafts\n!**/node_modules/@scope/x\n!pkg/**/static/**\n',
    });
    const target = (await targetsOf('apps/api'))['docker-build'];
    // README.md lies under no source, *.log and docs/drafts do but "!pkg/**/static/**" cannot reach there; "!**/node_modules/@scope/x" can.
    expect(target.inputs).toEqual(expect.arrayContaining(['!{projectRoot}/README.md']));
    expect(target.inputs).not.toContain('!{projectRoot}/docs/drafts');
    const description = String(target.metadata?.description);
    expect(description).toContain(
      'Inputs over-include where the ignore file cannot be mirrored exactly, so files it leaves out there still count: "**/*.log" may be undone by "!**/node_modules/@scope/x"; "docs/drafts" may be undone by "!**/node_modules/@scope/x".',
    );
    expect(description.match(/still count/g)).toHaveLength(1);
  });

  it('are written from the workspace root when another project lies inside the project folder', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE, 'apps/api/plugins/x/project.json': { name: 'x' } });
    expect((await targetsOf('apps/api'))['docker-build'].inputs).toEqual(['{projectRoot}/Dockerfile', '{workspaceRoot}/apps/api/**/*']);
  });
});

describe('a Dockerfile named in the dockerfiles option at the root of an integrated repo', () => {
  it('gets one clear message, since the root is no project there; a root project gets the target', async () => {
    files({ 'package.json': { name: '@acme/source' }, 'Dockerfile.dev': 'FROM x\nCOPY . .\n', Dockerfile: 'FROM x\n', 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const all = await projects({ dockerfiles: ['Dockerfile.dev'] });
    expect(all['.']).toBeUndefined();
    expect(warn.mock.calls.map(([line]) => String(line))).toEqual([
      'nx-buildkit: Dockerfile.dev at the workspace root belongs to no project (the root has no project.json and its package.json no "nx" key), so it gets no docker-build target though the "dockerfiles" option names it. Move it into the folder of the project it builds, or add a project.json at the root ({ "name": "<name>" }).',
    ]);
    warn.mockClear();
    // Not named in the option: a root Dockerfile is left alone silently.
    await projects();
    expect(warn).not.toHaveBeenCalled();
    files({ 'project.json': { name: 'source' } });
    const withRoot = await projects({ dockerfiles: ['Dockerfile.dev'] });
    expect(Object.keys(withRoot['.'].targets)).toEqual(expect.arrayContaining(['docker-build-dev']));
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('COPY sources that match nothing', () => {
  it('are named once in the description, with the line, and a build output a target writes is not one of them', async () => {
    files({
      'apps/api/project.json': { name: 'api', targets: { build: { executor: 'nx:run-commands', outputs: ['{projectRoot}/dist'] } } },
      'apps/api/package.json': '{}',
      'apps/api/Dockerfile': 'FROM x\nCOPY package.json ./\nCOPY ./meta/ /app/meta\nCOPY deps /app/deps\nCOPY dist/main.js /app/\nCOPY yarn.lock* ./\n',
    });
    const description = String((await targetsOf('apps/api'))['docker-build'].metadata?.description);
    expect(description).toContain(
      'Matches nothing in the context: COPY ./meta/ (line 3), COPY deps (line 4); the build fails with "not found" until they exist, and nx affected sees no change to them.',
    );
    expect(description).toContain('Not there until built: dist/main.js (written by api:build).');
    expect(description.match(/Matches nothing/g)).toHaveLength(1);
  });

  it('does not count another project\'s build output as missing, and says nothing once the source exists', async () => {
    files({
      'apps/web/project.json': { name: 'web', targets: { build: { outputs: ['{workspaceRoot}/out/web'] } } },
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile': 'FROM x\nCOPY out/web /srv/www\nCOPY apps/api/meta /app/meta\n',
      'apps/api/x.txt': '',
    });
    const description = String((await targetsOf('apps/api', { context: 'workspace' }))['docker-build'].metadata?.description);
    expect(description).toContain('Matches nothing in the context: COPY apps/api/meta (line 3);');
    expect(description).toContain('out/web (written by web:build)');
    files({ 'apps/api/meta/v.txt': '1' });
    expect(String((await targetsOf('apps/api', { context: 'workspace' }))['docker-build'].metadata?.description)).not.toContain('Matches nothing');
  });

  it('gives the docker-lint target a probe of the sources, so a folder made later re-runs it', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': 'FROM x\nCOPY meta /app/meta\nCOPY *.json ./\n' });
    const lint = (await targetsOf('apps/api'))['docker-lint'];
    expect(lint.inputs?.slice(-1)).toEqual([{ runtime: expect.stringMatching(/ "apps\/api" "meta"$/) }]);
  });
});

describe('inputs of a workspace-root context', () => {
  const SHARED_DOCKERFILE = 'FROM debian:bookworm-slim\nCOPY package.json package-lock.json /app/\nCOPY libs/shared /app/libs/shared\nCOPY apps/api /app/apps/api\n';

  it('is chosen when the Dockerfile copies files that exist only at the workspace root, and said so', async () => {
    files({ 'package.json': { name: 'ws' }, 'package-lock.json': '{}', 'libs/shared/index.js': '', 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': SHARED_DOCKERFILE });
    const target = (await targetsOf('apps/api'))['docker-build'];
    expect(target.options).toMatchObject({ context: '.', dockerfile: 'apps/api/Dockerfile' });
    expect(target.metadata?.description).toContain('context: the workspace root, as COPY package.json (line 2) is found from the workspace root only');
    // Only what the Dockerfile copies: a change elsewhere in the workspace neither rebuilds nor selects it.
    expect(target.inputs).toEqual([
      '{projectRoot}/Dockerfile',
      '{workspaceRoot}/package.json',
      '{workspaceRoot}/package-lock.json',
      '{workspaceRoot}/libs/shared',
      '{workspaceRoot}/apps/api',
    ]);
    expect(target.metadata?.description).toContain('Skipped when nothing it reads has changed: package.json, package-lock.json, libs/shared, apps/api');
  });

  it('takes the whole workspace as input when a workspace-root Dockerfile copies the whole context, and says how to narrow it', async () => {
    files({ 'package.json': { name: 'ws' }, 'package-lock.json': '{}', 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': 'FROM x\nCOPY package-lock.json /app/\nCOPY . /app/\n' });
    const target = (await targetsOf('apps/api'))['docker-build'];
    expect(target.inputs).toEqual(['{projectRoot}/Dockerfile', '{workspaceRoot}/**/*']);
    expect(target.metadata?.description).toContain('the whole context counts: COPY . (line 3) reads the whole context');
    expect(target.metadata?.description).toContain(
      'The context is the whole workspace, so any change selects this build; an allow-list apps/api/Dockerfile.dockerignore ("*", then "!apps/api", "!package.json", …) narrows it.',
    );
  });

  it('takes the whole context as input when a COPY source uses a variable known only at build time', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': 'FROM x\nARG SRC\nCOPY $SRC /app/\n' });
    expect((await targetsOf('apps/api'))['docker-build'].inputs).toEqual(['{projectRoot}/Dockerfile', '{projectRoot}/**/*']);
  });

  it('picks the workspace root for ARG-named sources declared on one line (ARG APP=… LIB=…)', async () => {
    files({
      'apps/api/project.json': { name: 'api' },
      'apps/api/src/main.py': '',
      'libs/shared/x.py': '',
      'apps/api/Dockerfile': 'FROM x\nARG APP=apps/api LIB=libs/shared\nCOPY $APP/src/ /app/src/\nCOPY $LIB/ /app/lib/\n',
    });
    const target = (await targetsOf('apps/api'))['docker-build'];
    expect(target.options.context).toBe('.');
    expect(target.inputs).toEqual(['{projectRoot}/Dockerfile', '{workspaceRoot}/apps/api/src', '{workspaceRoot}/libs/shared']);
  });

  it('writes folder inputs outside the project also as globs on Nx 21–23, whose nx affected matches only globs there', async () => {
    files({
      'apps/api/project.json': { name: 'api' },
      'apps/api/src/main.py': '',
      'libs/shared/x.py': '',
      'apps/api/Dockerfile': 'FROM x\nCOPY apps/api/src/ /app/src/\nCOPY libs/shared/ /app/lib/\nCOPY libs/shared/x.py /app/x.py\n',
    });
    const inputsOn = async (nxMajor: number) => {
      const results = await createDockerBuildNodes(configFiles(), undefined, context(), { nxMajor });
      const api = results.map(([, result]) => result.projects?.['apps/api']).find(Boolean);
      return api?.targets?.['docker-build'].inputs;
    };
    expect(await inputsOn(22)).toEqual([
      '{projectRoot}/Dockerfile',
      '{workspaceRoot}/apps/api/src',
      '{workspaceRoot}/apps/api/src/**/*',
      '{workspaceRoot}/libs/shared',
      '{workspaceRoot}/libs/shared/**/*',
      '{workspaceRoot}/libs/shared/x.py',
    ]);
    expect(await inputsOn(24)).toEqual(['{projectRoot}/Dockerfile', '{workspaceRoot}/apps/api/src', '{workspaceRoot}/libs/shared', '{workspaceRoot}/libs/shared/x.py']);
  });

  it('stays the project root when the copied files exist there', async () => {
    files({ 'package.json': { name: 'ws' }, 'apps/api/project.json': { name: 'api' }, 'apps/api/package.json': { name: 'api' }, 'apps/api/Dockerfile': 'FROM x\nCOPY package.json /app/\n' });
    expect((await targetsOf('apps/api'))['docker-build'].options).toMatchObject({ context: 'apps/api' });
  });

  it('with an allow-list ignore file, gives what the Dockerfile reads as positive inputs and keeps the exclusions', async () => {
    files({
      'package.json': { name: 'ws' },
      'package-lock.json': '{}',
      'tsconfig.base.json': '{}',
      'libs/shared/index.js': '',
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile': SHARED_DOCKERFILE,
      'apps/api/Dockerfile.dockerignore': '*\n!apps/api\n!libs/shared\n!package.json\n!package-lock.json\n!tsconfig.base.json\n**/node_modules\n**/*.md\n',
    });
    expect((await targetsOf('apps/api'))['docker-build'].inputs).toEqual([
      '{projectRoot}/Dockerfile',
      '{projectRoot}/Dockerfile.dockerignore',
      // What the Dockerfile copies (tsconfig.base.json is sent but not read), less what the ignore file excludes.
      '{workspaceRoot}/package.json',
      '{workspaceRoot}/package-lock.json',
      '{workspaceRoot}/libs/shared',
      '{workspaceRoot}/apps/api',
      '!{workspaceRoot}/**/node_modules',
      '!{workspaceRoot}/**/node_modules/**',
      '!{workspaceRoot}/**/*.md',
      '!{workspaceRoot}/**/*.md/**',
    ]);
  });

  it('reads the workspace .dockerignore when no ignore file sits beside the Dockerfile', async () => {
    files({ '.dockerignore': '*\n!apps/api\n', 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    expect((await targetsOf('apps/api', { context: 'workspace' }))['docker-build'].inputs).toEqual([
      '{projectRoot}/Dockerfile',
      '{workspaceRoot}/.dockerignore',
      '{workspaceRoot}/apps/api',
    ]);
  });

  it('follows the context option, and a context set for the target in project.json or targetDefaults', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': 'FROM x\nCOPY package-lock.json /app/\n', 'package-lock.json': '{}' });
    expect((await targetsOf('apps/api', { context: 'project' }))['docker-build'].options.context).toBe('apps/api');
    expect((await targetsOf('apps/api', {}, { targetDefaults: { 'docker-build': { options: { context: '{projectRoot}' } } } }))['docker-build'].options.context).toBe('apps/api');
    files({ 'apps/api/project.json': { name: 'api', targets: { 'docker-build': { options: { context: 'apps' } } } } });
    const target = (await targetsOf('apps/api'))['docker-build'];
    expect(target.options.context).toBe('apps');
    expect(target.inputs).toEqual(['{projectRoot}/Dockerfile', '{workspaceRoot}/apps/package-lock.json']);
  });
});

describe('dependsOn', () => {
  it('includes the build target when the Dockerfile copies its output', async () => {
    files({
      'apps/api/project.json': { name: 'api', targets: { build: { outputs: ['{workspaceRoot}/dist/{projectRoot}'] } } },
      'apps/api/Dockerfile': 'FROM x\nCOPY dist/apps/api /app\n',
      'apps/api/Dockerfile.dockerignore': '*\n!dist/apps/api\n',
    });
    const target = (await targetsOf('apps/api'))['docker-build'];
    expect(target.options.context).toBe('.');
    expect(target.dependsOn).toEqual(['build']);
    // dist/ is not in git, so no file input sees a rebuild; this input carries "affected" over from the build.
    expect(target.inputs).toContainEqual({ dependentTasksOutputFiles: '**/*', transitive: false });
  });

  it("includes the build target when the Dockerfile copies the project's own dist/ and the build declares no outputs (erxes)", async () => {
    files({
      'package.json': { name: 'erxes', workspaces: ['backend/*'] },
      'backend/core-api/package.json': { name: 'core-api', scripts: { build: 'tsc' } },
      'backend/core-api/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY backend/core-api/dist ./dist\nCMD ["node", "dist/main.js"]\n',
    });
    const target = (await targetsOf('backend/core-api'))['docker-build'];
    expect(target.options.context).toBe('.');
    expect(target.dependsOn).toEqual(['build']);
    expect(target.inputs).toContainEqual({ dependentTasksOutputFiles: '**/*', transitive: false });
  });

  it('resolves {options.outputPath} and uses the buildTargetName option', async () => {
    files({
      'apps/api/project.json': { name: 'api', targets: { compile: { outputs: ['{options.outputPath}'], options: { outputPath: 'out/api' } } } },
      'apps/api/Dockerfile': 'FROM x\nCOPY out/api /app\n',
    });
    expect((await targetsOf('apps/api', { buildTargetName: 'compile' }))['docker-build'].dependsOn).toEqual(['compile']);
    expect((await targetsOf('apps/api'))['docker-build'].dependsOn).toBeUndefined();
  });

  it('includes a build target another plugin infers (no file names its outputs) when the Dockerfile copies what git ignores', async () => {
    files({
      '.gitignore': 'dist\n.next\nnode_modules\n',
      // @nx/next/plugin infers "build" with outputs {projectRoot}/.next: neither project.json nor nx.json says so.
      'apps/site/project.json': { name: 'site', targets: {} },
      'apps/site/next.config.js': 'module.exports = { output: "standalone" };\n',
      'apps/site/public/favicon.ico': '',
      'apps/site/Dockerfile': 'FROM x\nCOPY apps/site/.next/standalone ./\nCOPY apps/site/.next/static ./apps/site/.next/static\nCOPY apps/site/public ./apps/site/public\n',
    });
    const target = (await targetsOf('apps/site'))['docker-build'];
    expect(target.options.context).toBe('.');
    expect(target.dependsOn).toEqual(['build']);
    expect(target.inputs).toContainEqual({ dependentTasksOutputFiles: '**/*', transitive: false });
  });

  it('does not take node_modules, or a folder git tracks, for a build output', async () => {
    files({
      '.gitignore': 'dist\nnode_modules\n',
      'apps/api/project.json': { name: 'api', targets: {} },
      'apps/api/Dockerfile': 'FROM x\nCOPY node_modules ./node_modules\nCOPY apps/api/src ./src\n',
    });
    expect((await targetsOf('apps/api'))['docker-build'].dependsOn).toBeUndefined();
  });

  it('leaves the build out when the Dockerfile builds from sources', async () => {
    files({ 'apps/api/project.json': { name: 'api', targets: { build: {} } }, 'apps/api/Dockerfile': 'FROM x\nCOPY . /src\nRUN make\n' });
    const target = (await targetsOf('apps/api'))['docker-build'];
    expect(target.dependsOn).toBeUndefined();
    expect(target.inputs).not.toContainEqual(expect.objectContaining({ dependentTasksOutputFiles: expect.anything() }));
  });
});

describe('options', () => {
  it('pass image naming, registry, platforms, tags and push to every target', async () => {
    files({ 'apps/api/project.json': { name: '@acme/api' }, 'apps/api/Dockerfile.prod': DOCKERFILE, 'apps/api/Dockerfile.frontend': DOCKERFILE });
    const targets = await targetsOf('apps/api', { image: 'acme/{projectName}', registry: 'localhost:5000', platforms: ['linux/amd64'], tags: ['latest', 'v1'], push: true });
    expect(targets['docker-build-prod'].options).toEqual({
      dockerfile: 'apps/api/Dockerfile.prod',
      context: 'apps/api',
      image: 'acme/acme-api-prod',
      registry: 'localhost:5000',
      platforms: ['linux/amd64'],
      tags: ['latest', 'v1'],
      push: true,
    });
    expect(targets['docker-build-frontend'].options.image).toBe('acme/acme-api-frontend');
  });

  it('pass the engine to every target, and none when unset (each build then detects it)', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    expect((await targetsOf('apps/api', { engine: 'podman' }))['docker-build'].options.engine).toBe('podman');
    expect((await targetsOf('apps/api', {}))['docker-build'].options).not.toHaveProperty('engine');
  });

  it('are rejected with the option and the fix named', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    await expect(projects({ image: 'acme/{projectName}:latest' })).rejects.toThrow(/Invalid "image" "acme\/\{projectName\}:latest" in the "nx-buildkit" plugin options in nx.json: .*without tag/);
    await expect(projects({ image: 'acme corp/{projectName}' })).rejects.toThrow(/Invalid "image" "acme corp\/\{projectName\}"/);
    await expect(projects({ dockerfiles: ['docker/Dockerfile'] } as NxBuildkitPluginOptions)).rejects.toThrow(/give a file name such as "Dockerfile.worker", not a path/);
  });
});

describe('metadata', () => {
  it('says what the target does and how to get help', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE });
    const { metadata } = (await targetsOf('apps/api'))['docker-build'];
    // Not 'docker': nx release would hand the project to @nx/docker (project-config.ts says why).
    expect(metadata?.technologies).toEqual(['buildkit']);
    expect(metadata?.description).toBe(
      'Builds the image "api" from apps/api/Dockerfile.prod with BuildKit (context: apps/api). Skipped when nothing the context sends has changed (the whole context counts: COPY . (line 2) reads the whole context).',
    );
    expect(metadata?.help).toEqual({
      command: 'npx nx run api:docker-build --help',
      example: { options: { tags: ['latest', '1.2.3'], registry: 'localhost:5000', push: true, platforms: ['linux/amd64'] } },
    });
  });
});

describe('errors', () => {
  it('name the ignore file and the fix for an invalid pattern', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE, 'apps/api/.dockerignore': 'src/[abc\n' });
    files({ 'apps/web/project.json': { name: 'web' }, 'apps/web/Dockerfile': DOCKERFILE });
    // Nx reports each failing file and keeps the other projects' targets (AggregateCreateNodesError).
    const error = await projects().then(
      () => undefined,
      (e: { errors: Array<[string, Error]>; partialResults: Array<[string, { projects?: object }]> }) => e,
    );
    expect(error?.errors.map(([file, e]) => [file, e.message])).toEqual([
      ['apps/api/project.json', 'Ignore file "apps/api/.dockerignore" has an invalid pattern: syntax error in pattern "src/[abc": unclosed "[". Fix or remove that line (docker build rejects it too).'],
    ]);
    expect(error?.partialResults.map(([file, result]) => [file, Object.keys(result.projects ?? {})])).toContainEqual(['apps/web/project.json', ['apps/web']]);
  });
});

describe('cache', () => {
  const spyInference = () => jest.spyOn(inference, 'inferDockerBuildProject');

  it('reuses targets while nothing inference read has changed, and recomputes when something has', async () => {
    const cacheDirectory = join(root, '.nx/workspace-data');
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE, 'apps/api/.dockerignore': 'docs\n' });
    const spy = spyInference();
    const first = await projects(undefined, undefined, cacheDirectory);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(readdirSync(cacheDirectory).filter((name) => name.startsWith('nx-buildkit-'))).toHaveLength(1);

    expect(await projects(undefined, undefined, cacheDirectory)).toEqual(first);
    expect(spy).toHaveBeenCalledTimes(1);

    files({ 'apps/api/.dockerignore': 'docs\ntmp\n' });
    const third = await projects(undefined, undefined, cacheDirectory);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(third['apps/api'].targets['docker-build'].inputs).toContain('!{projectRoot}/tmp');

    // A new Dockerfile where inference looked for one is a change too.
    files({ 'apps/api/Dockerfile.prod': DOCKERFILE });
    expect(Object.keys((await projects(undefined, undefined, cacheDirectory))['apps/api'].targets)).toContain('docker-build-prod');
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('keeps one cache file per options', async () => {
    const cacheDirectory = join(root, '.nx/workspace-data');
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    await projects({ targetName: 'a' }, undefined, cacheDirectory);
    await projects({ targetName: 'b' }, undefined, cacheDirectory);
    expect(readdirSync(cacheDirectory).filter((name) => name.startsWith('nx-buildkit-'))).toHaveLength(2);
  });

  it('is bypassed with NX_CACHE_PROJECT_GRAPH=false: nothing read from or written to it', async () => {
    const cacheDirectory = join(root, '.nx/workspace-data');
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': DOCKERFILE });
    const spy = spyInference();
    await projects(undefined, undefined, cacheDirectory);
    const previous = process.env.NX_CACHE_PROJECT_GRAPH;
    process.env.NX_CACHE_PROJECT_GRAPH = 'false';
    try {
      await projects(undefined, undefined, cacheDirectory);
      expect(spy).toHaveBeenCalledTimes(2);
      rmSync(cacheDirectory, { recursive: true, force: true });
      await projects(undefined, undefined, cacheDirectory);
      expect(spy).toHaveBeenCalledTimes(3);
      expect(existsSync(cacheDirectory)).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.NX_CACHE_PROJECT_GRAPH;
      else process.env.NX_CACHE_PROJECT_GRAPH = previous;
    }
  });
});

describe('build args from the environment', () => {
  it('adds an env input for each build arg the target reads from the environment', async () => {
    files({
      'apps/api/project.json': { name: 'api', targets: { 'docker-build': { options: { buildArgsFromEnv: ['GIT_SHA', 'RELEASE'] } } } },
      'apps/api/Dockerfile': DOCKERFILE,
    });
    const inputs = (await targetsOf('apps/api'))['docker-build'].inputs ?? [];
    expect(inputs).toEqual(expect.arrayContaining([{ env: 'GIT_SHA' }, { env: 'RELEASE' }]));
  });
});

describe('image dependencies between projects', () => {
  it('makes a build whose Dockerfile starts FROM another project image depend on that build, every time', async () => {
    files({
      'nx.json': {},
      'images/base/project.json': { name: 'base' },
      'images/base/Dockerfile': 'FROM debian:bookworm-slim\nRUN true\n',
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile': 'ARG BASE=acme-base\nFROM ${BASE}\nCOPY . /app\n',
    });
    const cacheDirectory = mkdtempSync(join(tmpdir(), 'nxb-cache-'));
    try {
      const options = { image: 'acme-{projectName}' };
      for (let run = 0; run < 2; run++) {
        const results = await createDockerBuildNodes(configFiles(), options, context(), { cacheDirectory });
        const api = results.flatMap(([, r]) => Object.values(r.projects ?? {})).find((p) => p.root === 'apps/api');
        expect(api?.targets?.['docker-build'].dependsOn).toEqual([{ projects: ['base'], target: 'docker-build' }]);
      }
      // The base images are kept with the cached targets: a changed FROM is seen, a cached one needs no parse.
      files({ 'apps/api/Dockerfile': 'FROM debian:bookworm-slim\nCOPY . /app\n' });
      const rebased = await createDockerBuildNodes(configFiles(), options, context(), { cacheDirectory });
      expect(rebased.flatMap(([, r]) => Object.values(r.projects ?? {})).find((p) => p.root === 'apps/api')?.targets?.['docker-build'].dependsOn).toBeUndefined();
      files({ 'apps/api/Dockerfile': 'ARG BASE=acme-base\nFROM ${BASE}\nCOPY . /app\n' });
      const all = await projects(options);
      expect(all['images/base'].targets['docker-build'].dependsOn).toBeUndefined();
      // nx release publishes (and, when needed, builds) the base first.
      expect(all['apps/api'].targets['nx-release-publish'].dependsOn).toEqual([{ projects: ['base'], target: 'nx-release-publish' }]);
      expect(all['images/base'].targets['nx-release-publish'].dependsOn).toBeUndefined();
    } finally {
      rmSync(cacheDirectory, { recursive: true, force: true });
    }
  });
});

describe('image dependencies on a cache hit', () => {
  it('links a build FROM another project image without reading or parsing anything beyond checking what inference read', async () => {
    files({
      'nx.json': {},
      'images/base/project.json': { name: 'base' },
      'images/base/Dockerfile': 'FROM debian:bookworm-slim\nRUN true\n',
      'apps/api/project.json': { name: 'api' },
      'apps/api/Dockerfile': 'ARG BASE=acme-base\nFROM ${BASE}\nCOPY . /app\n',
      'apps/web/package.json': { name: 'web' },
      'apps/web/Dockerfile': 'FROM acme-api\n',
    });
    const cacheDirectory = join(root, '.nx/workspace-data');
    const options = { image: 'acme-{projectName}' };
    const dependsOnOf = (all: Awaited<ReturnType<typeof projects>>, projectRoot: string) => all[projectRoot].targets['docker-build'].dependsOn;
    const first = await projects(options, undefined, cacheDirectory);
    expect(dependsOnOf(first, 'apps/api')).toEqual([{ projects: ['base'], target: 'docker-build' }]);
    expect(dependsOnOf(first, 'apps/web')).toEqual([{ projects: ['api'], target: 'docker-build' }]);

    const inferred = jest.spyOn(inference, 'inferDockerBuildProject');
    // The module object itself (an `import *` namespace cannot be spied on): what every module's readFileSync calls.
    const nodeFs = require('node:fs') as typeof import('node:fs');
    const read = nodeFs.readFileSync;
    const reads: string[] = [];
    jest.spyOn(nodeFs, 'readFileSync').mockImplementation(((path: import('node:fs').PathOrFileDescriptor, ...rest: unknown[]) => {
      if (typeof path === 'string' && path.startsWith(root) && !path.includes('workspace-data')) reads.push(path.slice(root.length + 1));
      return read(path, ...(rest as [undefined]));
    }) as typeof read);
    const again = await projects(options, undefined, cacheDirectory);
    expect(again).toEqual(first);
    expect(inferred).not.toHaveBeenCalled();
    // Each project's files are read once, to see that they are unchanged (the workspace root's, such as package.json,
    // once for each project whose inference read them): none again to link the images.
    const projectFiles = reads.filter((path) => path.includes('/'));
    expect(projectFiles.filter((path, i) => projectFiles.indexOf(path) !== i)).toEqual([]);
    expect(reads).toEqual(expect.arrayContaining(['apps/api/project.json', 'apps/api/Dockerfile', 'apps/web/package.json']));
  });
});

describe('nx release', () => {
  async function release(root: string, options?: NxBuildkitPluginOptions) {
    return ((await projects(options)) as Record<string, { release?: unknown; targets: Record<string, TargetConfiguration> }>)[root];
  }

  it("gives each image project an nx-release-publish target and nx-buildkit's VersionActions, with the image as repositoryName", async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE });
    const project = await release('apps/api', { image: 'acme/{projectName}' });
    expect(project.release).toEqual({
      version: { versionActions: 'nx-buildkit/src/release/version-actions', currentVersionResolver: 'none' },
      docker: { repositoryName: 'acme/api' },
    });
    expect(project.targets['nx-release-publish']).toMatchObject({ executor: 'nx-buildkit:release-publish', options: {}, cache: false, metadata: { technologies: ['buildkit'] } });
  });

  it("looks the current version up in git tags when nx.json's release uses conventional commits (nx requires it)", async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE });
    const all = (await projects(undefined, { release: { version: { specifierSource: 'conventional-commits' } } })) as Record<string, { release?: { version?: unknown } }>;
    expect(all['apps/api'].release?.version).toEqual({ versionActions: 'nx-buildkit/src/release/version-actions', currentVersionResolver: 'git-tag' });
  });

  it('names no repository for a project with several images: each is released under its own', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE, 'apps/api/Dockerfile': DOCKERFILE });
    expect((await release('apps/api'))?.release).toMatchObject({ docker: {} });
  });

  it('sets no release.docker on Nx 21, which would hand the project to @nx/docker', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE });
    const results = await createDockerBuildNodes(configFiles(), { image: 'acme/{projectName}' }, context(), { nxMajor: 21 });
    const api = results.map(([, result]) => result.projects?.['apps/api']).find(Boolean);
    expect(api?.release).toEqual({ version: { versionActions: 'nx-buildkit/src/release/version-actions', currentVersionResolver: 'none' } });
  });

  it('infers neither with the option release: false', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': DOCKERFILE });
    const project = await release('apps/api', { release: false });
    expect(project.release).toBeUndefined();
    expect(Object.keys(project.targets)).toEqual(['docker-build', 'docker-lint']);
  });
});
