// Bundles each executor's entry file of the built package (tsc's output) in place, with esbuild, so that the
// process Nx starts for an executor loads one file instead of ~150 modules. Measured on the batch executor
// (2026-12-07, 2 cores, Nx 24, the B2 Python rebuild, 5 interleaved runs): loading it took 32–36 ms bundled against
// 60–69 ms as separate files. nx and @nx/* stay outside (the workspace's own copies), as do Node's built-ins.
// The plugin's entry (createNodes) and the generators keep tsc's layout: they read files next to their own.
// Usage: node bundle-executors.js [outDir]  (default: dist/packages/nx-buildkit, as copy-assets.js).
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const out = path.resolve(process.argv[2] ?? path.join(__dirname, '../../dist/packages/nx-buildkit'));
const workspaceModules = path.join(__dirname, '../../node_modules');

const { executors } = JSON.parse(fs.readFileSync(path.join(out, 'executors.json'), 'utf8'));
const entries = [...new Set(Object.values(executors).flatMap((executor) => [executor.implementation, executor.batchImplementation].filter(Boolean)))];

for (const entry of entries) {
  const file = path.join(out, `${entry}.js`);
  esbuild.buildSync({
    entryPoints: [file],
    outfile: file,
    allowOverwrite: true,
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
  const text = fs.readFileSync(file, 'utf8');
  const located = /\b__dirname\b|\b__filename\b|\bimport\.meta\.url\b/.exec(text);
  if (located) {
    throw new Error(`${entry}.js: the executor bundle uses ${located[0]}, which names the bundle's folder, not the module's; read the file another way (require.resolve of the package).`);
  }
}
