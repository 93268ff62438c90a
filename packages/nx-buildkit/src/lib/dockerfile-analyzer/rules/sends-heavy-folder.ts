import { posix } from 'node:path';
import { compilePatterns } from '../../context/dockerignore';
import { BuildContext, isSent } from '../build-context';
import { CopyStep, readCopy } from '../copy-sources';
import { instructionSummary, ParsedDockerfile, ParsedInstruction, walkStage } from '../../dockerfile';
import { DockerfileRule, RuleHit } from '../rule';

const HEAVY = ['node_modules', '.git'];

/** Deep enough for packages/<scope>/<name>/node_modules in any workspace; a bound, too, on a folder symlinked into itself. */
const MAX_DEPTH = 8;

/** A message names this many folders and counts the rest. */
const NAMED_IN_MESSAGE = 3;

export const sendsHeavyFolder: DockerfileRule = {
  id: 'context/sends-heavy-folder',
  severity: 'warning',
  description: 'A COPY sends node_modules or .git from the context because no ignore file excludes them: slow transfers, host-built modules and history in the image.',
  check({ dockerfile, context }) {
    if (!context || context.ignoreError) return [];
    const copies = contextCopies(dockerfile, context);
    const sourcePaths = copies.flatMap((copy) => copy.sources.map((source) => source.path).filter((path): path is string => path !== undefined));
    if (sourcePaths.length === 0) return [];
    const heavy = sentHeavyFolders(context, sourcePaths);
    if (heavy.length === 0) return [];
    const hits: RuleHit[] = [];
    for (const copy of copies) {
      const copied = heavy.filter((path) => copy.sources.some((source) => source.path !== undefined && covers(source.path, path)));
      if (copied.length === 0) continue;
      hits.push(heavyFolderHit(copy.instruction, copied, dockerfile, context));
    }
    return hits;
  },
};

/** The COPY and ADD instructions of every stage, in file order. */
function contextCopies(dockerfile: ParsedDockerfile, context: BuildContext): CopyStep[] {
  const copies: CopyStep[] = [];
  for (const stage of dockerfile.stages) {
    for (const { instruction, before } of walkStage(dockerfile, stage.index)) {
      const copy = readCopy(instruction, before, context);
      if (copy) copies.push(copy);
    }
  }
  return copies;
}

function heavyFolderHit(instruction: ParsedInstruction, copied: readonly string[], dockerfile: ParsedDockerfile, context: BuildContext): RuleHit {
  const ignore = context.ignoreFilePath ? `${context.ignoreFilePath} does not exclude them` : 'the context has no ignore file';
  const patterns = [...new Set(copied.map(ignorePatternFor))].map((pattern) => `"${pattern}"`).join(' and ');
  return {
    line: instruction.startLine,
    message: `${instructionSummary(instruction, dockerfile)} sends ${nameFolders(copied)} (${ignore}): every build transfers them, and host-built modules or git history land in the image.`,
    fix: context.ignoreFilePath
      ? `Add ${patterns} to ${context.ignoreFilePath}.`
      : `Add a .dockerignore at the context root (or <Dockerfile>.dockerignore beside the Dockerfile) with ${patterns} and other build output.`,
  };
}

/** `node_modules and .git`, or the first few and how many more: a workspace root can hold dozens. */
function nameFolders(paths: readonly string[]): string {
  if (paths.length <= NAMED_IN_MESSAGE) return paths.join(' and ');
  return `${paths.slice(0, NAMED_IN_MESSAGE).join(', ')} and ${paths.length - NAMED_IN_MESSAGE} more`;
}

/** The ignore pattern that excludes the folder: a bare name matches only at the root, so deeper ones need `**`. */
function ignorePatternFor(path: string): string {
  return path.includes('/') ? `**/${posix.basename(path)}` : path;
}

/** Whether COPY of `source` takes `path` along: the source is the root, the folder itself or a folder above it. */
function covers(source: string, path: string): boolean {
  return source === '.' || path === source || path.startsWith(`${source}/`);
}

/** Whether a walk for what `sources` send has to look inside `folder`: it lies in a source or above one. */
function leadsToSource(folder: string, sources: readonly string[]): boolean {
  return sources.some((source) => covers(source, folder) || source.startsWith(`${folder}/`));
}

/**
 * node_modules and .git folders, at any depth, that the context sends to a COPY of `sources` and the ignore file did
 * not re-include on purpose. To stay cheap the walk never enters a heavy folder, a folder the ignore file excludes
 * (with nothing re-included below), or a folder no COPY reads.
 */
function sentHeavyFolders(context: BuildContext, sources: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (folder: string, depth: number): void => {
    for (const name of context.files.list(folder) ?? []) {
      const path = folder === '.' ? name : `${folder}/${name}`;
      // String and pattern checks first: isDirectory is a file-system call for every entry of the folder.
      if (!leadsToSource(path, sources) || !isSent(context, path) || !context.files.isDirectory(path)) continue;
      if (HEAVY.includes(name)) {
        if (!reincludedOnPurpose(context, path)) found.push(path);
      } else if (depth < MAX_DEPTH) {
        visit(path, depth + 1);
      }
    }
  };
  visit('.', 1);
  // Shallow folders first (the root's are the ones users recognise), node_modules before .git as the rule names them.
  const depth = (path: string) => path.split('/').length;
  const rank = (path: string) => HEAVY.indexOf(posix.basename(path));
  return found.sort((a, b) => depth(a) - depth(b) || rank(a) - rank(b));
}

/**
 * Whether a `!` pattern names this folder (`!.git`, `!.git/HEAD`, `!web/node_modules`): the user chose to send it, as
 * vaultwarden does for build.rs to read the version. A re-include that only covers it from above (`!backend`) or by
 * a wide glob (`!*.js`) is not such a choice.
 */
function reincludedOnPurpose(context: BuildContext, path: string): boolean {
  const name = posix.basename(path);
  return context.ignorePatterns.some((pattern) => {
    if (!pattern.exclusion) return false;
    const segments = pattern.pattern.split('/');
    const named = segments.indexOf(name);
    if (named < 0) return false;
    try {
      // The pattern up to the folder's name must match the folder: `!apps/web/node_modules` is not about ./node_modules.
      return compilePatterns([segments.slice(0, named + 1).join('/')])[0].test(path);
    } catch {
      return false;
    }
  });
}
