import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * Which top-level folder may import which (README, "Architecture"): lib/ is the core and imports nothing above it;
 * release/ and the plugin build on lib/; executors and generators are shells over lib/ (executors may use release/,
 * generators the plugin's inference). An import that runs back up this graph fails here, naming the file.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  lib: [],
  release: ['lib'],
  plugins: ['lib'],
  executors: ['lib', 'release'],
  generators: ['lib', 'plugins'],
  'index.ts': ['lib', 'plugins'],
};

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function topFolder(path: string): string {
  return relative(SRC, path).split(sep)[0];
}

/** Every relative module a file imports (static and side-effect imports, re-exports, `import()` and `require()`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((specifier) => normalize(join(dirname(file), specifier)));
}

describe('folder layers', () => {
  const files = sourceFiles(SRC);

  it('finds the source tree', () => {
    expect(files.some((file) => topFolder(file) === 'lib')).toBe(true);
    expect(files.some((file) => topFolder(file) === 'executors')).toBe(true);
  });

  it('has a rule for every top-level folder', () => {
    const unknown = [...new Set(files.map(topFolder))].filter((top) => !(top in MAY_IMPORT));
    expect(unknown).toEqual([]);
  });

  it('imports only down the layers', () => {
    const violations = files.flatMap((file) => {
      const from = topFolder(file);
      return relativeImports(file)
        .map((target) => topFolder(target))
        // The package's own package.json is above src/: not a layer.
        .filter((to) => to !== '..' && to !== from && !MAY_IMPORT[from]?.includes(to))
        .map((to) => `${relative(SRC, file)} imports from ${to}/`);
    });
    expect(violations).toEqual([]);
  });
});
