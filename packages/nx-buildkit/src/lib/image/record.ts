import type { InputsManifest } from './identity/inputs-manifest';
import type { EngineKind } from '../engine/engine-kind';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomically } from '../atomic-file';
import { UserFacingError, describeError } from '../errors';
import { canonicalReference } from './identity/image-ref';
import { inputsManifestShape } from './identity/inputs-manifest';
import { ignoredStateFileLine, readStateFile } from '../state-file/read-state-file';
import { boolean, listOf, number, object, oneOf, optional, recordOf, Shape, string } from '../state-file/shape';

export type BuildStatus = 'built' | 'skipped' | 'failed';

/** What one run of the build executor did, written to `dist/docker/<project>/<target>.json`. */
export interface BuildRecord {
  readonly project: string;
  readonly target: string;
  /** What built (or found) the image: docker or podman. Older records have none (docker). */
  readonly engine?: EngineKind;
  readonly image: string;
  readonly tags: readonly string[];
  readonly hash: string;
  readonly hashTag: string;
  readonly status: BuildStatus;
  readonly durationMs: number;
  readonly imageId?: string;
  readonly digest?: string;
  readonly steps?: { readonly total: number; readonly cached: number };
  /** Why it was skipped: found in the local engine or in the registry. */
  readonly skippedBecause?: 'local' | 'registry';
  readonly pushed?: boolean;
  /** The platforms the image was built for (the "platforms" option); absent for the engine's own platform. */
  readonly platforms?: readonly string[];
  /**
   * A multi-platform image in its registry: the manifest digest of each platform's image in the index that `digest`
   * names (`{ "linux/amd64": "sha256:…", "linux/arm64": "sha256:…" }`), what `docker pull --platform` fetches.
   */
  readonly platformDigests?: Readonly<Record<string, string>>;
  /** Each external FROM image with the identity the hash used: `sha256:…` (registry digest), `nxb:…`, `image-id:…`, `unknown`. */
  readonly bases?: Readonly<Record<string, string>>;
  readonly error?: string;
  /** Why it was built, against the inputs of the last build of this target: `src/a.py changed`, `first build`. */
  readonly reason?: string;
  readonly finishedAt: string;
}

/**
 * Writes the record atomically: a temp file beside it, then a rename, so a reader never sees a truncated file and
 * two concurrent runs never interleave. On failure the temp file is removed and the error names the path.
 */
export function writeRecord(path: string, record: BuildRecord): void {
  try {
    writeFileAtomically(path, `${JSON.stringify(record, null, 2)}\n`);
  } catch (error) {
    throw new UserFacingError(`Could not write the build record "${path}": ${describeError(error)}. Check that the folder is writable and the disk is not full.`);
  }
}

/**
 * Fails before a build starts when its record could not be written (a folder that cannot be created, a file in the
 * way): a build whose result cannot be recorded is not started.
 */
export function assertRecordWritable(path: string): void {
  const probe = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.probe`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(probe, '');
  } catch (error) {
    throw new UserFacingError(`Cannot write the build record "${path}": ${describeError(error)}. Set "recordDir" to a writable folder (default: dist/docker).`);
  } finally {
    try {
      rmSync(probe, { force: true });
    } catch {
      // Nothing was created.
    }
  }
}

/** The console line of a run: `api  built    12.4s  9/10 steps cached` or `web  skipped  (unchanged, nxb-3f2a…)`. */
export function formatRecordLine(record: BuildRecord): string {
  const seconds = `${(record.durationMs / 1000).toFixed(1)}s`;
  switch (record.status) {
    case 'built': {
      const steps = record.steps ? `  ${record.steps.cached}/${record.steps.total} steps cached` : '';
      return `${record.project}  built    ${seconds}${steps}${record.pushed ? '  pushed' : ''}${platformsText(record)}${record.reason ? `  (${record.reason})` : ''}`;
    }
    case 'skipped':
      return `${record.project}  skipped  (unchanged${record.skippedBecause === 'registry' ? ' in registry' : ''}, ${record.hashTag})${platformsText(record)}`;
    case 'failed':
      return `${record.project}  failed   ${seconds}`;
  }
}

/** `  linux/amd64, linux/arm64` for an image built for named platforms; nothing for the engine's own one. */
function platformsText(record: BuildRecord): string {
  return record.platforms?.length ? `  ${record.platforms.join(', ')}` : '';
}

/** A record as read back (by later runs, and by the run report from its entries): every field checked. */
export const buildRecordShape: Shape<BuildRecord> = object({
  project: string,
  target: string,
  engine: optional(oneOf('docker', 'podman')),
  image: string,
  tags: listOf(string),
  hash: string,
  hashTag: string,
  status: oneOf('built', 'skipped', 'failed'),
  durationMs: number,
  imageId: optional(string),
  digest: optional(string),
  steps: optional(object({ total: number, cached: number })),
  skippedBecause: optional(oneOf('local', 'registry')),
  pushed: optional(boolean),
  platforms: optional(listOf(string)),
  platformDigests: optional(recordOf(string)),
  bases: optional(recordOf(string)),
  error: optional(string),
  reason: optional(string),
  finishedAt: string,
});

/** Where a run says that it did not use a file it keeps (one line naming it); silent when undefined. */
export type IgnoredFileReporter = (line: string) => void;

/**
 * Looks up, for a reference (any spelling), the inputs hash of the last successful record (built or skipped) of this
 * workspace that tagged it, from one reading of the record folder: a run asks it for every image whose base no other
 * fact identifies (read per image, a batch of 50 images read the 50 records 50 times: 2,500 reads), before it writes
 * any record of its own. A record that cannot be used is reported and passed over: the image FROM that tag is then
 * identified otherwise.
 */
export function indexRecordedHashes(recordDir: string, report?: IgnoredFileReporter): (ref: string) => string | undefined {
  const newest = new Map<string, { readonly hash: string; readonly finishedAt: string }>();
  if (existsSync(recordDir)) {
    for (const project of readdirSync(recordDir, { withFileTypes: true })) {
      if (!project.isDirectory()) continue;
      for (const file of readdirSync(join(recordDir, project.name))) {
        if (!file.endsWith('.json') || file.startsWith('.') || file.endsWith(INPUTS_SUFFIX) || file === RELEASE_VERSION_FILE) continue;
        const path = join(recordDir, project.name, file);
        const { value: record, problem } = readStateFile(path, buildRecordShape);
        if (problem) report?.(ignoredStateFileLine(path, problem, 'not used to identify base images'));
        if (!record || record.status === 'failed') continue;
        for (const tag of new Set(record.tags.map(canonicalReference))) {
          const known = newest.get(tag);
          if (!known || record.finishedAt > known.finishedAt) newest.set(tag, record);
        }
      }
    }
  }
  return (ref) => newest.get(canonicalReference(ref))?.hash;
}

/** The inputs manifest of a record sits beside it: `docker-build.json` → `docker-build.inputs.json`. */
const INPUTS_SUFFIX = '.inputs.json';
/** Written by `nx release version` beside the records (src/release/version-file.ts): not a record. */
const RELEASE_VERSION_FILE = 'release-version.json';

export function inputsManifestPath(recordPath: string): string {
  return recordPath.replace(/\.json$/, INPUTS_SUFFIX);
}

/** The manifest the last build of this target left, if any; one that cannot be used is reported and counts as none. */
export function readInputsManifest(recordPath: string, report?: IgnoredFileReporter): InputsManifest | undefined {
  const path = inputsManifestPath(recordPath);
  const { value, problem } = readStateFile(path, inputsManifestShape);
  if (problem) report?.(ignoredStateFileLine(path, problem, 'the build is explained as a first build'));
  return value;
}

/** Written atomically, as the record is; a failure to write it never fails the build (it only explains the next one). */
export function writeInputsManifest(recordPath: string, manifest: InputsManifest): void {
  try {
    writeFileAtomically(inputsManifestPath(recordPath), `${JSON.stringify(manifest)}\n`);
  } catch {
    // Not written: the next build of this target is explained as a first build.
  }
}

/** The hash the target's record names now, if it has a usable one (one that is not counts as none: it is rewritten). */
export function readRecordHash(recordPath: string): string | undefined {
  return readRecord(recordPath)?.hash;
}

/** The target's last record, if it has a usable one. */
export function readRecord(recordPath: string): BuildRecord | undefined {
  return readStateFile(recordPath, buildRecordShape).value;
}
