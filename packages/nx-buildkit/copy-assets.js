// Copies what tsc does not emit into the publishable package: manifests, schemas and generator templates.
// Usage: node copy-assets.js [outDir]  (default: dist/packages/nx-buildkit; scripts/lib/pack-plugin.mjs passes a
// folder of its own so that concurrent test runs never write the same files).
const fs = require('node:fs');
const path = require('node:path');

const src = __dirname;
const out = path.resolve(process.argv[2] ?? path.join(__dirname, '../../dist/packages/nx-buildkit'));
const workspaceRoot = path.join(__dirname, '../..');

for (const file of ['package.json', 'generators.json', 'executors.json', 'README.md']) {
  const from = path.join(src, file);
  fs.copyFileSync(fs.existsSync(from) ? from : path.join(workspaceRoot, file), path.join(out, file));
}

function copyAssets(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(src, full);
    if (entry.isDirectory()) {
      if (entry.name === 'files') {
        fs.cpSync(full, path.join(out, rel), { recursive: true });
      } else {
        copyAssets(full);
      }
    } else if (entry.name.endsWith('.json')) {
      fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      fs.copyFileSync(full, path.join(out, rel));
    }
  }
}
copyAssets(path.join(src, 'src'));
