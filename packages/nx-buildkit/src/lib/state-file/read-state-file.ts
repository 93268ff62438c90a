import { closeSync, fstatSync, openSync, readSync, constants as fsConstants } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { describeError } from '../errors';
import { Shape, ShapeError } from './shape';

/**
 * The largest state file read back. Ours stay far below it (a record is ~1 KB; the digest cache of its 200,000-file
 * ceiling is ~40 MB: 200 bytes an entry); a bigger file is not ours, or not any more, and reading it whole would cost its size in memory
 * several times over (a 600 MB junk cache cost 1.1 GB before this bound).
 */
export const MAX_STATE_FILE_BYTES = 64 * 1024 * 1024;

/** What reading a state file gave: its parsed value, nothing (no such file), or why it was not used. */
export type StateFileRead<T> = { readonly value: T; readonly problem?: undefined } | { readonly value?: undefined; readonly problem?: string };

/**
 * Reads a JSON file the plugin wrote earlier and checks it against its shape. Anything else — not a regular file,
 * over the size bound, not JSON (truncated), the wrong shape — comes back as a problem to report in one line, never
 * as a throw: state the plugin keeps is an optimisation or an explanation, and corrupt state costs a rebuild, not a
 * stuck target. A missing file is simply absent.
 */
export function readStateFile<T>(path: string, shape: Shape<T>, maxBytes = MAX_STATE_FILE_BYTES): StateFileRead<T> {
  const text = readBounded(path, maxBytes);
  if (text.problem !== undefined || text.value === undefined) return { problem: text.problem };
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch {
    return { problem: 'not valid JSON (truncated or not written by nx-buildkit)' };
  }
  try {
    return { value: shape(json, '') };
  } catch (error) {
    if (error instanceof ShapeError) return { problem: `not in the expected shape (${error.message})` };
    throw error;
  }
}

/** The file's text, read only when it is a regular file within the bound (checked on the open file, not the path). */
export function readBounded(path: string, maxBytes = MAX_STATE_FILE_BYTES): StateFileRead<string> {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO put where a state file belongs is opened without waiting for a writer, then refused below.
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return {};
    return { problem: `unreadable (${describeError(error)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: 'not a regular file' };
    if (stat.size > maxBytes) return { problem: `larger than ${formatBytes(maxBytes)} (${formatBytes(stat.size)})` };
    // Read at most one byte past the bound: a file that grows after the stat is refused too.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 1)));
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) return { problem: `larger than ${formatBytes(maxBytes)}` };
      if (length === buffer.length) break;
    }
    return { value: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { problem: `unreadable (${describeError(error)})` };
  } finally {
    closeSync(fd);
  }
}

/**
 * The one line a run prints for a state file it did not use: the file (relative to the working folder), why, and
 * what the run does instead. `nx-buildkit: ignored dist/docker/api/docker-build.inputs.json (not valid JSON …); explained as a first build`.
 */
export function ignoredStateFileLine(path: string, problem: string, instead: string): string {
  const fromCwd = relative(process.cwd(), path);
  const shown = fromCwd && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : path;
  return `nx-buildkit: ignored ${shown} (${problem}); ${instead}.`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}
