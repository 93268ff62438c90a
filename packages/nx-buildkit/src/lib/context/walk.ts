import { createHash } from 'node:crypto';
import { close, createReadStream, existsSync, open, read, readlinkSync, readdirSync, lstatSync, stat, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  compilePatterns,
  IgnorePattern,
  IgnorePatternError,
  matchWithParents,
  mustDescendExcludedDir,
  ParentMatches,
  parseIgnoreFile,
} from './dockerignore';
import type { DigestCache, FileIdentity } from './digest-cache';
import { decodeName, encodeName, fsPath } from './name-bytes';
import { findIgnoreFile, IgnoreFile, readTextFromDisk } from './ignore-file';
import { digestFilesInWorkers, worthWorkers } from './digest-in-workers';

/** `special`: FIFOs, sockets and devices, sent as such; hashed by type and mode, never read (a FIFO would block). */
export type ContextEntryType = 'file' | 'dir' | 'symlink' | 'special';

export interface ContextEntry {
  /** POSIX path relative to the context root. */
  readonly path: string;
  readonly type: ContextEntryType;
  /** Permission bits (mode & 0o7777). */
  readonly mode: number;
  readonly size: number;
  /**
   * The file as the walk's lstat saw it (regular files only): the digest cache's key, and the size the read starts
   * from. Taken before the read, so a change after it only makes the next run read the file again.
   */
  readonly identity?: FileIdentity;
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
  const root = resolve(contextDir);
  const visit = (relDir: string, parent: ParentMatches, excludedDir = false): void => {
    let names: string[];
    try {
      names = readNames(relDir ? fsPath(root, relDir) : root).sort(compareBytes);
    } catch (error) {
      // An excluded folder is only entered to look for re-included files: when it cannot be read, BuildKit's walker
      // skips it (fsutil TestWalkerPermissionDenied: "**\/bar", "!foo/bar/baz", foo/bar unreadable), and so do we.
      if (excludedDir && (error as NodeJS.ErrnoException).code === 'EACCES') return;
      throw error;
    }
    for (const name of names) {
      const rel = relDir ? `${relDir}/${name}` : name;
      // bigint: inode and nanosecond times exactly, for the digest cache (a second stat per file cost ~15 % of hashing).
      const stat = lstatSync(fsPath(root, rel), { bigint: true });
      const isDir = stat.isDirectory();
      const { excluded, matches } = patterns.length ? matchWithParents(patterns, rel, parent) : { excluded: false, matches: [] };
      if (excluded) {
        if (isDir && mustDescendExcludedDir(patterns, rel)) visit(rel, matches, true);
        continue;
      }
      const type: ContextEntryType = isDir ? 'dir' : stat.isSymbolicLink() ? 'symlink' : stat.isFile() ? 'file' : 'special';
      const mode = Number(stat.mode & 0o7777n);
      const size = Number(stat.size);
      entries.push(type === 'file' ? { path: rel, type, mode, size, identity: { ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs } } : { path: rel, type, mode, size });
      if (isDir) visit(rel, matches);
    }
  };
  visit('', undefined);
  return entries.sort((a, b) => compareBytes(a.path, b.path));
}

/**
 * A folder's names, losslessly (name-bytes.ts): a name that is not UTF-8 is sent by BuildKit and must be hashed. Read
 * as text first, which Node decodes with U+FFFD for what is not UTF-8; only a folder with a U+FFFD in a name is read
 * again as bytes (cheaper than a Buffer and a strict decode per name in every folder).
 */
function readNames(dir: string | Buffer): string[] {
  const names = readdirSync(dir);
  return names.some((name) => name.includes('\ufffd')) ? readdirSync(dir, { encoding: 'buffer' }).map(decodeName) : names;
}

/** Any UTF-16 surrogate: a character beyond U+FFFF, or a byte that was not UTF-8 (name-bytes.ts). */
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Byte-order comparison of the names' own bytes, as Go sorts paths (not locale order). Without surrogates, comparing
 * the strings' UTF-16 units gives the order of their UTF-8 bytes (both follow code points below U+10000), with no
 * Buffer per comparison (a sort of 2,000 paths: 14 ms with Buffers, 2.4 ms without).
 */
export function compareBytes(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
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
 * Content digest of each entry: sha256 of a file's bytes, of a symlink's target text; empty for directories. Files
 * whose stat matches the digest cache are not read; the rest are read in worker threads when there are many
 * (digest-in-workers.ts), else here, a bounded number at once.
 */
export async function digestEntries(contextDir: string, entries: readonly ContextEntry[], concurrency = 32, cache?: DigestCache): Promise<string[]> {
  const digests = new Array<string>(entries.length);
  const misses: FileToRead[] = [];
  const root = resolve(contextDir);
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    const abs = fsPath(root, entry.path);
    if (entry.type === 'dir' || entry.type === 'special') digests[index] = '';
    // The target's bytes: the same digest as its text for a UTF-8 target, and a distinct one for any other.
    else if (entry.type === 'symlink') digests[index] = sha256(readlinkSync(abs, { encoding: 'buffer' }));
    else {
      const identity = entry.identity ?? (await statIdentity(abs));
      // The cache's key: the absolute path as text (an escaped name's path is bytes for node:fs, its text here).
      const key = typeof abs === 'string' ? abs : join(root, entry.path);
      const remembered = cache?.lookup(key, identity);
      if (remembered) digests[index] = remembered;
      else misses.push({ index, path: abs, key, identity });
    }
  }
  const readAt = Date.now();
  const bytes = misses.reduce((sum, miss) => sum + Number(miss.identity.size), 0);
  const read = worthWorkers(misses.length, bytes) ? await digestFilesInWorkers(misses.map((miss) => miss.path)) : await readConcurrently(misses, concurrency);
  misses.forEach((miss, i) => {
    digests[miss.index] = read[i];
    cache?.remember(miss.key, miss.identity, read[i], readAt);
  });
  return digests;
}

interface FileToRead {
  readonly index: number;
  readonly path: string | Buffer;
  /** The digest cache's key: the absolute path as text. */
  readonly key: string;
  readonly identity: FileIdentity;
}

/** Reads and hashes files here, `concurrency` at a time (few files: not worth a worker's start). */
async function readConcurrently(files: readonly FileToRead[], concurrency: number): Promise<string[]> {
  const digests = new Array<string>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    // One read buffer per worker, reused: its file is hashed before the worker reads the next one (a buffer per file
    // was ~10 % of cold hashing in allocation and garbage collection).
    const scratch = { buffer: undefined as Buffer | undefined };
    while (next < files.length) {
      const index = next++;
      digests[index] = await sha256File(files[index].path, Number(files[index].identity.size), scratch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return digests;
}

/** For an entry the walk did not stat as a regular file (a caller's own list). */
function statIdentity(path: string | Buffer): Promise<FileIdentity> {
  return new Promise((resolve, reject) =>
    stat(path, { bigint: true }, (error, stats) => (error ? reject(error) : resolve({ ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, ctimeNs: stats.ctimeNs }))),
  );
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const SMALL_FILE = 1 << 20;

async function sha256File(path: string | Buffer, size: number, scratch: { buffer?: Buffer }): Promise<string> {
  // Small files are read at once: a stream per file costs more than the read itself.
  if (size < SMALL_FILE) {
    scratch.buffer ??= Buffer.allocUnsafe(SMALL_FILE + 1);
    return sha256(await readSmallFile(path, size, scratch.buffer));
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A small file's bytes: open, read into a buffer of the size the walk saw (one byte more, to see the end), close.
 * Measured on 10k files / 200 MB, 32 at a time: about half the time of fs/promises' readFile, which adds an fstat
 * and a FileHandle per file. A file that grew since the walk is read on to its end. With `into`, the bytes are read
 * into it when they fit: the result is a view of it, valid until the next read into it.
 */
export function readSmallFile(path: string | Buffer, expectedSize: number, into?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (openError, fd) => {
      if (openError) return reject(openError);
      let buffer = into && into.length > expectedSize ? into : Buffer.allocUnsafe(expectedSize + 1);
      let length = 0;
      const finish = (error: Error | null) => close(fd, (closeError) => (error ?? closeError ? reject(error ?? closeError) : resolve(buffer.subarray(0, length))));
      const next = (): void => {
        if (length === buffer.length) {
          const grown = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(grown, 0, 0, length);
          buffer = grown;
        }
        read(fd, buffer, length, buffer.length - length, null, (readError, bytesRead) => {
          if (readError) return finish(readError);
          if (bytesRead === 0) return finish(null);
          length += bytesRead;
          next();
        });
      };
      next();
    });
  });
}
