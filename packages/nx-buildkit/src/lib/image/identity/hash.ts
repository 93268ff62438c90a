import { createHash } from 'node:crypto';
import { encodeName, hasEscapedByte, type ContextEntry } from '../../context';

/** Bumped whenever what goes into the hash, or how, changes: old hash tags must then stop matching. */
export const HASH_FORMAT_VERSION = 2;

export interface HashInputs {
  /** The Dockerfile's bytes. */
  readonly dockerfile: Buffer | string;
  /** The ignore file that applies (its text), or undefined when none does. */
  readonly ignoreFile?: string;
  /** Every entry the context sends, with its content digest at the same index. */
  readonly entries: readonly ContextEntry[];
  readonly digests: readonly string[];
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target?: string;
  readonly platforms: readonly string[];
  /** Image labels: they are part of the image config, so a changed label needs a new image. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The identity of each external FROM image (base-identity.ts: a digest, an inputs hash, an image ID, or unknown). */
  readonly bases: Readonly<Record<string, string>>;
  /**
   * The engine that builds, when it is not docker: Buildah and BuildKit make different images of the same inputs
   * (layers, history, config), so a podman build never takes a docker-built image for its own, nor the reverse.
   * Docker builds hash as they always did.
   */
  readonly engine?: string;
}

/**
 * The inputs hash of one image build: everything BuildKit consumes that decides the result, nothing else (no mtimes,
 * no owners, no secret values). A sha256 in hex.
 */
export function computeInputsHash(inputs: HashInputs): string {
  if (inputs.entries.length !== inputs.digests.length) {
    throw new Error(`computeInputsHash: ${inputs.entries.length} entries but ${inputs.digests.length} digests`);
  }
  const hash = createHash('sha256');
  const field = (name: string, value: string | Buffer): void => {
    // Length-prefixed so that no two different inputs can produce the same byte stream.
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    hash.update(`${name}:${bytes.length}:`).update(bytes).update('\n');
  };
  field('format', `nx-buildkit/${HASH_FORMAT_VERSION}`);
  field('dockerfile', sha256(inputs.dockerfile));
  field('ignorefile', inputs.ignoreFile === undefined ? '-' : sha256(inputs.ignoreFile));
  inputs.entries.forEach((entry, i) => {
    const text = `${entry.type} ${entry.mode.toString(8)} ${inputs.digests[i]} `;
    // The name's own bytes: a name that is not UTF-8 is held with its bytes escaped (context/name-bytes.ts); for any
    // other name these are the bytes of its text, so such hashes are as they were. The same bytes as field() writes,
    // in one string, with no Buffer per entry (computeInputsHash of 50k entries: ~125 ms with them).
    if (hasEscapedByte(entry.path)) field('entry', Buffer.concat([Buffer.from(text), encodeName(entry.path)]));
    else {
      const line = text + entry.path;
      hash.update(`entry:${Buffer.byteLength(line)}:${line}\n`);
    }
  });
  for (const name of Object.keys(inputs.buildArgs).sort()) field('arg', `${name}=${inputs.buildArgs[name]}`);
  field('target', inputs.target ?? '');
  field('platforms', [...inputs.platforms].sort().join(','));
  for (const name of Object.keys(inputs.labels ?? {}).sort()) field('label', `${name}=${inputs.labels?.[name]}`);
  for (const ref of Object.keys(inputs.bases).sort()) field('from', `${ref}@${inputs.bases[ref]}`);
  if (inputs.engine !== undefined && inputs.engine !== 'docker') field('engine', inputs.engine);
  return hash.digest('hex');
}

/** The tag that names an image by its inputs hash: short enough to read, long enough not to collide. */
export function hashTagFor(hash: string): string {
  return `nxb-${hash.slice(0, 16)}`;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
