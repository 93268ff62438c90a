import { compilePatterns, isExcluded, parseIgnoreFile } from './dockerignore';
import { listContextReads } from '../dockerfile';
import { literalPrefix } from './paths';

/** What no image needs and no build should send: VCS data, dependencies installed on the host, secrets, caches. */
export const DEFAULT_IGNORE_PATTERNS = [
  '.git',
  '**/.git',
  '**/node_modules',
  'dist',
  'tmp',
  'coverage',
  '.nx',
  '**/.env',
  '**/.env.*',
  '**/*.log',
  '**/__pycache__',
  '**/*.pyc',
  '**/.venv',
  '**/.pytest_cache',
  '**/.mypy_cache',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '**/.DS_Store',
  '**/.idea',
  '**/.vscode',
];

/**
 * A deny-list ignore file for a Dockerfile, leaving out every pattern that would exclude a path it copies (read from
 * its text, with `alsoCopied` for what the caller knows it reads otherwise): an ignore file must never break the
 * build it serves.
 */
export function renderIgnoreFile(header: readonly string[], patterns: readonly string[], dockerfile: string, alsoCopied: readonly string[] = []): string {
  return planIgnoreFile(header, patterns, [...copiedPaths('Dockerfile', dockerfile), ...alsoCopied.map((path) => ({ path, by: path }))]).text;
}

/** A path a Dockerfile copies, and how to name the copy in a message (`apps/server/Dockerfile:5 COPY dist/apps/server`). */
export interface CopiedPath {
  readonly path: string;
  readonly by: string;
  /** The verb between `by` and `path` in a message: `copies` unless said otherwise (`reads`, `sends`). */
  readonly how?: string;
  /** Why it counts, when the instruction does not say it by itself. */
  readonly why?: string;
}

/** `apps/api/Dockerfile:7 RUN cp src/.env.test .env reads apps/api/src/.env.test` */
export function describeCopiedPath(copy: CopiedPath): string {
  return `${copy.by} ${copy.how ?? 'copies'} ${copy.path}${copy.why ? ` (${copy.why})` : ''}`;
}

export interface IgnoreFilePlan {
  readonly text: string;
  readonly kept: readonly string[];
  /** Patterns not written, each with the copy it would have broken. */
  readonly leftOut: ReadonlyArray<{ readonly pattern: string; readonly copied: CopiedPath }>;
}

/** The deny-list ignore file for these copies: every pattern that excludes none of them. */
export function planIgnoreFile(header: readonly string[], patterns: readonly string[], copied: readonly CopiedPath[]): IgnoreFilePlan {
  const kept: string[] = [];
  const leftOut: Array<{ pattern: string; copied: CopiedPath }> = [];
  for (const pattern of patterns) {
    const compiled = compilePatterns(parseIgnoreFile(pattern));
    const broken = copied.find((copy) => isExcluded(compiled, trimSlash(copy.path)));
    if (broken) leftOut.push({ pattern, copied: broken });
    else kept.push(pattern);
  }
  return { text: `${comment(header)}${kept.join('\n')}\n`, kept, leftOut };
}

/**
 * The context paths a Dockerfile copies by name (a glob by the folder it starts with, `dist/apps/*` → `dist/apps`);
 * copies of the whole context are left out, since an ignore file is meant to trim those.
 */
export function copiedPaths(file: string, dockerfile: string): CopiedPath[] {
  const paths: CopiedPath[] = [];
  for (const read of listContextReads(dockerfile)) {
    if (read.path === undefined) continue;
    const path = literalPrefix(read.path);
    if (path === '' || path === '.') continue;
    paths.push({ path, by: `${file}:${read.line + 1} ${read.instruction} ${read.raw}` });
  }
  return paths;
}

/**
 * An allow-list ignore file for a workspace-root context: everything is excluded, then exactly the copied paths are
 * re-included, then secrets and host-installed dependencies inside them are excluded again.
 */
export function renderAllowListIgnoreFile(header: readonly string[], dockerfile: string, alsoCopied: readonly string[] = []): string {
  const reExcluded = ['**/node_modules', '**/.env', '**/.env.*', '**/*.log', '**/*.pem', '**/*.key', '**/.git'];
  const paths = [...alsoCopied, ...copiedPaths('Dockerfile', dockerfile).map((copy) => copy.path)];
  const allowed = [...new Set(paths.map(trimSlash))].map((path) => `!${path}`);
  return `${comment(header)}*\n${allowed.join('\n')}\n${reExcluded.join('\n')}\n`;
}

function comment(lines: readonly string[]): string {
  return lines.map((line) => `# ${line}\n`).join('');
}

function trimSlash(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '');
}
