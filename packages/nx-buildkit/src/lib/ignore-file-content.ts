import { compilePatterns, isExcluded, parseIgnoreFile } from './dockerignore';

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
 * A deny-list ignore file, leaving out every pattern that would exclude one of `copiedPaths` (context-relative
 * sources of the Dockerfile's COPY lines): an ignore file must never break the build it serves.
 */
export function renderIgnoreFile(header: readonly string[], patterns: readonly string[], copiedPaths: readonly string[]): string {
  const kept = patterns.filter((pattern) => {
    const compiled = compilePatterns(parseIgnoreFile(pattern));
    return !copiedPaths.some((path) => isExcluded(compiled, trimSlash(path)));
  });
  return `${comment(header)}${kept.join('\n')}\n`;
}

/**
 * An allow-list ignore file for a workspace-root context: everything is excluded, then exactly the copied paths are
 * re-included, then secrets and host-installed dependencies inside them are excluded again.
 */
export function renderAllowListIgnoreFile(header: readonly string[], copiedPaths: readonly string[]): string {
  const reExcluded = ['**/node_modules', '**/.env', '**/.env.*', '**/*.log', '**/*.pem', '**/*.key', '**/.git'];
  const allowed = [...new Set(copiedPaths.map(trimSlash))].map((path) => `!${path}`);
  return `${comment(header)}*\n${allowed.join('\n')}\n${reExcluded.join('\n')}\n`;
}

function comment(lines: readonly string[]): string {
  return lines.map((line) => `# ${line}\n`).join('');
}

function trimSlash(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '');
}
