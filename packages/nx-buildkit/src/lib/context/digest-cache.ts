import { writeFileAtomically } from '../atomic-file';
import { ignoredStateFileLine, readStateFile } from '../state-file/read-state-file';
import { matching, object, oneOf, recordOf, tuple } from '../state-file/shape';

/**
 * File digests remembered between runs, by absolute path and the file's identity as stat reports it (inode, size,
 * mtime and ctime in nanoseconds): a no-op run stats each file instead of reading and hashing it. The hash itself
 * still covers content only — a file whose stat changed is read again; one with the same bytes hashes the same.
 *
 * A digest is remembered only for a file last changed more than RACY_MS before it was read: a write within the
 * same timestamp tick as our read would leave the stat unchanged (git's "racily clean" entries). Such a file is
 * simply hashed again next time.
 */
export interface DigestCache {
  /** The remembered digest of this file, if its identity is the one it had then. */
  lookup(path: string, identity: FileIdentity): string | undefined;
  remember(path: string, identity: FileIdentity, digest: string, readAtMs: number): void;
  /** Writes what was learnt (atomically; a cache that cannot be written is only a slower next run). */
  save(): void;
}

export interface FileIdentity {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

const FORMAT = 1;
const RACY_MS = 2000;
/** Past this many files the cache forgets the ones this run did not look at (a workspace that moved on). */
const MAX_ENTRIES = 200_000;

export function identityKey(identity: FileIdentity): string {
  return `${identity.ino}:${identity.size}:${identity.mtimeNs}:${identity.ctimeNs}`;
}

/** Whether a digest read at readAtMs may be remembered for a file whose mtime is mtimeNs. */
export function settledBeforeRead(mtimeNs: bigint, readAtMs: number): boolean {
  return Number(mtimeNs / 1_000_000n) < readAtMs - RACY_MS;
}

/**
 * The cache as read back: every entry an identity key and a sha256 digest, or the whole file is not used (a value of
 * another type would otherwise become a file's digest). A cache of another format is not used either.
 */
const cacheShape = object({
  format: oneOf(FORMAT),
  files: recordOf(tuple(matching(/^\d+:\d+:\d+:\d+$/, 'an identity key (inode:size:mtime:ctime)'), matching(/^[0-9a-f]{64}$/, 'a sha256 digest'))),
});

/** Opens the cache kept in `file`; one that cannot be used is reported in one line (when `report` is given) and starts empty. */
export function openDigestCache(file: string, report?: (line: string) => void): DigestCache {
  const read = readStateFile(file, cacheShape);
  if (read.problem) report?.(ignoredStateFileLine(file, read.problem, 'every file is hashed again'));
  const stored: Record<string, [string, string]> = read.value?.files ?? Object.create(null);
  const used = new Map<string, [string, string]>();
  let changed = false;
  return {
    lookup(path, identity) {
      const entry = Object.hasOwn(stored, path) ? stored[path] : undefined;
      if (!entry || entry[0] !== identityKey(identity)) return undefined;
      used.set(path, entry);
      return entry[1];
    },
    remember(path, identity, digest, readAtMs) {
      if (!settledBeforeRead(identity.mtimeNs, readAtMs)) return;
      const entry: [string, string] = [identityKey(identity), digest];
      stored[path] = entry;
      used.set(path, entry);
      changed = true;
    },
    save() {
      if (!changed) return;
      const files = Object.keys(stored).length > MAX_ENTRIES ? Object.fromEntries(used) : stored;
      try {
        writeFileAtomically(file, JSON.stringify({ format: FORMAT, files }));
        changed = false;
      } catch {
        // Read-only or full: the next run hashes the files again.
      }
    },
  };
}
