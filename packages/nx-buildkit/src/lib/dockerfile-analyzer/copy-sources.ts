import { posix } from 'node:path';
import { compilePatterns } from '../context/dockerignore';
import { BuildContext } from './build-context';
import { normalizeSource, ParsedInstruction, resolveInImage, resolveVariables, StageState } from '../dockerfile';
import { globLooksLikeManifests, isManifestDirName, isManifestPath } from './manifests';

/**
 * - `context-root`: `.` — the whole context;
 * - `directory`: a folder that is not a manifest folder (`src/`, `app`);
 * - `glob`: a pattern that may match more than manifests (`*.py`, `*`);
 * - `manifest`: a manifest file or folder, or a glob of only manifests (`package*.json`);
 * - `file`: any other single file;
 * - `unresolved`: uses a variable whose value is not known.
 */
export type SourceKind = 'context-root' | 'directory' | 'glob' | 'manifest' | 'file' | 'unresolved';

export interface CopySource {
  /** As written. */
  readonly raw: string;
  /** Relative to the context root, POSIX, without `./` or a trailing slash; undefined when unresolved. */
  readonly path?: string;
  readonly kind: SourceKind;
}

export interface CopyStep {
  readonly instruction: ParsedInstruction;
  readonly keyword: 'COPY' | 'ADD';
  /** `--from=<stage or image>`: the files do not come from the context. */
  readonly fromOther: boolean;
  readonly heredoc: boolean;
  readonly sources: readonly CopySource[];
  /** The destination as written. */
  readonly dest: string;
  /** The destination in the image; undefined when a variable or the working directory is unknown. */
  readonly destInImage?: string;
}

/** Reads a COPY or ADD of context files; undefined for other instructions. */
export function readCopy(instruction: ParsedInstruction, state: StageState, context?: BuildContext): CopyStep | undefined {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return undefined;
  const keyword = instruction.keyword;
  const fromOther = instruction.flags.some((flag) => flag.name === 'from');
  const heredoc = instruction.heredocs.length > 0;
  const words = instruction.json ?? instruction.words;
  if (words.length < 2 || heredoc) {
    return { instruction, keyword, fromOther, heredoc, sources: [], dest: words[words.length - 1] ?? '' };
  }
  const dest = words[words.length - 1];
  const sources = fromOther
    ? []
    : words
        .slice(0, -1)
        .filter((raw) => !(keyword === 'ADD' && /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(raw)))
        .map((raw) => classifySource(raw, state, context));
  const resolvedDest = resolveVariables(dest, state.vars);
  const destInImage = resolvedDest === undefined || (state.workdir === undefined && !resolvedDest.startsWith('/')) ? undefined : resolveInImage(resolvedDest, state.workdir ?? '');
  return { instruction, keyword, fromOther, heredoc, sources, dest, destInImage };
}

export function classifySource(raw: string, state: StageState, context?: BuildContext): CopySource {
  const resolved = resolveVariables(raw, state.vars);
  if (resolved === undefined) return { raw, kind: 'unresolved' };
  const path = normalizeSource(resolved);
  if (path === '.') return { raw, path, kind: 'context-root' };
  if (/[*?[]/.test(path)) return { raw, path, kind: classifyGlob(path, context) };
  const base = posix.basename(path);
  if (context?.files.exists(path)) {
    if (context.files.isDirectory(path)) return { raw, path, kind: isManifestDirName(base) ? 'manifest' : 'directory' };
    return { raw, path, kind: isManifestPath(path) ? 'manifest' : 'file' };
  }
  if (isManifestPath(path) || isManifestDirName(base)) return { raw, path, kind: 'manifest' };
  // Not on disk (or no context to look in): a trailing slash or a name without an extension reads as a folder, except
  // the names files conventionally have without one (VERSION, Makefile, LICENSE…), so no file is called a folder.
  return { raw, path, kind: resolved.endsWith('/') || (!base.includes('.') && !EXTENSIONLESS_FILE.test(base)) ? 'directory' : 'file' };
}

/** File names that conventionally have no extension. */
const EXTENSIONLESS_FILE = /^(VERSION|REVISION|LICEN[CS]E|COPYING|NOTICE|AUTHORS|CONTRIBUTORS|README|CHANGELOG|CHANGES|HISTORY|NEWS|Makefile|GNUmakefile|Dockerfile|Containerfile|Procfile|Jenkinsfile|Vagrantfile|Rakefile|Brewfile|Caddyfile|Justfile|Taskfile|Earthfile|Tiltfile)$/i;

function classifyGlob(path: string, context?: BuildContext): SourceKind {
  const dir = posix.dirname(path);
  const names = context && !/[*?[]/.test(dir) ? context.files.list(dir) : undefined;
  if (names) {
    let matcher: (p: string) => boolean;
    try {
      matcher = compilePatterns([path])[0].test;
    } catch {
      return 'glob';
    }
    const matches = names.map((name) => (dir === '.' ? name : `${dir}/${name}`)).filter((p) => matcher(p));
    if (matches.length > 0) {
      const onlyManifests = matches.every((p) => (context?.files.isDirectory(p) ? isManifestDirName(posix.basename(p)) : isManifestPath(p)));
      return onlyManifests ? 'manifest' : 'glob';
    }
  }
  return globLooksLikeManifests(path) ? 'manifest' : 'glob';
}


/** A source that brings in more than dependency manifests: the whole context, a source folder or a wide glob. */
export function isBroadSource(source: CopySource): boolean {
  return source.kind === 'context-root' || source.kind === 'directory' || source.kind === 'glob';
}

export function describeSource(source: CopySource): string {
  switch (source.kind) {
    case 'context-root':
      return 'the whole build context';
    case 'directory':
      return `the folder ${source.path}/`;
    case 'glob':
      return `everything matching ${source.path}`;
    default:
      return source.raw;
  }
}

/**
 * Where the files of a COPY of one source folder (or the whole context) land: image path → context path, or
 * undefined for a path the COPY does not fill or when its source or destination is not known.
 */
export function copiedFrom(copy: CopyStep, source: CopySource): (imagePath: string) => string | undefined {
  const dest = copy.destInImage;
  const sourceRoot = source.path;
  if (dest === undefined || sourceRoot === undefined) return () => undefined;
  return (imagePath) => {
    if (!(dest === '/' || imagePath === dest || imagePath.startsWith(`${dest}/`))) return undefined;
    const rest = imagePath === dest ? '' : imagePath.slice(dest === '/' ? 1 : dest.length + 1);
    return sourceRoot === '.' ? rest || '.' : rest ? `${sourceRoot}/${rest}` : sourceRoot;
  };
}

/**
 * The files a COPY writes, as image path → context path; undefined when that cannot be listed (folders, the whole
 * context, another stage, here-documents, unknown destination).
 */
export function copiedFiles(copy: CopyStep, context: BuildContext): Map<string, string> | undefined {
  if (copy.fromOther || copy.heredoc || copy.destInImage === undefined || copy.sources.length === 0) return undefined;
  if (copy.sources.some((source) => source.path === undefined || source.kind === 'context-root' || source.kind === 'directory' || context.files.isDirectory(source.path))) return undefined;
  const files = new Map<string, string>();
  const destIsDir = copy.sources.length > 1 || /\/$/.test(copy.dest) || copy.dest === '.' || /[*?[]/.test(copy.sources[0]?.path ?? '');
  for (const source of copy.sources) {
    const matches = /[*?[]/.test(source.path as string) ? expandGlob(source.path as string, context) : [source.path as string];
    for (const path of matches) files.set(destIsDir ? posix.join(copy.destInImage, posix.basename(path)) : copy.destInImage, path);
  }
  return files;
}

function expandGlob(glob: string, context: BuildContext): string[] {
  const dir = posix.dirname(glob);
  const pattern = new RegExp(`^${posix.basename(glob).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return (context.files.list(dir) ?? []).filter((name) => pattern.test(name)).map((name) => (dir === '.' ? name : `${dir}/${name}`));
}

