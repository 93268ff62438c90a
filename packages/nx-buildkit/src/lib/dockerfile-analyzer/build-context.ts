import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ProducedPath } from '../context';
import { compilePatterns, IgnorePattern, isExcluded, mustDescendExcludedDir, parseIgnoreFile } from '../context/dockerignore';

/**
 * The build context as the analyzer sees it: files on disk (or in an Nx Tree), and the ignore file that decides
 * what BuildKit sends. Paths are POSIX, relative to the context root.
 */
export interface ContextFiles {
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  readText(path: string): string | undefined;
  /** Names in a folder, or undefined when it is not one. */
  list(path: string): string[] | undefined;
}

export interface BuildContext {
  readonly files: ContextFiles;
  /** The ignore file that applies, as the user should see its path; undefined when there is none. */
  readonly ignoreFilePath?: string;
  /** Its patterns, compiled; empty when there is none or it could not be read. */
  readonly ignorePatterns: readonly IgnorePattern[];
  /** Set when the ignore file has a pattern Docker rejects: nothing about the context can be trusted then. */
  readonly ignoreError?: string;
  /** Context paths that targets of the workspace write (build outputs): not there yet is not missing. */
  readonly producedPaths: readonly ProducedPath[];
}

export function createBuildContext(files: ContextFiles, ignoreFile: { path?: string; text: string }, producedPaths: readonly ProducedPath[] = []): BuildContext {
  if (ignoreFile.path === undefined) return { files, ignorePatterns: [], producedPaths };
  try {
    return { files, ignoreFilePath: ignoreFile.path, ignorePatterns: compilePatterns(parseIgnoreFile(ignoreFile.text)), producedPaths };
  } catch (error) {
    return { files, ignoreFilePath: ignoreFile.path, ignorePatterns: [], ignoreError: (error as Error).message, producedPaths };
  }
}

/** Whether BuildKit sends this path (a folder counts as sent when something below it may be re-included). */
export function isSent(context: BuildContext, path: string): boolean {
  if (path === '.' || path === '') return true;
  if (!isExcluded(context.ignorePatterns, path)) return true;
  return context.files.isDirectory(path) && mustDescendExcludedDir(context.ignorePatterns, path);
}

/** Whether the context sends this file: it exists and the ignore file keeps it. */
export function sendsFile(context: BuildContext, path: string): boolean {
  return context.files.exists(path) && !context.files.isDirectory(path) && !isExcluded(context.ignorePatterns, path);
}

/** A folder on disk, read lazily. */
export function diskContextFiles(root: string): ContextFiles {
  const abs = (path: string) => join(root, path);
  return {
    exists: (path) => existsSync(abs(path)),
    isDirectory: (path) => {
      try {
        return statSync(abs(path)).isDirectory();
      } catch {
        return false;
      }
    },
    readText: (path) => {
      try {
        return readFileSync(abs(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    list: (path) => {
      try {
        return readdirSync(abs(path)).sort();
      } catch {
        return undefined;
      }
    },
  };
}
