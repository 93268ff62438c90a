// First: against an unsupported Nx, stop with one line before anything that needs Nx 24 loads.
import '../lib/nx/require-supported-nx';
import { createProjectGraphAsync } from '@nx/devkit';
import type { ProjectGraph, Tree } from '@nx/devkit';
import { VersionActions } from 'nx/release';
import { createRunState } from '../lib/image/run-state';
import { workspaceImagesOf } from '../lib/image/workspace-images';
import { describeError, UserFacingError } from '../lib/errors';
import { latestCommitSha } from '../lib/nx/nx-internal-adapter';
import { dockerReleaseOptionsFrom, DockerReleaseOptions } from './docker-release-config';
import { releaseImagesOf } from './release-images';
import { describeRelease, planRelease } from './release-plan';
import { interpolateVersionPattern, unresolvedTokens } from './version-pattern';
import { chooseVersion } from './version-specifier';
import { versionFilePathOf, writeVersionFile } from './version-file';

/**
 * nx release's versioning for an image project (the plugin points each project's `release.version.versionActions`
 * here). The version comes from nx.json `release.docker` as @nx/docker reads it (versionSchemes, registryUrl,
 * repositoryName); no package.json or other manifest is read or written.
 *
 * Not @nx/docker's own version step (`handleDockerVersion` from `@nx/docker/release/version-utils`): it runs a local
 * `docker tag <project-root-as-name> <ref>`, so it needs the image in the local engine, which contradicts tagging in
 * the registry without pulling; and in nx 24.0.6 it tags even under `--dry-run` (it reads NX_DRY_RUN, which nx sets
 * only later, for publish). That is also why the plugin's targets do not carry the `docker` technology, which is what
 * sends a project to that step.
 */
export default class BuildkitVersionActions extends VersionActions {
  validManifestFilenames = null;
  /** The workspace the release runs in (the Tree's root): the build options are relative to it. */
  private workspaceRoot = process.cwd();

  // Nx 21's init takes a second argument (isInProjectsToProcess), later majors one: whatever nx passes goes on.
  override async init(tree: Tree, ...rest: unknown[]): Promise<void> {
    this.workspaceRoot = tree.root;
    await (super.init as (tree: Tree, ...rest: unknown[]) => Promise<void>).call(this, tree, ...rest);
  }

  async readCurrentVersionFromSourceManifest(): Promise<null> {
    return null;
  }

  async readCurrentVersionFromRegistry(): Promise<null> {
    return null;
  }

  async readCurrentVersionOfDependency(_tree: Tree, _graph: ProjectGraph, _dependency: string): Promise<{ currentVersion: null; dependencyCollection: null }> {
    return { currentVersion: null, dependencyCollection: null };
  }

  override async calculateNewVersion(_currentVersion: string | null, newVersionInput: string): Promise<{ newVersion: string; logText: string }> {
    const projectName = this.projectGraphNode.name;
    const docker = this.dockerOptions();
    const choice = chooseVersion(newVersionInput, docker.versionSchemes, projectName);
    const newVersion =
      choice.kind === 'explicit'
        ? choice.version
        : interpolateVersionPattern(choice.pattern, { projectName, commitSha: latestCommitSha(), currentDate: new Date(), env: process.env });
    const unresolved = unresolvedTokens(newVersion);
    if (unresolved.length) {
      throw new UserFacingError(
        `Project "${projectName}": the version scheme "${choice.kind === 'scheme' ? choice.scheme : newVersion}" leaves ${unresolved.join(', ')} unresolved (an unknown token, an unset variable, or a commit token outside a git repository; {versionActionsVersion} has no meaning for an image). Fix the scheme in nx.json "release.docker.versionSchemes".`,
      );
    }
    const how = choice.kind === 'scheme' ? `docker version scheme "${choice.scheme}"` : 'version given';
    // One line: nx prefixes only a log text's first line with the project name.
    return { newVersion, logText: `🐳 ${await this.describeImages(newVersion, docker)} [${how}]` };
  }

  /** The version file for a standalone `nx release publish`; nothing else of the workspace changes. */
  async updateProjectVersion(tree: Tree, newVersion: string): Promise<string[]> {
    const projectName = this.projectGraphNode.name;
    const path = versionFilePathOf(projectName, this.projectGraphNode.data.targets ?? {});
    writeVersionFile(tree, path, { project: projectName, version: newVersion });
    return [`✍️  Wrote ${newVersion} to ${path}, for "nx release publish"`];
  }

  async updateProjectDependencies(): Promise<string[]> {
    return [];
  }

  private dockerOptions(): DockerReleaseOptions {
    const resolved = this.finalConfigForProject as { dockerOptions?: Parameters<typeof dockerReleaseOptionsFrom>[0]; versionActionsOptions?: Parameters<typeof dockerReleaseOptionsFrom>[1] };
    return dockerReleaseOptionsFrom(resolved.dockerOptions, resolved.versionActionsOptions);
  }

  /**
   * Each image with the version tag and the hash tag it will point to, hashed as the build target hashes it. The
   * engine or the registry being out of reach does not stop versioning: the line says the hash is not known yet.
   */
  private async describeImages(version: string, docker: DockerReleaseOptions): Promise<string> {
    // nx release hands a VersionActions no project graph; Nx's cached one hashes an image that installs from a
    // pruned lockfile (COPY --from=deps) as its build target does, and names an image FROM another project's image by
    // that image's inputs hash in this checkout.
    const projectGraph = await createProjectGraphAsync({ exitOnError: false }).catch(() => undefined);
    const project = { workspaceRoot: this.workspaceRoot, projectName: this.projectGraphNode.name, projectRoot: this.projectGraphNode.data.root, projectGraph };
    try {
      const images = releaseImagesOf(project.projectName, this.projectGraphNode.data.targets ?? {}, docker, [version]);
      const planned = await planRelease(project, images, createRunState(undefined, undefined, workspaceImagesOf({ root: this.workspaceRoot, projectGraph })));
      return planned.map(describeRelease).join('; ');
    } catch (error) {
      return `${version}; the image and its inputs hash are not known yet: ${describeError(error).split('\n')[0]}`;
    }
  }
}
