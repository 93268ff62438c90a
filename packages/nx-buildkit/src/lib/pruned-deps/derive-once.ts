import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../atomic-file';
import { ignoredStateFileLine, readBounded } from '../state-file/read-state-file';
import { derivePrunedDeps, PrunedDepsRequest } from './derive-pruned-deps';

/** Bump when what derivePrunedDeps writes changes for the same inputs: every folder is then derived anew. */
const FORMAT = 1;

/** The files pruning reads: the root lockfile, manifest and package-manager config, and every project's package.json. */
const ROOT_FILES = ['package.json', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'pnpm-workspace.yaml', '.yarnrc.yml', '.npmrc'];

/**
 * What the pruned folder of a project is derived from, as one digest: the files above, each by path and content, and
 * the project graph's dependencies (Nx's manifest lists every package the app's files import: a new import changes
 * the graph, not a manifest). The graph's package nodes come from the lockfile, already in the key.
 */
export function pruneInputsKey(
  workspaceRoot: string,
  projectRoots: readonly string[],
  projectName: string,
  graphDependencies: Readonly<Record<string, readonly { readonly target: string }[]>>,
  readFile: (path: string) => Buffer | undefined,
): string {
  const hash = createHash('sha256').update(`nx-buildkit pruned deps ${FORMAT}\0${projectName}\0`);
  for (const source of Object.keys(graphDependencies).sort()) {
    hash.update(`${source}>${[...new Set(graphDependencies[source].map((dependency) => dependency.target))].sort().join(',')}\0`);
  }
  const paths = [...ROOT_FILES, ...[...new Set(projectRoots)].sort().map((root) => join(root, 'package.json'))];
  for (const path of paths) {
    const content = readFile(join(workspaceRoot, path));
    hash.update(`${path}\0${content === undefined ? '-' : createHash('sha256').update(content).digest('hex')}\0`);
  }
  return hash.digest('hex');
}

/**
 * Derives the pruned folder only when what it is derived from changed since the folder was written: a no-op run
 * reads a few manifests instead of running Nx's pruning (20–40 ms an image, measured). The key is kept beside the
 * folder, not in it: the folder is hashed as the image's `deps` context, and the key changes with every lockfile
 * change of any app.
 */
export function derivePrunedDepsOnce(request: PrunedDepsRequest, report?: (line: string) => void): void {
  const key = keyOf(request);
  if (existsSync(request.outDir) && readPruneKey(keyFile(request), report) === key) return;
  derivePrunedDeps(request);
  writeFileAtomically(keyFile(request), key);
}

/** Whether the folder is there and derived from what pruning reads now (read only: --explain writes nothing). */
export function prunedDepsUpToDate(request: PrunedDepsRequest, report?: (line: string) => void): boolean {
  return existsSync(request.outDir) && readPruneKey(keyFile(request), report) === keyOf(request);
}

function keyOf(request: PrunedDepsRequest): string {
  const roots = Object.values(request.graph.nodes).map((node) => node.data.root);
  const key = pruneInputsKey(request.workspaceRoot, roots, request.projectName, request.graph.dependencies, readOrUndefined);
  // The same files pruned for a production-only install make another folder.
  return request.productionOnly ? createHash('sha256').update(`${key}\0production`).digest('hex') : key;
}

function keyFile(request: PrunedDepsRequest): string {
  return `${request.outDir}.key`;
}

/** A sha256 in hex, nothing else: a key file of any other content is reported and the folder derived again. */
export function readPruneKey(keyFile: string, report?: (line: string) => void): string | undefined {
  const read = readBounded(keyFile, KEY_FILE_BYTES);
  const problem = read.problem ?? (read.value !== undefined && !/^[0-9a-f]{64}$/.test(read.value) ? 'not a sha256 key' : undefined);
  if (problem) {
    report?.(ignoredStateFileLine(keyFile, problem, 'the pruned dependencies are derived again'));
    return undefined;
  }
  return read.value;
}

/** A key is 64 bytes; a little room, and nothing a hostile file could make costly. */
const KEY_FILE_BYTES = 1024;

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
