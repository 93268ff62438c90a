import { posix } from 'node:path';
import { BuildContext, isSent, sendsFile } from '../../lib/dockerfile-analyzer/build-context';
import { copiedFiles, copiedFrom, CopyStep, isBroadSource, readCopy } from '../../lib/dockerfile-analyzer/copy-sources';
import { BASE_WORKDIR, instructionSummary, isPosixShell, ParsedDockerfile, ParsedInstruction, resolveInImage, StageState, StageStep, walkStage } from '../../lib/dockerfile';
import { InstallCommand, managerLabel } from '../../lib/dockerfile-analyzer/install-commands';
import { changedDirectory, readRunSteps } from '../../lib/dockerfile-analyzer/run-steps';
import { SimpleCommand } from '../../lib/dockerfile-analyzer/shell-commands';
import { isContextFree, isWithin } from '../../lib/dockerfile-analyzer/context-free-commands';
import { contextInstallFiles, installNeeds } from '../../lib/dockerfile-analyzer/install-needs';
import { DeclinedRewrite, PlannedRewrite, PlanResult } from './rewrite';
import { TextEdit } from './text-edits';

/** Instructions that only set image metadata or variables: the install keeps its order relative to them. */
const METADATA = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE', 'STOPSIGNAL', 'HEALTHCHECK', 'MAINTAINER', 'CMD', 'ENTRYPOINT']);

/** Installers that write all over the system: a COPY into / or a system folder cannot move past them. */
const SYSTEM_INSTALLERS = new Set<InstallCommand['manager']>(['apt', 'apk', 'dnf', 'gem']);

/**
 * Folders the system package managers (and pip, for site-packages) write: a COPY there cannot be moved past them.
 * /usr/src and /usr/local/src are where many Dockerfiles put their app, and no package writes there.
 */
function isSystemPath(path: string): boolean {
  if (path === '/') return true;
  if (isWithin(path, '/usr/src') || isWithin(path, '/usr/local/src')) return false;
  return ['/etc', '/usr', '/var', '/lib', '/lib32', '/lib64', '/bin', '/sbin', '/boot'].some((dir) => isWithin(path, dir));
}

export const MANIFESTS_COMMENT = '# nx-buildkit: dependency manifests first, so a source change does not rerun the install below';

/**
 * Splits the first broad COPY (`COPY . .`, a source folder) that comes before dependency installs: the files those
 * installs read are copied first, the installs run, then the original COPY — moved, unchanged — brings the rest.
 * Declined unless every moved step provably reads nothing else from what the COPY brings, and nothing the COPY
 * brings afterwards lands where the installs wrote.
 */
export function planCopySplit(dockerfile: ParsedDockerfile, context: BuildContext): PlanResult {
  const declined: DeclinedRewrite[] = [];
  for (const stage of dockerfile.stages) {
    const steps = walkStage(dockerfile, stage.index);
    for (let i = 0; i < steps.length; i++) {
      const copy = readCopy(steps[i].instruction, steps[i].before, context);
      if (!copy || !copy.sources.some(isBroadSource)) continue;
      if (!steps.slice(i + 1).some((step) => readRunSteps(step.instruction).installs.length > 0)) {
        // pnpm's Docker guide: the context copied in a base stage, installs in the stages built FROM it.
        const later = copy.sources.some((source) => source.kind === 'context-root') ? installingStageBuiltFrom(dockerfile, stage.index) : undefined;
        if (later !== undefined) {
          declined.push({ kind: 'split-copy', line: copy.instruction.startLine + 1, reason: `the install after ${instructionSummary(copy.instruction, dockerfile)} is in a stage built FROM this one (line ${later + 1}); optimize rewrites within one stage, so split it by hand.` });
        }
        continue;
      }
      const result = planOne(dockerfile, context, steps, i, copy);
      if (typeof result === 'string') declined.push({ kind: 'split-copy', line: copy.instruction.startLine + 1, reason: result });
      else return { rewrite: result, declined };
    }
  }
  return { declined };
}

/** The first line of an install in a stage built (directly or through others) FROM this stage, if any. */
function installingStageBuiltFrom(dockerfile: ParsedDockerfile, stageIndex: number): number | undefined {
  const builtFrom = (index: number | undefined): boolean => index !== undefined && (index === stageIndex || builtFrom(dockerfile.stages[index].baseStage));
  for (const stage of dockerfile.stages.slice(stageIndex + 1)) {
    if (!builtFrom(stage.baseStage)) continue;
    const install = stage.instructions.find((instruction) => readRunSteps(instruction).installs.length > 0);
    if (install) return install.startLine;
  }
  return undefined;
}

function planOne(dockerfile: ParsedDockerfile, context: BuildContext, steps: readonly StageStep[], index: number, copy: CopyStep): PlannedRewrite | string {
  const moving = readMovingCopy(dockerfile, context, steps, index, copy);
  if (typeof moving === 'string') return moving;
  const earlier = earlierCopies(steps.slice(0, index), context);
  const scan = scanStepsAfter(steps.slice(index + 1), moving, earlier);

  const lastInstall = scan.moved.map((entry) => entry.installs.length > 0).lastIndexOf(true);
  if (lastInstall < 0) return scan.blocker ?? `no install follows ${moving.summary} in a way that can move.`;
  const installs = scan.moved.slice(0, lastInstall + 1).filter((entry) => entry.installs.length > 0);
  const manifests = manifestsToCopyFirst(scan.reads, moving, earlier);
  if (typeof manifests === 'string') return manifests;

  const instruction = copy.instruction;
  const lastLine = installs[installs.length - 1].instruction.endLine;
  const originalLines = dockerfile.lines.slice(instruction.startLine, instruction.endLine + 1);
  const replacement = manifestCopyLines(dockerfile, instruction, copy, moving.sourceRoot, manifests, context);
  // A COPY that only moves leaves its place empty: between two blank lines, one of them goes too.
  const blank = (line: number) => (dockerfile.lines[line] ?? 'x').trim() === '';
  const end = replacement.length === 0 && blank(instruction.startLine - 1) && blank(instruction.endLine + 1) && instruction.endLine + 1 < installs[0].instruction.startLine ? instruction.endLine + 1 : instruction.endLine;
  const edits: TextEdit[] = [
    { kind: 'replace', start: instruction.startLine, end, lines: replacement },
    { kind: 'insert-after', line: lastLine, lines: originalLines, from: instruction.startLine },
  ];
  const labels = installs.flatMap((entry) => entry.installs.map((install) => `\`${managerLabel(install)}\``));
  return {
    kind: 'split-copy',
    edits,
    description: manifests.length
      ? `${moving.summary}: ${manifests.join(', ')} copied first, the rest after ${labels.join(', ')}.`
      : `${moving.summary} moved after ${labels.join(', ')}, which read nothing it brings.`,
  };
}

/** The broad COPY to move, as the checks on the steps it would move past see it. */
interface MovingCopy {
  readonly dockerfile: ParsedDockerfile;
  readonly context: BuildContext;
  /** How messages name the COPY. */
  readonly summary: string;
  /** The one context path it copies. */
  readonly sourceRoot: string;
  /** The image path it copies to. */
  readonly dest: string;
  /** Context path of what the broad COPY puts at this image path. */
  readonly fromBroadCopy: (imagePath: string) => string | undefined;
}

/** The broad COPY to move, or why its own form rules a split out: flags, variables, several sources, a pattern, an unknown destination, a SHELL that is not sh. */
function readMovingCopy(dockerfile: ParsedDockerfile, context: BuildContext, steps: readonly StageStep[], index: number, copy: CopyStep): MovingCopy | string {
  const instruction = copy.instruction;
  const summary = instructionSummary(instruction, dockerfile);
  const before = steps[index].before;
  const otherFlag = instruction.flags.find((flag) => flag.name !== 'chown');
  if (otherFlag) return `${summary} has --${otherFlag.name}, which a split COPY cannot be shown to reproduce; split it by hand.`;
  const rawText = dockerfile.lines.slice(instruction.startLine, instruction.endLine + 1).join('\n');
  if (/\$/.test(rawText)) return `${summary} uses variables, which may change value between it and the install.`;
  if (copy.sources.length !== 1) return `${summary} copies several sources; split it by hand.`;
  const source = copy.sources[0];
  if (source.kind === 'glob' || source.path === undefined) return `${summary} copies a pattern: which files it brings depends on the context at build time.`;
  const dest = copy.destInImage;
  if (dest === undefined || before.workdir === undefined) return `${summary}: its destination depends on a working directory that is not known here.`;
  if (steps.slice(0, index).some((step) => step.instruction.keyword === 'SHELL' && !isPosixShell(step.instruction))) return 'the SHELL of the stage is not a POSIX shell (sh, bash, dash, ash), so its RUN commands are not read as sh.';

  return { dockerfile, context, summary, sourceRoot: source.path, dest, fromBroadCopy: copiedFrom(copy, source) };
}

/** A step the broad COPY moves past, with the installs it runs (none for metadata and other COPYs). */
interface MovedStep {
  readonly instruction: ParsedInstruction;
  readonly installs: readonly InstallCommand[];
}

interface StepScan {
  /** The steps after the broad COPY that it can move past, in order, up to the first that stops it. */
  readonly moved: readonly MovedStep[];
  /** Image paths the installs read, in the order found; those read before the blocker in the RUN that stops the scan count too. */
  readonly reads: ReadonlySet<string>;
  /** Why the COPY cannot move past the step that stopped the scan; undefined when it can move past every step. */
  readonly blocker?: string;
}

/**
 * Walks the steps after the broad COPY until the first one it cannot move past. `earlier` gains the files of each
 * COPY it moves past: those stay before the installs, so the installs see them.
 */
function scanStepsAfter(following: readonly StageStep[], moving: MovingCopy, earlier: Map<string, string>): StepScan {
  const moved: MovedStep[] = [];
  const reads = new Set<string>();
  for (const step of following) {
    const next = step.instruction;
    if (METADATA.has(next.keyword)) {
      moved.push({ instruction: next, installs: [] });
      continue;
    }
    if (next.keyword === 'COPY' || next.keyword === 'ADD') {
      // Another COPY may stay before the moved one when they fill different paths: their order then does not matter.
      const other = readCopy(next, step.before, moving.context);
      const blocker = interveningCopyBlocker(next, other, moving);
      if (blocker !== undefined) return { moved, reads, blocker };
      if (other) recordCopy(earlier, other, moving.context);
      moved.push({ instruction: next, installs: [] });
      continue;
    }
    const blocker = otherInstructionBlocker(next, moving) ?? bindMountBlocker(next, moving);
    if (blocker !== undefined) return { moved, reads, blocker };
    const run = readMovableRun(step, moving, earlier);
    for (const path of run.reads) reads.add(path);
    if (run.blocker !== undefined) return { moved, reads, blocker: run.blocker };
    moved.push({ instruction: next, installs: [...run.installs] });
  }
  return { moved, reads };
}

/** Why a COPY or ADD between the broad COPY and the install cannot stay before it: both write the same paths. */
function interveningCopyBlocker(next: ParsedInstruction, other: CopyStep | undefined, moving: MovingCopy): string | undefined {
  const clash = other ? copyClash(other, moving.dest, moving.fromBroadCopy, moving.context) : 'it cannot be read';
  if (clash === undefined) return undefined;
  return `${instructionSummary(next, moving.dockerfile)} (line ${next.startLine + 1}) comes between ${moving.summary} and the install, and ${clash}.`;
}

/**
 * Why an instruction that is neither metadata, COPY nor RUN stops the move: what moving the COPY past it does is not
 * modelled (WORKDIR, for one, would change where the COPY's relative destination and the install's folder are).
 */
function otherInstructionBlocker(next: ParsedInstruction, moving: MovingCopy): string | undefined {
  if (next.keyword === 'RUN') return undefined;
  if (next.keyword === 'WORKDIR') return `WORKDIR changes at line ${next.startLine + 1}, between ${moving.summary} and the install.`;
  return `${instructionSummary(next, moving.dockerfile)} (line ${next.startLine + 1}) comes between ${moving.summary} and the install.`;
}

/** Why a RUN's bind mount stops the move: it shows the RUN context files, which may be ones the COPY brings. */
function bindMountBlocker(next: ParsedInstruction, moving: MovingCopy): string | undefined {
  // A --mount without type= is a bind mount.
  if (!next.flags.some((flag) => flag.name === 'mount' && (flag.options.type ?? 'bind') === 'bind')) return undefined;
  return `${instructionSummary(next, moving.dockerfile)} (line ${next.startLine + 1}) bind-mounts files, which may overlap what ${moving.summary} brings.`;
}

/**
 * Checks a RUN's commands in order, up to the first that stops the move: the installs it runs, the image paths they
 * read (those found before a blocker too), and the blocker if there is one.
 */
function readMovableRun(step: StageStep, moving: MovingCopy, earlier: ReadonlyMap<string, string>): { installs: readonly InstallCommand[]; reads: string[]; blocker?: string } {
  const next = step.instruction;
  const runSteps = readRunSteps(next);
  const reads: string[] = [];
  const stopped = (blocker: string) => ({ installs: runSteps.installs, reads, blocker });
  // `cd clickhouse && npm ci`: the install reads and writes where the RUN went.
  let state: StageState = step.before;
  for (const command of runSteps.commands) {
    const moved = state.workdir === undefined ? undefined : changedDirectory(command, state.workdir);
    if (moved !== undefined) {
      state = { ...state, workdir: moved };
      continue;
    }
    const files = installFiles(state, moving.context, moving.fromBroadCopy, earlier);
    const install = runSteps.installs.find((candidate) => candidate.command === command);
    if (!install) {
      const blocker = contextReadBlocker(command, next, moving);
      if (blocker !== undefined) return stopped(blocker);
      continue;
    }
    const blocker = systemPathBlocker(install, next, moving);
    if (blocker !== undefined) return stopped(blocker);
    const result = installNeeds(install, files);
    if ('decline' in result) return stopped(`line ${next.startLine + 1}: ${result.decline}`);
    for (const path of result.needs.reads) reads.push(resolveInImage(path, state.workdir ?? ''));
    const overwrite = overwriteBlocker(install, result.needs.writes, state, moving);
    if (overwrite !== undefined) return stopped(overwrite);
  }
  return { installs: runSteps.installs, reads };
}

/** Why a command that is not an install stops the move: it may read the files the COPY brings. */
function contextReadBlocker(command: SimpleCommand, next: ParsedInstruction, moving: MovingCopy): string | undefined {
  if (isContextFree(command, moving.dest)) return undefined;
  return `\`${truncate(command.text)}\` (line ${next.startLine + 1}) runs before the install could move and may read the files ${moving.summary} brings.`;
}

/** Why an install stops the move by writing where the COPY copies: a system folder, or the base image's working directory for a system installer. */
function systemPathBlocker(install: InstallCommand, next: ParsedInstruction, moving: MovingCopy): string | undefined {
  const dest = moving.dest;
  if (!isSystemPath(dest) && !(SYSTEM_INSTALLERS.has(install.manager) && isWithin(dest, BASE_WORKDIR))) return undefined;
  const where = isWithin(dest, BASE_WORKDIR) ? "the base image's working directory (/ in most images)" : dest;
  return `${moving.summary} copies into ${where}, where \`${managerLabel(install)}\` (line ${next.startLine + 1}) writes too.`;
}

/** Why an install stops the move: the context sends a file where it writes, which the moved COPY would put back over its output. */
function overwriteBlocker(install: InstallCommand, writes: readonly string[], state: StageState, moving: MovingCopy): string | undefined {
  const blocked = blockedWrite(writes, state, moving.fromBroadCopy, moving.context);
  if (!blocked) return undefined;
  return `the context sends ${blocked}, which the COPY moved after \`${managerLabel(install)}\` would write over. Add ${blocked} to ${moving.context.ignoreFilePath ?? 'a .dockerignore'}, then re-run.`;
}

/**
 * Files the installs read that the broad COPY brings (and no earlier COPY already put there): they go first.
 * A string when the installs read the COPY's whole source, which leaves nothing to split.
 */
function manifestsToCopyFirst(reads: ReadonlySet<string>, moving: MovingCopy, earlier: ReadonlyMap<string, string>): string[] | string {
  const { context, sourceRoot } = moving;
  const manifests: string[] = [];
  for (const imagePath of reads) {
    const contextPath = moving.fromBroadCopy(imagePath);
    if (contextPath === undefined || contextPath === '.') continue;
    if (earlier.get(imagePath) === contextPath) continue;
    if (contextPath === sourceRoot) return `the install reads all of ${sourceRoot}, which ${moving.summary} copies: there is nothing to split.`;
    const sent = context.files.isDirectory(contextPath) ? isSent(context, contextPath) : sendsFile(context, contextPath);
    if (sent && !manifests.includes(contextPath)) manifests.push(contextPath);
  }
  return manifests;
}

/** What the install sees in its folder, read from the context through the COPYs that put it there. */
function installFiles(state: StageState, context: BuildContext, fromBroadCopy: (imagePath: string) => string | undefined, earlier: ReadonlyMap<string, string>) {
  return contextInstallFiles(context, state.vars, (path) => {
    const imagePath = resolveInImage(path, state.workdir ?? '');
    return fromBroadCopy(imagePath) ?? earlier.get(imagePath);
  });
}

/** A path below the destination that the install writes and the context also sends, if any. */
function blockedWrite(writes: readonly string[], state: StageState, fromBroadCopy: (imagePath: string) => string | undefined, context: BuildContext): string | undefined {
  for (const write of writes) {
    const contextPath = fromBroadCopy(resolveInImage(write, state.workdir ?? ''));
    if (contextPath !== undefined && contextPath !== '.' && context.files.exists(contextPath) && isSent(context, contextPath)) return contextPath;
  }
  return undefined;
}

/** Image path → context path of the files earlier non-broad COPYs of the stage put in place. */
function earlierCopies(steps: readonly StageStep[], context: BuildContext): Map<string, string> {
  const map = new Map<string, string>();
  for (const { instruction, before } of steps) {
    const copy = readCopy(instruction, before, context);
    if (copy) recordCopy(map, copy, context);
  }
  return map;
}

/** Adds the files a COPY of single files or file globs puts in place to the image-path → context-path map. */
function recordCopy(map: Map<string, string>, copy: CopyStep, context: BuildContext): void {
  for (const [imagePath, contextPath] of copiedFiles(copy, context) ?? []) map.set(imagePath, contextPath);
}

/** Why another COPY cannot stay before the moved broad COPY (they write the same paths), or undefined when it can. */
function copyClash(other: CopyStep, dest: string, fromBroadCopy: (imagePath: string) => string | undefined, context: BuildContext): string | undefined {
  if (other.destInImage === undefined) return 'its destination is not known';
  const files = copiedFiles(other, context);
  if (!files) {
    return isWithin(other.destInImage, dest) || isWithin(dest, other.destInImage) ? `it writes into ${other.destInImage}, where the moved COPY writes too` : undefined;
  }
  for (const imagePath of files.keys()) {
    const contextPath = fromBroadCopy(imagePath);
    if (contextPath !== undefined && context.files.exists(contextPath) && isSent(context, contextPath)) return `both write ${imagePath}`;
  }
  return undefined;
}

/** The COPY lines that bring the manifests: one per folder, with the original's keyword case, indentation and --chown. */
function manifestCopyLines(
  dockerfile: ParsedDockerfile,
  instruction: ParsedInstruction,
  copy: CopyStep,
  sourceRoot: string,
  manifests: readonly string[],
  context: BuildContext,
): string[] {
  if (manifests.length === 0) return [];
  const firstLine = dockerfile.lines[instruction.startLine];
  const indent = /^\s*/.exec(firstLine)?.[0] ?? '';
  const written = firstLine.slice(indent.length, indent.length + 4);
  const keyword = written === written.toLowerCase() ? 'copy' : 'COPY';
  const chown = instruction.flags.find((flag) => flag.name === 'chown');
  const flags = chown ? `--chown=${chown.value} ` : '';
  const destBase = copy.dest === '.' ? './' : copy.dest.endsWith('/') ? copy.dest : `${copy.dest}/`;
  const relative = (path: string) => (sourceRoot === '.' ? path : path.slice(sourceRoot.length + 1));
  const groups = new Map<string, string[]>();
  const lines = [`${indent}${MANIFESTS_COMMENT}`];
  for (const path of manifests) {
    if (context.files.isDirectory(path)) {
      lines.push(copyLine(indent, keyword, flags, [`${path}/`], `${destBase}${relative(path)}/`));
      continue;
    }
    const dir = posix.dirname(relative(path));
    groups.set(dir, [...(groups.get(dir) ?? []), path]);
  }
  for (const [dir, paths] of groups) lines.push(copyLine(indent, keyword, flags, paths, dir === '.' ? destBase : `${destBase}${dir}/`));
  return lines;
}

function copyLine(indent: string, keyword: string, flags: string, sources: readonly string[], dest: string): string {
  const needsJson = [...sources, dest].some((word) => /[\s"'\\$]/.test(word));
  const args = needsJson ? JSON.stringify([...sources, dest]).replace(/","/g, '", "') : [...sources, dest].join(' ');
  return `${indent}${keyword} ${flags}${args}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
