import { BuildContext, isSent, sendsFile } from '../build-context';
import { copiedFiles, copiedFrom, CopySource, CopyStep, describeSource, isBroadSource, readCopy } from '../copy-sources';
import { instructionSummary, resolveInImage, StageState } from '../../dockerfile';
import { InstallCommand, managerLabel } from '../install-commands';
import { contextInstallFiles, installNeeds } from '../install-needs';
import { DockerfileRule, RuleHit } from '../rule';
import { changedDirectory, isBuildStep, readRunSteps } from '../run-steps';
import { walkStage } from '../../dockerfile';

/** Manifests each manager installs from, for the fix text. */
const MANIFESTS_TO_COPY: Partial<Record<InstallCommand['manager'], string>> = {
  npm: 'package.json and package-lock.json',
  pnpm: 'package.json and pnpm-lock.yaml',
  yarn: 'package.json and yarn.lock',
  bun: 'package.json and bun.lockb',
  pip: 'the requirements files',
  uv: 'pyproject.toml and uv.lock',
  poetry: 'pyproject.toml and poetry.lock',
  pipenv: 'Pipfile and Pipfile.lock',
  go: 'go.mod and go.sum',
  bundler: 'Gemfile and Gemfile.lock',
  maven: 'pom.xml',
  gradle: 'build.gradle(.kts), settings.gradle(.kts) and gradle/',
  composer: 'composer.json and composer.lock',
  cargo: 'Cargo.toml and Cargo.lock',
  dotnet: 'the *.csproj files',
};

export const broadCopyBeforeInstall: DockerfileRule = {
  id: 'cache-order/broad-copy-before-install',
  severity: 'warning',
  description:
    'A COPY/ADD of the whole context or a source folder comes before a dependency install in the same stage, so every source change reruns the install (installs that read the sources themselves, such as install scripts or `pip install .`, are not counted).',
  check({ dockerfile, context }) {
    const hits: RuleHit[] = [];
    // Every broad COPY of the file, in order, with the installs after it (in its stage or a stage built FROM it).
    const reported: BroadCopy[] = [];
    // What each stage ends with, for the stages built FROM it (pnpm's Docker guide copies the context in a base stage
    // and installs in `FROM base AS prod-deps`).
    const endOf = new Map<number, StageScan>();
    dockerfile.stages.forEach((stage) => {
      const inherited = stage.baseStage !== undefined ? endOf.get(stage.baseStage) : undefined;
      // Only a copy of the whole context is followed into later stages, and only for the installs that read manifests
      // from it: a system package install there belongs to that stage's own image, not before the base's COPY.
      const broad: StageScan['broad'] = (inherited?.broad ?? []).filter(({ entry }) => entry.source.kind === 'context-root').map((scan) => ({ ...scan, inherited: true }));
      let fetched = inherited?.fetched ?? false;
      // Every COPY of the stage so far, latest last: where each puts context files (image path → context path).
      const copied: StageScan['copied'] = [...(inherited?.copied ?? [])];
      for (const { instruction, before } of walkStage(dockerfile, stage.index)) {
        const copy = readCopy(instruction, before, context);
        const source = copy?.sources.find(isBroadSource);
        if (copy && source) {
          const entry: BroadCopy = { copy, source, what: describeSource(source), stage: stage.index, installs: [] };
          reported.push(entry);
          broad.push({ entry, builtSince: false, fetched, inherited: false });
          copied.push(copiedFrom(copy, source));
          continue;
        }
        if (copy && context) {
          const files = copiedFiles(copy, context);
          if (files) copied.push((imagePath) => files.get(imagePath));
        }
        const { commands, installs } = readRunSteps(instruction);
        if (installs.some((install) => install.manager === 'pnpm' && install.action === 'fetch')) fetched = true;
        for (const scan of broad) {
          const { entry } = scan;
          // `cd clickhouse && npm i`: the install runs where the RUN went.
          let cwd = before.workdir ?? '/';
          for (const command of commands) {
            const moved = changedDirectory(command, cwd);
            if (moved !== undefined) {
              cwd = moved;
              continue;
            }
            const install = installs.find((candidate) => candidate.command === command);
            // pnpm's documented Docker idiom: `pnpm fetch` from the lockfile alone, then COPY . . and an offline install.
            if (install && scan.fetched && isOfflinePnpmInstall(install)) continue;
            if (install && !(scan.inherited && MANIFESTS_TO_COPY[install.manager] === undefined)) {
              const { reads, folders } = whatTheInstallReads(install, { ...entry, builtSince: scan.builtSince }, copied, before, cwd, context);
              if (reads === 'manifests' || reads === 'context-files') {
                entry.installs.push({ install, line: instruction.startLine, cwd, workspace: isPnpmWorkspace(install, copied, cwd, context), stage: stage.index, folders });
              }
            }
            // A build step after the COPY (`npm run build`): an install after it may read what it generated.
            if (!install && isBuildStep(command, entry.copy.destInImage ?? '/')) scan.builtSince = true;
          }
        }
      }
      endOf.set(stage.index, { broad, fetched, copied });
    });
    for (const { copy, what, installs, stage } of reported) {
      if (installs.length === 0) continue;
      const summary = instructionSummary(copy.instruction, dockerfile);
      const listed = installs.slice(0, 3).map(({ install, line }) => `\`${managerLabel(install)}\` (line ${line + 1})`);
      const more = installs.length > 3 ? ` and ${installs.length - 3} more` : '';
      const elsewhere = installs.some((install) => install.stage !== stage);
      hits.push({
        line: copy.instruction.startLine,
        message: `${summary} copies ${what} before ${listed.join(', ')}${more}${elsewhere ? ' (in a stage built FROM this one)' : ''}: any source change reruns the install.`,
        fix: fixFor(summary, installs, copy.destInImage, elsewhere),
      });
    }
    return hits;
  },
};

interface FoundInstall {
  readonly install: InstallCommand;
  readonly line: number;
  readonly cwd: string;
  readonly workspace: boolean;
  readonly stage: number;
  /** Folders its install scripts read (patch-package's patches/), to copy with the manifests. */
  readonly folders: readonly string[];
}

/** A broad COPY and the installs found after it. */
interface BroadCopy {
  readonly copy: CopyStep;
  readonly source: CopySource;
  readonly what: string;
  readonly stage: number;
  readonly installs: FoundInstall[];
}

/** What a stage has seen of the broad COPYs so far (its own and its base stage's). */
interface StageScan {
  broad: Array<{ readonly entry: BroadCopy; builtSince: boolean; readonly fetched: boolean; readonly inherited: boolean }>;
  fetched: boolean;
  copied: Array<(imagePath: string) => string | undefined>;
}

function isOfflinePnpmInstall(install: InstallCommand): boolean {
  return install.manager === 'pnpm' && install.action === 'install' && install.args.some((arg) => arg === '--offline' || arg === '--prefer-offline');
}

/**
 * What an install after the broad COPY reads, as far as moving it before that COPY goes:
 * - `sources`: the project's own sources (install scripts, `pip install .`, a project sync, local paths), so it needs
 *   the COPY before it;
 * - `generated`: its manifest is not a context file (a build step wrote it), so it cannot move either;
 * - `context-files`: manifests that come from the context, known to be so;
 * - `manifests`: manifests, as far as can be told without the context.
 */
function whatTheInstallReads(
  install: InstallCommand,
  entry: { copy: CopyStep; source: CopySource; builtSince: boolean },
  copied: ReadonlyArray<(imagePath: string) => string | undefined>,
  state: StageState,
  cwd: string,
  context: BuildContext | undefined,
): { reads: 'sources' | 'generated' | 'context-files' | 'manifests'; folders: readonly string[] } {
  if (!context) return { reads: installsProjectItself(install) ? 'sources' : entry.builtSince ? 'generated' : 'manifests', folders: [] };
  // The context file the latest COPY that sends one put at this path (a later COPY of a folder wins over an earlier one).
  const locate = locateIn(copied, cwd, context);
  const result = installNeeds(install, contextInstallFiles(context, state.vars, locate));
  if ('decline' in result && result.readsSources) return { reads: 'sources', folders: [] };
  const folders = ('decline' in result && result.folders) || [];
  // After a build step, only an install whose manifest the context sends is known not to read the build's output.
  const manifest = MANIFEST_OF[install.manager];
  if (manifest === undefined) return { reads: entry.builtSince ? 'generated' : 'manifests', folders };
  const contextPath = locate(manifest);
  return { reads: contextPath !== undefined && sendsFile(context, contextPath) ? 'context-files' : entry.builtSince ? 'generated' : 'manifests', folders };
}

/** The context path of what the latest COPY that sends one put at a path relative to `cwd` (a later COPY of a folder wins over an earlier one). */
function locateIn(copied: ReadonlyArray<(imagePath: string) => string | undefined>, cwd: string, context: BuildContext) {
  return (path: string): string | undefined => {
    const imagePath = resolveInImage(path, cwd);
    for (let i = copied.length - 1; i >= 0; i--) {
      const contextPath = copied[i](imagePath);
      if (contextPath !== undefined && (sendsFile(context, contextPath) || (context.files.isDirectory(contextPath) && isSent(context, contextPath)))) return contextPath;
    }
    return undefined;
  };
}

/** A pnpm install whose folder holds the context's pnpm-workspace.yaml: it reads every workspace package's package.json too. */
function isPnpmWorkspace(install: InstallCommand, copied: ReadonlyArray<(imagePath: string) => string | undefined>, cwd: string, context: BuildContext | undefined): boolean {
  if (install.manager !== 'pnpm' || !context) return false;
  const contextPath = locateIn(copied, cwd, context)('pnpm-workspace.yaml');
  return contextPath !== undefined && sendsFile(context, contextPath);
}

/** The file each Node manager installs from, relative to where it runs. */
const MANIFEST_OF: Partial<Record<InstallCommand['manager'], string>> = { npm: 'package.json', pnpm: 'package.json', yarn: 'package.json', bun: 'package.json' };

/** What a pnpm workspace install reads: without the workspace file and every package's manifest it installs the root only, or fails. */
const PNPM_WORKSPACE_MANIFESTS = 'package.json, pnpm-lock.yaml, pnpm-workspace.yaml and the package.json of every workspace package (each in its own folder)';

function fixFor(summary: string, installs: ReadonlyArray<FoundInstall>, dest: string | undefined, elsewhere: boolean): string {
  const manifests = [
    ...new Set(
      installs.map(({ install, cwd, workspace, folders }) => {
        const manifests = workspace ? PNPM_WORKSPACE_MANIFESTS : MANIFESTS_TO_COPY[install.manager];
        // patch-package's patches/: the install scripts read that folder, so it goes with the manifests.
        const names = manifests && folders.length > 0 ? `${manifests} with ${folders.join(', ')} (its install scripts read ${folders.length > 1 ? 'them' : 'it'})` : manifests;
        // `cd clickhouse && npm i` (pezzo): the manifests are that folder's, not the root's.
        const folder = dest !== undefined && cwd !== dest && cwd.startsWith(`${dest === '/' ? '' : dest}/`) ? cwd.slice(dest === '/' ? 1 : dest.length + 1) : undefined;
        return names && folder ? `${names} of ${folder}/` : names;
      }),
    ),
  ].filter((m): m is string => m !== undefined);
  if (elsewhere) {
    // optimize rewrites within one stage: the split across stages is by hand.
    const what = manifests.length > 0 ? `only ${manifests.join('; ')}` : 'nothing the install needs';
    return `Copy ${what} in this stage, and copy the rest (${summary}) after the install in each stage that installs.`;
  }
  if (manifests.length === 0) return `Move the install above ${summary}: it reads nothing from the context.`;
  // optimize declines a workspace install (it cannot list the packages' manifests as one COPY): do not promise it.
  const byOptimize = installs.some(({ workspace, folders }) => workspace || folders.length > 0) ? '' : ' (nx g nx-buildkit:optimize does this)';
  return `Copy only ${manifests.join('; ')} before the install and move ${summary} after it${byOptimize}.`;
}

/** `pip install .` / `pip install -e .`: the install reads the project's own sources, not only a manifest. */
function installsProjectItself(install: InstallCommand): boolean {
  if (install.manager !== 'pip' && install.action !== 'pip install') return false;
  return install.args.some((arg, i) => arg === '.' || arg === './' || (arg === '-e' && /^\.\.?(\/|$)/.test(install.args[i + 1] ?? '')) || /^\.\.?\/|^\.\[/.test(arg));
}
