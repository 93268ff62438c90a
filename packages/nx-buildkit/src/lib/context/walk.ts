import { createHash } from 'node:crypto';
import { createReadStream, existsSync, promises as fsp, readlinkSync, readdirSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  compilePatterns,
  IgnorePattern,
  IgnorePatternError,
  matchWithParents,
  mustDescendExcludedDir,
  ParentMatches,
  parseIgnoreFile,
} from '../dockerignore';
import type { DigestCache } from './digest-cache';
import { decodeName, encodeName, fsPath } from './name-bytes';
import { findIgnoreFile, IgnoreFile, readTextFromDisk } from './ignore-file';

/** `special`: FIFOs, sockets and devices, sent as such; hashed by type and mode, never read (a FIFO would block). */
export type ContextEntryType = 'file' | 'dir' | 'symlink' | 'special';

export interface ContextEntry {
  /** POSIX path relative to the context root. */
  readonly path: string;
  readonly type: ContextEntryType;
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  readonly size: number;
}

export class ContextError extends Error {}

export function loadIgnorePatterns(ignoreFile: IgnoreFile): IgnorePattern[] {
  try {
    return compilePatterns(parseIgnoreFile(ignoreFile.text));
  } catch (error) {
    if (error instanceof IgnorePatternError) {
      throw new ContextError(`Ignore file "${ignoreFile.path}" has an invalid pattern: ${error.message}. Fix or remove that line.`);
    }
    throw error;
  }
}

/** Walks the context the way BuildKit's file sender does and returns every entry it would send, sorted by path. */
export function walkContext(contextDir: string, patterns: readonly IgnorePattern[]): ContextEntry[] {
  const entries: ContextEntry[] = [];
  const visit = (relDir: string, parent: ParentMatches, excludedDir = false): void => {
    let names: string[];
    try {
      // As bytes: a name that is not UTF-8 is sent by BuildKit and must be hashed (name-bytes.ts).
      names = readdirSync(relDir ? fsPath(contextDir, relDir) : contextDir, { encoding: 'buffer' }).map(decodeName).sort(compareBytes);
    } catch (error) {
      // An excluded folder is only entered to look for re-included files: when it cannot be read, BuildKit's walker
      // skips it (fsutil TestWalkerPermissionDenied: "**\/bar", "!foo/bar/baz", foo/bar unreadable), and so do we.
      if (excludedDir && (error as NodeJS.ErrnoException).code === 'EACCES') return;
      throw error;
    }
    for (const name of names) {
      const rel = relDir ? `${relDir}/${name}` : name;
      const stat = lstatSync(fsPath(contextDir, rel));
      const isDir = stat.isDirectory();
      const { excluded, matches } = patterns.length ? matchWithParents(patterns, rel, parent) : { excluded: false, matches: [] };
      if (excluded) {
        if (isDir && mustDescendExcludedDir(patterns, rel)) visit(rel, matches, true);
        continue;
      }
      const type: ContextEntryType = isDir ? 'dir' : stat.isSymbolicLink() ? 'symlink' : stat.isFile() ? 'file' : 'special';
      entries.push({ path: rel, type, mode: stat.mode & 0o7777, size: stat.size });
      if (isDir) visit(rel, matches);
    }
  };
  visit('', undefined);
  return entries.sort((a, b) => compareBytes(a.path, b.path));
}

/** Byte-order comparison of the names' own bytes, as Go sorts paths (not locale order). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(encodeName(a), encodeName(b));
}

export interface ListContextFilesOptions {
  /** Build context directory, absolute or relative to `root`. */
  readonly context: string;
  /** Dockerfile, absolute or relative to `root`; decides which ignore file applies. Defaults to `<context>/Dockerfile`. */
  readonly dockerfile?: string;
  /** Base for relative paths; defaults to the current working directory. */
  readonly root?: string;
}

/**
 * The files a `docker buildx build` of this context would send, after Docker's ignore rules: sorted POSIX paths
 * relative to the context. Directories are not listed; symlinks are (BuildKit sends links, not their targets).
 */
export async function listContextFiles(options: ListContextFilesOptions): Promise<string[]> {
  const root = options.root ?? process.cwd();
  const contextDir = resolveFrom(root, options.context);
  const dockerfile = options.dockerfile ? resolveFrom(root, options.dockerfile) : join(contextDir, 'Dockerfile');
  assertDirectory(contextDir);
  const patterns = loadIgnorePatterns(findIgnoreFile(readTextFromDisk, contextDir, dockerfile));
  return walkContext(contextDir, patterns)
    .filter((entry) => entry.type !== 'dir')
    .map((entry) => entry.path);
}

function resolveFrom(root: string, p: string): string {
  return isAbsolute(p) ? p : resolve(root, p);
}

function assertDirectory(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ContextError(`Build context "${dir}" is not a directory. Set "context" to an existing folder.`);
}

/**
 * Content digest of each entry: sha256 of a file's bytes, of a symlink's target text; empty for directories.
 * Reads a bounded number of files at once.
 */
export async function digestEntries(contextDir: string, entries: readonly ContextEntry[], concurrency = 32, cache?: DigestCache): Promise<string[]> {
  const digests = new Array<string>(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const index = next++;
      const entry = entries[index];
      const abs = fsPath(contextDir, entry.path);
      if (entry.type === 'dir' || entry.type === 'special') digests[index] = '';
      // The target's bytes: the same digest as its text for a UTF-8 target, and a distinct one for any other.
      else if (entry.type === 'symlink') digests[index] = sha256(readlinkSync(abs, { encoding: 'buffer' }));
      else digests[index] = await fileDigest(abs, join(contextDir, entry.path), cache);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
  return digests;
}

/** A file's content digest: remembered from an earlier run when its stat is what it was then, else read and hashed. */
async function fileDigest(path: string | Buffer, key: string, cache: DigestCache | undefined): Promise<string> {
  const stat = await fsp.stat(path, { bigint: true });
  const identity = { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs };
  const remembered = cache?.lookup(key, identity);
  if (remembered) return remembered;
  const readAt = Date.now();
  const digest = await sha256File(path, Number(stat.size));
  cache?.remember(key, identity, digest, readAt);
  return digest;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function sha256File(path: string | Buffer, size: number): Promise<string> {
  // Small files are read at once: a stream per file costs more than the read itself.
  if (size < 1 << 20) return sha256(await fsp.readFile(path));
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
