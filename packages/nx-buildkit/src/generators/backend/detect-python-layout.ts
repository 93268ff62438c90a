import { Tree, joinPathFragments } from '@nx/devkit';
import type { PythonDependencies } from './python-dockerfile';

export interface PythonLayout {
  readonly dependencies: PythonDependencies;
  readonly configDirs: string[];
  readonly rootFiles: string[];
  readonly sourceDirs: string[];
  /** The entry script, when one is found (main.py, app.py, …). */
  readonly entry?: string;
}

const CONFIG_DIRS = ['config', 'configs', 'conf', 'settings'];
const ENTRY_FILES = ['main.py', 'app.py', 'server.py', 'manage.py', 'wsgi.py', 'asgi.py', 'run.py'];
/** Root files that describe the app and change rarely; copied after the entry files, as the seed did with pyproject. */
const METADATA_FILES = ['pyproject.toml', 'setup.cfg', 'setup.py', 'alembic.ini', 'gunicorn.conf.py', 'logging.conf'];
/** Folders that never belong in a production image. */
const NOT_SOURCE = new Set(['tests', 'test', 'docs', 'doc', 'scripts', 'node_modules', '__pycache__', '.venv', 'venv', 'dist', 'build', '.pytest_cache', '.mypy_cache']);

/** What exists in a Python project: only these files and folders end up in COPY lines. */
export function detectPythonLayout(tree: Tree, projectRoot: string): PythonLayout {
  const at = (name: string) => joinPathFragments(projectRoot, name);
  const children = tree.children(projectRoot).sort();
  const isDir = (name: string) => tree.exists(at(name)) && !tree.isFile(at(name));
  const isFile = (name: string) => tree.exists(at(name)) && tree.isFile(at(name));

  const requirements = children.filter((name) => /^requirements.*\.txt$/.test(name) && isFile(name));
  let dependencies: PythonDependencies;
  if (requirements.length) {
    const install = ['requirements.prod.txt', 'requirements-prod.txt', 'requirements.txt'].find((name) => requirements.includes(name)) ?? requirements[0];
    // Other requirements files are copied too: the production one may include them with "-r".
    const files = requirements.filter((name) => !/(dev|test|lint|docs)/i.test(name) || name === install);
    dependencies = { kind: 'requirements', files, install };
  } else if (isFile('pyproject.toml') && isFile('uv.lock')) {
    dependencies = { kind: 'uv' };
  } else if (isFile('pyproject.toml') && isFile('poetry.lock')) {
    dependencies = { kind: 'poetry' };
  } else if (isFile('pyproject.toml') && /^\s*dependencies\s*=\s*\[\s*["']/m.test(tree.read(at('pyproject.toml'), 'utf-8') ?? '')) {
    dependencies = { kind: 'pyproject' };
  } else {
    dependencies = { kind: 'none' };
  }

  const configDirs = CONFIG_DIRS.filter(isDir);
  const entries = ENTRY_FILES.filter(isFile);
  const otherPy = children.filter((name) => name.endsWith('.py') && isFile(name) && !entries.includes(name) && !METADATA_FILES.includes(name) && !/^test_|_test\.py$|^conftest\.py$/.test(name));
  const rootFiles = [...entries, ...otherPy, ...METADATA_FILES.filter(isFile)];
  const sourceDirs = children.filter(
    (name) => isDir(name) && !name.startsWith('.') && !NOT_SOURCE.has(name) && !configDirs.includes(name) && containsPython(tree, at(name)),
  );
  // src/ goes last: it is the folder that changes with every commit.
  sourceDirs.sort((a, b) => Number(a === 'src') - Number(b === 'src'));
  return { dependencies, configDirs, rootFiles, sourceDirs, entry: entries[0] };
}

function containsPython(tree: Tree, dir: string): boolean {
  for (const name of tree.children(dir)) {
    const path = joinPathFragments(dir, name);
    if (tree.isFile(path) ? name.endsWith('.py') : containsPython(tree, path)) return true;
  }
  return false;
}

/**
 * Python if the project has Python manifests or sources; Node if it has a package.json, a JavaScript build executor,
 * or TypeScript/JavaScript sources.
 */
export function detectRuntime(tree: Tree, projectRoot: string, buildExecutor?: string): 'python' | 'node' | undefined {
  const has = (name: string) => tree.exists(joinPathFragments(projectRoot, name));
  if (['pyproject.toml', 'requirements.txt', 'requirements.prod.txt', 'setup.py', 'main.py', 'manage.py'].some(has)) return 'python';
  if (has('package.json')) return 'node';
  if (tree.children(projectRoot).some((name) => name.endsWith('.py'))) return 'python';
  if (buildExecutor && /esbuild|webpack|rollup|rspack|@nx\/js|@nx\/node|tsc/.test(buildExecutor)) return 'node';
  const sources = [...tree.children(projectRoot), ...(has('src') ? tree.children(joinPathFragments(projectRoot, 'src')) : [])];
  if (sources.some((name) => /\.(ts|js|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts'))) return 'node';
  return undefined;
}
