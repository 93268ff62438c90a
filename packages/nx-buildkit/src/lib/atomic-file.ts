import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: a temp file beside it (same folder, so the rename cannot cross file systems), then a
 * rename, so a reader never sees a truncated file and two concurrent writers never interleave. On failure the temp
 * file is removed and the error is thrown as it came.
 */
export function writeFileAtomically(path: string, content: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, content);
    renameSync(temp, path);
  } catch (error) {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself could not be made: there is no temp file to remove.
    }
    throw error;
  }
}
