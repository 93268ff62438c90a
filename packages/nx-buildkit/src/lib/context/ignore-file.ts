import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

export interface IgnoreFile {
  /** Path of the ignore file that applies (as the candidates were given: absolute or workspace-relative), or undefined when none does. */
  readonly path?: string;
  readonly text: string;
}

/** Reads a file as text; undefined when it does not exist or is not a file (a folder, a broken link). */
export type TextReader = (path: string) => string | undefined;

/**
 * Where BuildKit looks for the ignore file, in order: `<Dockerfile name>.dockerignore` beside the Dockerfile, then
 * `.dockerignore` at the context root. The one place this rule is written.
 */
export function ignoreFileCandidates(contextDir: string, dockerfilePath: string): string[] {
  return [`${dockerfilePath}.dockerignore`, posix.join(contextDir, '.dockerignore')];
}

/**
 * The first candidate that is a readable file. A folder named like an ignore file is passed over and the next
 * candidate used, as BuildKit does (docker buildx 0.13.1 / Docker 26.1, tried with both names).
 */
export function findIgnoreFile(read: TextReader, contextDir: string, dockerfilePath: string): IgnoreFile {
  for (const candidate of ignoreFileCandidates(contextDir, dockerfilePath)) {
    const text = read(candidate);
    if (text !== undefined) return { path: candidate, text };
  }
  return { text: '' };
}

/** A TextReader over the disk: a file's text, undefined when there is none to read (also for the engine's config files). */
export const readTextFromDisk: TextReader = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // ENOENT, EISDIR, ENOTDIR, a dangling link, no permission: no such file to read.
    return undefined;
  }
};
