// Bundles each executor's entry file of the built package (tsc's output) in place, with esbuild, so that the
// process Nx starts for an executor loads one file instead of ~150 modules. Measured on the batch executor
// (2026-12-07, 2 cores, Nx 24, the B2 Python rebuild, 5 interleaved runs): loading it took 32–36 ms bundled against
// 60–69 ms as separate files. nx and @nx/* stay outside (the workspace's own copies), as do Node's built-ins.
// The plugin's entry (createNodes) and the generators keep tsc's layout: they read files next to their own.
// Each entry becomes a bundle (`batch.bundle.js`) and, under the entry's own name, a two-line loader that loads the
// bundle through V8's code cache (src/lib/code-cache.ts): compiling the bundle was half of its loading time.
// Usage: node bundle-executors.js [outDir]  (default: dist/packages/nx-buildkit, as copy-assets.js).
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const out = path.resolve(process.argv[2] ?? path.join(__dirname, '../../dist/packages/nx-buildkit'));
const workspaceModules = path.join(__dirname, '../../node_modules');

const { executors } = JSON.parse(fs.readFileSync(path.join(out, 'executors.json'), 'utf8'));
const entries = [...new Set(Object.values(executors).flatMap((executor) => [executor.implementation, executor.batchImplementation].filter(Boolean)))];

const codeCacheModule = path.join(out, 'src/lib/code-cache.js');
if (!fs.existsSync(codeCacheModule)) throw new Error(`${codeCacheModule} is missing: build the package with tsc first.`);

for (const entry of entries) {
  const file = path.join(out, `${entry}.js`);
  const bundle = path.join(out, `${entry}.bundle.js`);
  esbuild.buildSync({
    entryPoints: [file],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The build folder may be outside the repository (pack-plugin.mjs builds in a temp folder).
    nodePaths: [workspaceModules],
    external: ['nx', 'nx/*', '@nx/*'],
    logLevel: 'warning',
  });
  // A bundled file is no longer where its modules were: a path made from its own location would point elsewhere.
  const text = fs.readFileSync(bundle, 'utf8');
  const located = /\b__dirname\b|\b__filename\b|\bimport\.meta\.url\b/.exec(text);
  if (located) {
    throw new Error(`${entry}.bundle.js: the executor bundle uses ${located[0]}, which names the bundle's folder, not the module's; read the file another way (require.resolve of the package).`);
  }
  // The loader runs the bundle as a vm.Script, which has no loader for import(): a bundle must not need one.
  const dynamicImport = /(^|[^\w$.])import\s*\(/m.exec(text);
  if (dynamicImport) {
    throw new Error(`${entry}.bundle.js: the executor bundle uses import(), which the code-cache loader (src/lib/code-cache.ts) cannot run; require the module instead.`);
  }
  const loader = path.relative(path.dirname(file), codeCacheModule).replace(/\\/g, '/').replace(/\.js$/, '');
  fs.writeFileSync(
    file,
    [
      "'use strict';",
      '// Written by bundle-executors.js: the bundle beside this file, loaded through V8\'s code cache (src/lib/code-cache.ts).',
      `module.exports = require('${loader.startsWith('.') ? loader : `./${loader}`}').loadWithCodeCache(require.resolve('./${path.basename(bundle)}')).exports;`,
      '',
    ].join('\n'),
  );
}
