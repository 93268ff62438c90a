/**
 * Maintainer tool for drafting corpus expectations: prints what the analyzer and the optimizer say about one corpus
 * case today (findings, rewrites, declined rewrites, the diff), so expected.json can be written and reviewed. It
 * writes nothing.
 *
 *   TS_NODE_COMPILER_OPTIONS='{"rootDir":"."}' \
 *     npx ts-node --transpile-only packages/nx-buildkit/test/dockerfile-corpus/print-case.ts <case-dir>
 *
 * (from the workspace root; TypeScript 6 rejects packages/nx-buildkit/tsconfig.json for ts-node without a rootDir).
 *
 * The context is the case folder as the corpus specs see it: the ignore file found as BuildKit finds it, the
 * folders of expected.json `setup.dirs` present (here empty and in memory, not created), and expected.json and
 * source.json (metadata of the case, not part of the repository's context) left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { findIgnoreFile, readTextFromDisk } from '../../src/lib/context';
import { analyzeDockerfile } from '../../src/lib/dockerfile-analyzer/analyze-dockerfile';
import { ContextFiles, createBuildContext, diskContextFiles } from '../../src/lib/dockerfile-analyzer/build-context';
import { optimizeDockerfile } from '../../src/generators/optimize/optimize-dockerfile';
import { unifiedDiff } from '../../src/generators/optimize/unified-diff';

const METADATA = ['expected.json', 'source.json'];

/** The case folder, without its metadata files and with the setup folders added (empty). */
function caseFiles(root: string, setupDirs: readonly string[]): ContextFiles {
  const disk = diskContextFiles(root);
  const norm = (path: string) => path.replace(/^\.\/+/, '').replace(/\/+$/, '');
  const hidden = (path: string) => METADATA.includes(norm(path));
  const isSetupDir = (path: string) => setupDirs.some((dir) => dir === norm(path) || dir.startsWith(`${norm(path)}/`));
  return {
    exists: (path) => !hidden(path) && (disk.exists(path) || isSetupDir(path)),
    isDirectory: (path) => disk.isDirectory(path) || isSetupDir(path),
    readText: (path) => (hidden(path) ? undefined : disk.readText(path)),
    list: (path) => {
      const here = norm(path) === '.' ? '' : norm(path);
      const prefix = here === '' ? '' : `${here}/`;
      const fromSetup = setupDirs.filter((d) => d.startsWith(prefix) && d !== here).map((d) => d.slice(prefix.length).split('/')[0]);
      const fromDisk = disk.list(path);
      if (fromDisk === undefined && !isSetupDir(path)) return undefined;
      return [...new Set([...(fromDisk ?? []).filter((name) => !hidden(prefix + name)), ...fromSetup])].sort();
    },
  };
}

const dir = resolve(process.argv[2] ?? '');
if (!process.argv[2] || !existsSync(join(dir, 'Dockerfile'))) {
  console.error('usage: print-case.ts <case-dir containing a Dockerfile>');
  process.exit(2);
}
const text = readFileSync(join(dir, 'Dockerfile'), 'utf8');
const expected = existsSync(join(dir, 'expected.json')) ? JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) : undefined;
const ignore = findIgnoreFile(readTextFromDisk, dir, `${dir}/Dockerfile`);
const context = createBuildContext(caseFiles(dir, expected?.setup?.dirs ?? []), { path: ignore.path ? relative(dir, ignore.path) : undefined, text: ignore.text });

console.log(`# ${relative(process.cwd(), dir)} (ignore file: ${context.ignoreFilePath ?? 'none'}${context.ignoreError ? `, error: ${context.ignoreError}` : ''})`);
console.log('\n## findings');
for (const f of analyzeDockerfile(text, { file: 'Dockerfile', context })) console.log(`${f.line}\t${f.rule}\n\t${f.message}\n\tfix: ${f.fix}`);
const result = optimizeDockerfile(text, context);
console.log('\n## optimize: changes');
for (const change of result.changes) console.log(`${change.kind}\t${change.description}`);
console.log('\n## optimize: declined');
for (const declined of result.declined) console.log(`${declined.line}\t${declined.kind}\t${declined.reason}`);
console.log('\n## diff');
console.log(unifiedDiff(text, result.text, 'Dockerfile') || '(optimize changes nothing)');
