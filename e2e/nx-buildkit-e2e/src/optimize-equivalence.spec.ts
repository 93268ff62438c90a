import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { findIgnoreFile, readTextFromDisk } from '../../../packages/nx-buildkit/src/lib/context';
import { cacheMounts, parseDockerfile } from '../../../packages/nx-buildkit/src/lib/dockerfile';
import { createBuildContext, diskContextFiles } from '../../../packages/nx-buildkit/src/lib/dockerfile-analyzer/build-context';
import { optimizeDockerfile } from '../../../packages/nx-buildkit/src/generators/optimize/optimize-dockerfile';
import { DOCKER_CLEAN_REMOVAL } from '../../../packages/nx-buildkit/src/generators/optimize/add-cache-mounts';
import { copyContext, CORPUS_DIR, CorpusEntry, listCorpus, removeContext } from '../../../packages/nx-buildkit/test/dockerfile-corpus/load-corpus';
import { expectSuccess, run, runOk } from './support/processes';
import { createTestWorkspace, removeImages, TestWorkspace, writeJson } from './support/workspace';

/**
 * Equivalence: for every corpus entry that can build here (local stand-in base images, npm and apt only), the
 * original and the optimized Dockerfile are built with BuildKit and their images compared: the same file tree
 * (paths, types, sizes and modes of regular files, owners, link targets) and the same config.
 */

const corpus = listCorpus();
const built = corpus.filter((entry) => entry.expected.equivalence.build);
const notBuilt = corpus.filter((entry) => !entry.expected.equivalence.build);
const prefix = `nxb-e2e-equiv-${randomBytes(3).toString('hex')}`;

interface TreeEntry {
  readonly type: string;
  readonly mode: string;
  readonly owner: string;
  /** Regular files only (hard links count as the file they link to). */
  readonly size?: number;
  readonly link?: string;
}

/** `docker create` + `docker export`, listed by GNU tar: path → what the comparison looks at. */
async function exportTree(image: string, workDir: string): Promise<Map<string, TreeEntry>> {
  const container = (await runOk('docker', ['create', image])).stdout.trim();
  const tarPath = join(workDir, `${container}.tar`);
  try {
    await runOk('docker', ['export', '--output', tarPath, container]);
    const listing = (await runOk('tar', ['--list', '--verbose', '--numeric-owner', '--file', tarPath])).stdout;
    return parseTarListing(listing);
  } finally {
    await run('docker', ['rm', '--force', container]);
    rmSync(tarPath, { force: true });
  }
}

/** Parses `tar -tv --numeric-owner` lines: `-rw-r--r-- 0/0 571 2021-04-10 20:00 root/.bashrc`. */
function parseTarListing(listing: string): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>();
  const hardLinks: Array<[string, string, string, string]> = [];
  for (const line of listing.split('\n')) {
    const match = /^(\S)(\S{9})\s+(\d+\/\d+)\s+(\d+|\d+,\s*\d+)\s+\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?\s(.*)$/.exec(line);
    if (!match) continue;
    const [, type, mode, owner, size, rest] = match;
    if (type === 'h') {
      const [path, target] = rest.split(' link to ');
      hardLinks.push([path.replace(/\/$/, ''), target, mode, owner]);
      continue;
    }
    if (type === 'l') {
      const [path, link] = rest.split(' -> ');
      entries.set(path, { type, mode, owner, link });
      continue;
    }
    entries.set(rest.replace(/\/$/, ''), { type, mode, owner, ...(type === '-' ? { size: Number(size) } : {}) });
  }
  // A hard link is the same file under another name: compare it as the file (layers may or may not share inodes).
  for (const [path, target, mode, owner] of hardLinks) entries.set(path, { type: '-', mode, owner, size: entries.get(target)?.size });
  return entries;
}

/**
 * What the comparison leaves out, each for a reason:
 * - paths at or below a cache-mount target the optimized file adds: that cache (npm's _cacache, pip's http cache,
 *   apt's lists and archives) is moved out of the image on purpose — it is what a cache mount is for; a regular file
 *   there that only the optimized image has is still a difference (the image grew);
 * - the folders above such a target (/root/.cache for /root/.cache/pip): in the original they exist only because the
 *   cache was written into them; only the folder entry is skipped, anything else inside is still compared.
 * - /etc/apt/apt.conf.d/docker-clean when the optimized file removes it (the whole apt rewrite: the official images'
 *   docker-clean would empty the archives mount after every install). It is not skipped but checked: present in the
 *   original, absent or unchanged in the optimized image (unchanged when only a builder stage got the rewrite).
 * Nothing else differs: /etc/hostname, /etc/hosts, /etc/resolv.conf and /.dockerenv are created the same way by
 * `docker create` for both images, so they are compared like every other file.
 */
function ignoredPaths(original: string, optimized: string): { under: string[]; folders: Set<string>; removed: string[] } {
  const targets = (text: string) => new Set(parseDockerfile(text).instructions.flatMap((instruction) => cacheMounts(instruction).map((mount) => mount.target.replace(/^\/+|\/+$/g, ''))));
  const before = targets(original);
  const added = [...targets(optimized)].filter((target) => !before.has(target));
  const folders = new Set<string>();
  for (const target of added) for (let dir = posix.dirname(target); dir !== '.'; dir = posix.dirname(dir)) folders.add(dir);
  const removed = optimized.includes(DOCKER_CLEAN_REMOVAL) && !original.includes(DOCKER_CLEAN_REMOVAL) ? ['etc/apt/apt.conf.d/docker-clean'] : [];
  return { under: added, folders, removed };
}

function compareTrees(original: Map<string, TreeEntry>, optimized: Map<string, TreeEntry>, ignore: ReturnType<typeof ignoredPaths>): string[] {
  const skip = (path: string) => ignore.under.some((target) => path === target || path.startsWith(`${target}/`)) || ignore.folders.has(path);
  const differences: string[] = [];
  for (const path of [...new Set([...original.keys(), ...optimized.keys()])].sort()) {
    const a = original.get(path);
    const b = optimized.get(path);
    // Under a mount target the cache may leave the image, never arrive in it: a regular file only the optimized image
    // has there (a .deb kept because docker-clean went while a later RUN installed without the mount) makes it bigger.
    if (skip(path) && b?.type === '-' && !a) differences.push(`${path}: only in the optimized image, under a cache mount's folder (${JSON.stringify(b)})`);
    if (skip(path)) continue;
    if (ignore.removed.includes(path)) {
      // Removed only where a stage the final one is built FROM got the apt rewrite; elsewhere (a builder stage) it stays.
      if (!a || (b && JSON.stringify(a) !== JSON.stringify(b))) differences.push(`${path}: expected in the original and removed or unchanged in the optimized image (original ${JSON.stringify(a)}, optimized ${JSON.stringify(b)})`);
      continue;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${path}: original ${JSON.stringify(a)}, optimized ${JSON.stringify(b)}`);
  }
  return differences;
}

async function imageConfig(image: string): Promise<Record<string, unknown>> {
  const config = JSON.parse((await runOk('docker', ['image', 'inspect', '--format', '{{json .Config}}', image])).stdout) as Record<string, unknown>;
  const pick = ['Entrypoint', 'Cmd', 'Env', 'User', 'WorkingDir', 'ExposedPorts', 'Labels', 'Volumes', 'StopSignal', 'Healthcheck'];
  return Object.fromEntries(pick.map((key) => [key, config[key] ?? null]));
}

async function build(dockerfile: string, context: string, tag: string): Promise<void> {
  const result = await run('docker', ['buildx', 'build', '--load', '--progress=plain', '--file', dockerfile, '--tag', tag, context]);
  expectSuccess(result, `docker buildx build of ${dockerfile}`);
}

function optimizeIn(context: string, text: string): string {
  const ignore = findIgnoreFile(readTextFromDisk, context, join(context, 'Dockerfile'));
  return optimizeDockerfile(text, createBuildContext(diskContextFiles(context), { path: ignore.path ? '.dockerignore' : undefined, text: ignore.text })).text;
}

afterAll(async () => {
  await removeImages(prefix);
});

describe('optimize keeps the image: original and optimized builds compared', () => {
  it('builds at least ten corpus entries here', () => {
    expect(built.length).toBeGreaterThanOrEqual(10);
  });

  it.each(built.map((entry) => [entry.name, entry] as const))('%s: same file tree and config', async (_name, entry: CorpusEntry) => {
    const context = copyContext(entry);
    // The Dockerfiles live outside the context, so the context both builds receive is exactly the entry's.
    const files = mkdtempSync(join(tmpdir(), 'nxb-equiv-'));
    try {
      let original = readFileSync(join(context, 'Dockerfile'), 'utf8');
      // A `# syntax=` line makes BuildKit pull a frontend image, which fails without a registry; the built-in
      // frontend reads the rest the same way, so both files are built without it.
      if (entry.expected.equivalence.build && entry.expected.equivalence.stripSyntax) original = original.replace(/^#\s*syntax=.*\n/, '');
      const optimized = optimizeIn(context, original);
      expect(optimized).not.toBe(original);
      writeFileSync(join(files, 'Dockerfile.original'), original);
      writeFileSync(join(files, 'Dockerfile.optimized'), optimized);

      const tags = { original: `${prefix}-${entry.name}:original`, optimized: `${prefix}-${entry.name}:optimized` };
      await build(join(files, 'Dockerfile.original'), context, tags.original);
      await build(join(files, 'Dockerfile.optimized'), context, tags.optimized);

      const [treeA, treeB] = [await exportTree(tags.original, files), await exportTree(tags.optimized, files)];
      // A sanity check that the listing was read at all: every image here has /etc/passwd.
      expect(treeA.get('etc/passwd')?.type).toBe('-');
      expect(compareTrees(treeA, treeB, ignoredPaths(original, optimized))).toEqual([]);
      expect(await imageConfig(tags.optimized)).toEqual(await imageConfig(tags.original));
      await run('docker', ['image', 'rm', '--force', tags.original, tags.optimized]);
    } finally {
      removeContext(context);
      rmSync(files, { recursive: true, force: true });
    }
  });

  // Listed as skipped, with the reason in the name, so the report shows what was not built and why.
  it.skip.each(notBuilt.map((entry) => [entry.name, (entry.expected.equivalence as { reason: string }).reason] as const))('%s: not built — %s', () => undefined);
});

describe('nx g nx-buildkit:optimize through the nx CLI', () => {
  let ws: TestWorkspace;

  beforeAll(() => {
    ws = createTestWorkspace('optimize');
    for (const [name, root] of [
      ['node-express-copy-all', 'apps/web'],
      ['node-npm-install-with-lockfile', 'apps/setup'],
    ] as const) {
      cpSync(join(CORPUS_DIR, name), join(ws.root, root), { recursive: true, filter: (source) => !source.endsWith('expected.json') });
      writeJson(join(ws.root, root, 'project.json'), { name: root.split('/')[1], root });
    }
  });

  afterAll(async () => {
    await ws?.cleanup();
  });

  it('--dry-run prints the change as a unified diff and writes nothing', async () => {
    const before = ws.read('apps/web/Dockerfile');
    const result = await ws.nx(['g', 'nx-buildkit:optimize', 'web', '--dry-run']);
    expectSuccess(result, 'nx g nx-buildkit:optimize web --dry-run');
    expect(result.stdout).toContain('--- a/apps/web/Dockerfile');
    expect(result.stdout).toContain('+COPY package.json package-lock.json ./');
    expect(result.stdout).toContain('+RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev');
    expect(result.stdout).toContain('UPDATE apps/web/Dockerfile');
    expect(ws.read('apps/web/Dockerfile')).toBe(before);
  });

  it('writes what the rewrite computes, and a second run changes nothing', async () => {
    const before = ws.read('apps/web/Dockerfile');
    expectSuccess(await ws.nx(['g', 'nx-buildkit:optimize', 'web']), 'nx g nx-buildkit:optimize web');
    const after = ws.read('apps/web/Dockerfile');
    expect(after).toBe(optimizeIn(join(ws.root, 'apps/web'), before));
    const again = await ws.nx(['g', 'nx-buildkit:optimize', 'web']);
    expectSuccess(again, 'second nx g nx-buildkit:optimize web');
    expect(again.stdout).toContain('nothing to change in apps/web/Dockerfile');
    expect(ws.read('apps/web/Dockerfile')).toBe(after);
  });

  it('prints why it declines a rewrite', async () => {
    const result = await ws.nx(['g', 'nx-buildkit:optimize', 'setup', '--dry-run']);
    expectSuccess(result, 'nx g nx-buildkit:optimize setup --dry-run');
    expect(result.stdout).toContain('Left as is');
    expect(result.stdout).toMatch(/apps\/setup\/Dockerfile:3 split-copy: line 4: `npm install` may rewrite package-lock\.json.*Use `npm ci`/);
    // The rewrite it can prove is still made.
    expect(result.stdout).toContain('+RUN --mount=type=cache,target=/root/.npm npm install --no-audit');
  });

  it('names the option and the fix when the Dockerfile does not exist', async () => {
    const result = await ws.nx(['g', 'nx-buildkit:optimize', 'web', '--dockerfile=apps/web/Dockerfile.nope']);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Dockerfile "apps/web/Dockerfile.nope" not found. Pass --dockerfile');
  });
});
