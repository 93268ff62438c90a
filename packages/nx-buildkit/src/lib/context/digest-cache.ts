import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../atomic-file';

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

export function openDigestCache(file: string): DigestCache {
  let stored: Record<string, [string, string]> = {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { format?: number; files?: Record<string, [string, string]> };
    if (parsed.format === FORMAT && parsed.files && typeof parsed.files === 'object') stored = parsed.files;
  } catch {
    stored = {};
  }
  const used = new Map<string, [string, string]>();
  let changed = false;
  return {
    lookup(path, identity) {
      const entry = stored[path];
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
