import { createHash } from 'node:crypto';
import { escapeControlChars } from '../../escape-text';
import type { HashInputs } from './hash';
import { listOf, nullable, object, oneOf, optional, recordOf, Shape, string } from '../../state-file/shape';

/**
 * What one build consumed, kept beside its record so the next build of the target can say why it rebuilt
 * (`src/api/routers/cameras.py changed; 2 files added`, `base python:3.11-slim-bookworm changed: sha256:ab… → …`,
 * `build arg GIT_SHA changed`). Build-arg and label values are stored as digests only: a secret passed as a build
 * arg (wrongly, but it happens) never lands in it.
 */
export interface InputsManifest {
  readonly format: 1;
  readonly dockerfile: string;
  readonly ignoreFile: string | null;
  /** Context path → `<type> <mode> <content digest>`. */
  readonly files: Readonly<Record<string, string>>;
  /** Build arg name → digest of its value. */
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly target: string | null;
  readonly platforms: readonly string[];
  /** FROM image → the identity that was hashed. */
  readonly bases: Readonly<Record<string, string>>;
  /** The engine, when it is not docker (docker builds keep the manifests they always had). */
  readonly engine?: string;
}

/** An inputs manifest as read back: every field this module compares, so a partial one counts as none. */
export const inputsManifestShape: Shape<InputsManifest> = object({
  format: oneOf(1),
  dockerfile: string,
  ignoreFile: nullable(string),
  files: recordOf(string),
  buildArgs: recordOf(string),
  labels: recordOf(string),
  target: nullable(string),
  platforms: listOf(string),
  bases: recordOf(string),
  engine: optional(string),
});

export function buildInputsManifest(inputs: HashInputs): InputsManifest {
  const files: Record<string, string> = {};
  inputs.entries.forEach((entry, i) => {
    files[entry.path] = `${entry.type} ${entry.mode.toString(8)} ${inputs.digests[i]}`;
  });
  return {
    format: 1,
    dockerfile: sha256(inputs.dockerfile),
    ignoreFile: inputs.ignoreFile === undefined ? null : sha256(inputs.ignoreFile),
    files,
    buildArgs: mapValues(inputs.buildArgs, sha256),
    labels: mapValues(inputs.labels ?? {}, sha256),
    target: inputs.target ?? null,
    platforms: [...inputs.platforms].sort(),
    bases: { ...inputs.bases },
    ...(inputs.engine !== undefined && inputs.engine !== 'docker' && { engine: inputs.engine }),
  };
}

export interface InputChanges {
  /** One line: `src/a.py changed; 2 files added`, `first build`, `inputs unchanged`. */
  readonly summary: string;
  /** Every difference, one per line, for `--explain`. */
  readonly details: readonly string[];
}

const INPUTS_UNCHANGED = 'inputs unchanged';

/**
 * Why an image that was looked up and not found is built. With the inputs of the last build, the image is gone (removed,
 * or its tag taken by another workspace's image of the same name): that is the reason, never "inputs unchanged", which
 * reads as a skip.
 */
export function buildReason(changes: InputChanges, checkedRegistry: boolean): string {
  if (changes.summary !== INPUTS_UNCHANGED) return changes.summary;
  return `not found in the engine${checkedRegistry ? ' or the registry' : ''}: building`;
}

/** How the inputs differ from the last build's; `first build` without one. */
export function describeInputChanges(previous: InputsManifest | undefined, current: InputsManifest): InputChanges {
  if (!previous || previous.format !== current.format) return { summary: 'first build', details: ['no earlier build of this target recorded its inputs'] };
  const details: string[] = [];
  const summary: string[] = [];
  if (previous.dockerfile !== current.dockerfile) push('Dockerfile changed');
  if (previous.ignoreFile !== current.ignoreFile) push(current.ignoreFile === null ? 'ignore file removed' : previous.ignoreFile === null ? 'ignore file added' : 'ignore file changed');

  const paths = [...new Set([...Object.keys(previous.files), ...Object.keys(current.files)])].sort();
  const changed = paths.filter((path) => own(previous.files, path) !== undefined && own(current.files, path) !== undefined && own(previous.files, path) !== own(current.files, path));
  const added = paths.filter((path) => own(previous.files, path) === undefined);
  const removed = paths.filter((path) => own(current.files, path) === undefined);
  for (const path of changed) details.push(`${shown(path)} changed`);
  for (const path of added) details.push(`${shown(path)} added`);
  for (const path of removed) details.push(`${shown(path)} removed`);
  if (changed.length) summary.push(changed.length === 1 ? `${shown(changed[0])} changed` : `${changed.length} files changed (${shown(changed[0])}, …)`);
  if (added.length) summary.push(added.length === 1 ? `${shown(added[0])} added` : `${added.length} files added`);
  if (removed.length) summary.push(removed.length === 1 ? `${shown(removed[0])} removed` : `${removed.length} files removed`);

  for (const ref of [...new Set([...Object.keys(previous.bases), ...Object.keys(current.bases)])].sort()) {
    const before = own(previous.bases, ref);
    const after = own(current.bases, ref);
    if (before === after) continue;
    if (before === undefined) push(`base ${ref} added`);
    else if (after === undefined) push(`base ${ref} removed`);
    else push(`base ${ref} changed: ${short(before)} → ${short(after)}`);
  }
  for (const [kind, before, after] of [['build arg', previous.buildArgs, current.buildArgs], ['label', previous.labels, current.labels]] as const) {
    for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (own(before, name) === own(after, name)) continue;
      push(`${kind} ${name} ${own(before, name) === undefined ? 'added' : own(after, name) === undefined ? 'removed' : 'changed'}`);
    }
  }
  if (previous.target !== current.target) push(`target changed: ${previous.target ?? '(last stage)'} → ${current.target ?? '(last stage)'}`);
  if (previous.platforms.join(',') !== current.platforms.join(',')) push(`platforms changed: ${previous.platforms.join(',') || 'engine default'} → ${current.platforms.join(',') || 'engine default'}`);
  if ((previous.engine ?? 'docker') !== (current.engine ?? 'docker')) push(`engine changed: ${previous.engine ?? 'docker'} → ${current.engine ?? 'docker'}`);
  if (summary.length === 0) return { summary: INPUTS_UNCHANGED, details: ['the inputs are those of the last build: its image was not found locally or in the registry'] };
  return { summary: summary.join('; '), details };

  function push(line: string): void {
    summary.push(line);
    details.push(line);
  }
}

/** A file name as messages, reports and records show it: on one line, any byte that is not UTF-8 as `\xff`. */
const shown = escapeControlChars;

/** A map's own entry: a file named `constructor` is a file, not Object's constructor. */
function own(record: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function short(identity: string): string {
  const match = /^(sha256:|nxb:|image-id:sha256:|image-id:)?([0-9a-f]{12})[0-9a-f]*$/.exec(identity);
  return match ? `${match[1] ?? ''}${match[2]}…` : identity;
}

function mapValues(record: Readonly<Record<string, string>>, fn: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, fn(record[key])]));
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
