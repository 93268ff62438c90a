import type { ContextRead } from '../dockerfile';
import { overlaps } from './paths';

/** A context path (POSIX, relative to the context root) that a target writes before the build reads it. */
export interface ProducedPath {
  readonly path: string;
  /** `<project>:<target>`, for messages. */
  readonly producer: string;
}

export interface SourceCheck {
  /** Sources that match nothing in the context and that no known target writes: the first read of each path. */
  readonly missing: readonly ContextRead[];
  /** Sources that do not exist yet and lie in a path a target writes: the first read of each, with its producer. */
  readonly produced: ReadonlyArray<{ readonly read: ContextRead; readonly producer: string }>;
}

/**
 * The COPY/ADD/bind-mount sources that name nothing in the context. Only literal paths are checked: a wildcard that
 * matches nothing is how Dockerfiles copy an optional file (`COPY yarn.lock* ./`, BuildKit allows it), a source with
 * a variable is known only at build time, and `..` is clamped by BuildKit to the context root. A path that does not
 * exist yet but that a target writes (a build output the image's build depends on) is not missing: it is listed with
 * its producer instead.
 */
export function findMissingSources(reads: readonly ContextRead[], exists: (path: string) => boolean, producedPaths: readonly ProducedPath[] = []): SourceCheck {
  const missing: ContextRead[] = [];
  const produced: Array<{ read: ContextRead; producer: string }> = [];
  const seen = new Set<string>();
  for (const read of reads) {
    const path = read.path;
    if (path === undefined || !isCheckable(path) || seen.has(path)) continue;
    seen.add(path);
    if (exists(path)) continue;
    const producer = producedPaths.find((candidate) => overlaps(candidate.path, path))?.producer;
    if (producer) produced.push({ read, producer });
    else missing.push(read);
  }
  return { missing, produced };
}

/**
 * The COPY/ADD/bind-mount sources that exist on disk but that the ignore file keeps out of the context, so BuildKit
 * answers "not found" (a root .dockerignore that excludes `dist`, read by a Dockerfile that copies `dist/apps/api`).
 * `isSent` tells whether the context sends a path or anything under it. Literal paths only, the first read of each.
 */
export function findExcludedSources(reads: readonly ContextRead[], existsOnDisk: (path: string) => boolean, isSent: (path: string) => boolean): ContextRead[] {
  const excluded: ContextRead[] = [];
  const seen = new Set<string>();
  for (const read of reads) {
    const path = read.path;
    if (path === undefined || !isCheckable(path) || seen.has(path)) continue;
    seen.add(path);
    // What the context sends is known without a system call: the disk is asked only about what it leaves out.
    if (!isSent(path) && existsOnDisk(path)) excluded.push(read);
  }
  return excluded;
}

function isCheckable(path: string): boolean {
  return path !== '.' && path !== '..' && !path.startsWith('../') && !/[*?[\\]/.test(path);
}

/** `COPY meta (line 5)`: how a source is named in messages. */
export function describeRead(read: ContextRead): string {
  return `${read.instruction} ${read.raw} (line ${read.line + 1})`;
}

/**
 * The context paths of workspace paths a target writes: an output inside the context as its path there, an output
 * that holds the whole context as `.`; outputs elsewhere are left out (the build cannot read them).
 */
export function producedInContext(outputs: ReadonlyArray<{ readonly path: string; readonly producer: string }>, context: string): ProducedPath[] {
  const inContext: ProducedPath[] = [];
  for (const { path, producer } of outputs) {
    if (context === '.' || path === context || path.startsWith(`${context}/`)) inContext.push({ path: context === '.' ? path : path === context ? '.' : path.slice(context.length + 1), producer });
    else if (context.startsWith(`${path}/`)) inContext.push({ path: '.', producer });
  }
  return inContext;
}
