import type { TargetConfiguration } from '@nx/devkit';
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aggregateLintTarget, dockerLintTarget, heavyFolderProbe, sourceProbe } from './docker-lint-targets';
import { createDockerBuildNodes } from './plugin';
import { normalizePluginOptions, NxBuildkitPluginOptions } from './plugin-options';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nxb-lint-targets-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function files(tree: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

async function targetsOf(projectRoot: string, options?: NxBuildkitPluginOptions): Promise<Record<string, TargetConfiguration>> {
  const configFiles: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else if (entry.name === 'project.json' || entry.name === 'package.json') configFiles.push(path);
    }
  };
  walk(root, '');
  const results = await createDockerBuildNodes(configFiles.sort(), options, { nxJsonConfiguration: {}, workspaceRoot: root }, {});
  const project = results.flatMap(([, result]) => Object.entries(result.projects ?? {})).find(([path]) => path === projectRoot);
  return (project?.[1].targets ?? {}) as Record<string, TargetConfiguration>;
}

describe('dockerLintTarget', () => {
  it('runs nx-buildkit:lint on the Dockerfile and context of the build, cached, with no outputs', () => {
    const target = dockerLintTarget({ projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-lint', dockerfile: 'apps/api/Dockerfile', context: 'apps/api' });
    expect(target).toMatchObject({ executor: 'nx-buildkit:lint', options: { dockerfile: 'apps/api/Dockerfile', context: 'apps/api' }, outputs: [], cache: true });
    // Both ignore file candidates are inputs: creating one changes the result.
    expect(target.inputs).toEqual(['{projectRoot}/Dockerfile', '{projectRoot}/Dockerfile.dockerignore', '{projectRoot}/.dockerignore', { runtime: heavyFolderProbe('apps/api') }]);
    expect(target.metadata).toMatchObject({ technologies: ['buildkit'], help: { command: 'npx nx run api:docker-lint --help' } });
    expect(target.metadata?.description).toBe('Checks apps/api/Dockerfile for layer-cache order and build hygiene (context: apps/api); fails on errors.');
  });

  it('writes inputs outside the project from the workspace root', () => {
    const target = dockerLintTarget({ projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-lint', dockerfile: 'apps/api/Dockerfile', context: '.' });
    expect(target.inputs?.slice(0, 3)).toEqual(['{projectRoot}/Dockerfile', '{projectRoot}/Dockerfile.dockerignore', '{workspaceRoot}/.dockerignore']);
  });

  it('aggregates several Dockerfiles in a target that runs them all', () => {
    expect(aggregateLintTarget('api', ['docker-lint-prod', 'docker-lint-default'])).toMatchObject({ executor: 'nx:noop', dependsOn: ['docker-lint-prod', 'docker-lint-default'] });
  });
});

describe('heavyFolderProbe', () => {
  it('prints node_modules and .git found in the context and one folder down, as Nx runs it (a shell in the workspace root)', () => {
    files({ 'apps/api/node_modules/x/i.js': '', 'apps/api/web/node_modules/y/i.js': '', 'apps/api/index.js': '' });
    mkdirSync(join(root, 'apps/api/.git'));
    expect(execSync(heavyFolderProbe('apps/api'), { cwd: root, encoding: 'utf8' }).trim()).toBe('node_modules .git web/node_modules');
    rmSync(join(root, 'apps/api/node_modules'), { recursive: true });
    expect(execSync(heavyFolderProbe('apps/api'), { cwd: root, encoding: 'utf8' }).trim()).toBe('.git web/node_modules');
    // A missing context prints nothing instead of failing the hash.
    expect(execSync(heavyFolderProbe('apps/none'), { cwd: root, encoding: 'utf8' }).trim()).toBe('');
  });
});

describe('sourceProbe', () => {
  it('prints which COPY sources exist in the context, as Nx runs it, so a folder a script makes re-runs docker-lint', () => {
    files({ 'apps/api/package.json': '{}' });
    const probe = sourceProbe('apps/api', ['package.json', 'meta']);
    expect(execSync(probe, { cwd: root, encoding: 'utf8' }).trim()).toBe('package.json');
    files({ 'apps/api/meta/version.txt': '1' });
    expect(execSync(probe, { cwd: root, encoding: 'utf8' }).trim()).toBe('package.json meta');
  });

  it('is a docker-lint input only for sources of plain characters', () => {
    const target = dockerLintTarget({ projectName: 'api', projectRoot: 'apps/api', targetName: 'docker-lint', dockerfile: 'apps/api/Dockerfile', context: 'apps/api', sources: ['meta', 'a b$(x)'] });
    expect(target.inputs?.slice(-1)).toEqual([{ runtime: sourceProbe('apps/api', ['meta']) }]);
  });
});

describe('inferred docker-lint targets', () => {
  it('gives each Dockerfile a docker-lint target beside its docker-build target', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': 'FROM x\n' });
    const targets = await targetsOf('apps/api');
    expect(targets['docker-lint']).toMatchObject({ executor: 'nx-buildkit:lint', options: { dockerfile: 'apps/api/Dockerfile', context: 'apps/api' }, cache: true });
  });

  it('names them like the build targets with several Dockerfiles, checking the context each build uses', async () => {
    files({ 'package-lock.json': '{}', 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile.prod': 'FROM x\nCOPY package-lock.json ./\n', 'apps/api/Dockerfile': 'FROM x\n' });
    const targets = await targetsOf('apps/api');
    expect(targets['docker-lint-prod'].options).toEqual({ dockerfile: 'apps/api/Dockerfile.prod', context: '.' });
    expect(targets['docker-lint-default'].options).toEqual({ dockerfile: 'apps/api/Dockerfile', context: 'apps/api' });
    expect(targets['docker-lint']).toMatchObject({ executor: 'nx:noop', dependsOn: ['docker-lint-default', 'docker-lint-prod'] });
  });

  it('follows lintTargetName, and infers none with false', async () => {
    files({ 'apps/api/project.json': { name: 'api' }, 'apps/api/Dockerfile': 'FROM x\n' });
    expect(Object.keys(await targetsOf('apps/api', { lintTargetName: 'check-image' }))).toEqual(['docker-build', 'check-image', 'nx-release-publish']);
    expect(Object.keys(await targetsOf('apps/api', { lintTargetName: false }))).toEqual(['docker-build', 'nx-release-publish']);
  });

  it('rejects a lintTargetName that clashes with the build targets', () => {
    expect(() => normalizePluginOptions({ lintTargetName: 'docker-build' })).toThrow('"lintTargetName" "docker-build" in the "nx-buildkit" plugin options in nx.json clashes with the build targets');
    expect(() => normalizePluginOptions({ lintTargetName: 'lint image' })).toThrow('Invalid "lintTargetName" "lint image"');
  });
});
