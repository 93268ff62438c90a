import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Read-only access to workspace files by workspace-relative POSIX path. Inference sees the disk only through this, so
 * it can record what it looked at: a cached result is reused only while every one of those answers still holds.
 */
export interface WorkspaceFiles {
  /** The text of a file, or undefined when the path is not a file. */
  readText(path: string): string | undefined;
  /** Whether anything (file, folder, link) exists at the path. */
  exists(path: string): boolean;
}

/** What was observed at each path, keyed by `text:<path>` or `exists:<path>`. */
export type ObservedFiles = Record<string, string>;

export class RecordingWorkspaceFiles implements WorkspaceFiles {
  private readonly seen: ObservedFiles = {};

  constructor(private readonly workspaceRoot: string) {}

  readText(path: string): string | undefined {
    const text = readTextAt(this.workspaceRoot, path);
    this.seen[`text:${path}`] = text === undefined ? 'none' : sha256(text);
    return text;
  }

  exists(path: string): boolean {
    const found = existsAt(this.workspaceRoot, path);
    this.seen[`exists:${path}`] = String(found);
    return found;
  }

  /** Everything looked at so far. */
  observed(): ObservedFiles {
    return { ...this.seen };
  }
}

/** Whether the workspace still looks the same at every path recorded. */
export function stillObserved(workspaceRoot: string, observed: ObservedFiles): boolean {
  return Object.entries(observed).every(([key, value]) => {
    const separator = key.indexOf(':');
    const kind = key.slice(0, separator);
    const path = key.slice(separator + 1);
    if (kind === 'text') {
      const text = readTextAt(workspaceRoot, path);
      return value === (text === undefined ? 'none' : sha256(text));
    }
    return kind === 'exists' && value === String(existsAt(workspaceRoot, path));
  });
}

function readTextAt(workspaceRoot: string, path: string): string | undefined {
  try {
    return readFileSync(join(workspaceRoot, path), 'utf8');
  } catch {
    // Missing, a folder, or unreadable: inference treats all three as "no such file".
    return undefined;
  }
}

function existsAt(workspaceRoot: string, path: string): boolean {
  return statSync(join(workspaceRoot, path), { throwIfNoEntry: false }) !== undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
