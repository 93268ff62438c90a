#!/usr/bin/env bash
# Makes the package-based workspace nx-workspaces-package-based.spec.ts starts from, with Nx's own tools only:
# create-nx-workspace (npm workspaces, the TypeScript-solution setup: project references, libraries as workspace
# packages) and Nx's application and library generators, as a team would make them. A maintainer's tool, run by hand
# through `bash scripts/make-nx-fixtures.sh package-based` (it resolves versions from the npm registry); the tests
# never run it: they install the committed result with `npm ci`. Commit what it writes (sources, manifests,
# package-lock.json, .npmrc; never node_modules).
#
# --preset=ts, not --preset=apps: create-nx-workspace@23.2.1 --preset=apps --workspaces writes an empty workspace with
# no "workspaces" field and no tsconfig (tried), so Nx's app generators then make an integrated-style repo; --preset=ts
# is the one that makes the npm-workspaces TypeScript-solution workspace (package.json "workspaces", tsconfig.json
# references, tsconfig.base.json with composite and customConditions).
#
# Every Nx generator tried here accepts the TypeScript-solution setup at 23.2.1: @nx/node express and fastify
# (esbuild), @nx/react (vite), @nx/nest, @nx/next, @nx/js libraries (see below for what Next.js cannot import).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
NX_VERSION=23.2.1
out="$repo/e2e/nx-buildkit-e2e/fixtures/nx-generated/package-based"

say() { printf '[nx-fixtures package-based] %s\n' "$*"; }

work=$(mktemp -d /tmp/nxb-nx-fixtures-pb.XXXXXX)
trap 'rm -rf "$work"' EXIT
ws="$work/acme"

# Nx's generators, without prompts, tests, linters or e2e projects (they add install weight and nothing an image reads).
nxg() { (cd "$ws" && npx --no-install nx g "$@" --no-interactive) ; }

say "create-nx-workspace@$NX_VERSION acme --preset=ts --workspaces"
(cd "$work" && npx --yes "create-nx-workspace@$NX_VERSION" acme --preset=ts --workspaces --nxCloud=skip --packageManager=npm \
  --interactive=false --skipGit --formatter=prettier --linter=none --aiAgents=none --analytics=false)
# As in the integrated workspace: @nx/react 23.2.1's optional peer express@^4 against the express 5 app (ERESOLVE).
printf 'legacy-peer-deps=true\n' > "$ws/.npmrc"
for plugin in @nx/node @nx/react @nx/nest @nx/next; do
  say "nx add $plugin@$NX_VERSION"
  (cd "$ws" && npx --no-install nx add "$plugin@$NX_VERSION")
done

say "apps and libraries"
nxg @nx/node:application apps/api --framework=express --bundler=esbuild --e2eTestRunner=none --unitTestRunner=none --linter=none
nxg @nx/node:application apps/orders --framework=fastify --bundler=esbuild --e2eTestRunner=none --unitTestRunner=none --linter=none
nxg @nx/react:application apps/web --bundler=vite --e2eTestRunner=none --unitTestRunner=none --linter=none --style=css --routing
nxg @nx/nest:application apps/nest-api --e2eTestRunner=none --unitTestRunner=none --linter=none
nxg @nx/next:application apps/site --e2eTestRunner=none --unitTestRunner=none --linter=none --style=css --appDir=true --src=true
nxg @nx/js:library packages/shared --importPath=@acme/shared --bundler=none --unitTestRunner=none --linter=none
nxg @nx/js:library packages/server-util --importPath=@acme/server-util --bundler=none --unitTestRunner=none --linter=none

# What a team does next in a workspaces repo (Nx's docs: "add the library to the app's package.json"): each app
# depends on the libraries it imports, by workspace package name. Every app but the Next.js one uses @acme/shared; the
# express API also @acme/server-util (so a change of server-util concerns the API only). The Next.js app imports no
# library: `next build` (16.1.7, Turbopack) cannot build an @nx/js library of this setup, whose sources import
# each other with the .js specifiers nodenext requires ("Can't resolve './lib/shared.js'" in packages/shared/src/index.ts,
# tried): that is between Next and Nx's library generator, not something an image can change.
node - "$ws" <<'EOF'
const fs = require('fs');
const ws = process.argv[2];
const uses = { api: ['@acme/server-util', '@acme/shared'], orders: ['@acme/shared'], web: ['@acme/shared'], 'nest-api': ['@acme/shared'] };
for (const [app, libs] of Object.entries(uses)) {
  const file = `${ws}/apps/${app}/package.json`;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.dependencies = { ...manifest.dependencies };
  for (const lib of libs) manifest.dependencies[lib] = '*';
  manifest.dependencies = Object.fromEntries(Object.entries(manifest.dependencies).sort(([a], [b]) => (a < b ? -1 : 1)));
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
EOF

# The app code: each server has a route that answers with the libraries' values, the SPA shows the shared greeting.
cat > "$ws/packages/shared/src/lib/shared.ts" <<'EOF'
export function shared(): string {
  return 'shared';
}

export const GREETING = 'hello from @acme/shared';
EOF
cat > "$ws/packages/server-util/src/lib/server-util.ts" <<'EOF'
export function serverUtil(): string {
  return 'server-util';
}

export function healthPayload(service: string): { status: string; service: string } {
  return { status: 'ok', service };
}
EOF
node - "$ws" <<'EOF'
const fs = require('fs');
const ws = process.argv[2];
const edit = (file, change) => fs.writeFileSync(`${ws}/${file}`, change(fs.readFileSync(`${ws}/${file}`, 'utf8')));
edit('apps/api/src/main.ts', (text) =>
  text
    .replace("import express from 'express';", "import express from 'express';\nimport { GREETING } from '@acme/shared';\nimport { healthPayload } from '@acme/server-util';")
    .replace("app.get('/', (req, res) => {", "app.get('/api/greeting', (req, res) => {\n  res.send({ greeting: GREETING });\n});\n\napp.get('/health', (req, res) => {\n  res.send(healthPayload('api'));\n});\n\napp.get('/', (req, res) => {"),
);
edit('apps/orders/src/app/app.ts', (text) =>
  text.replace(/^/, "import { GREETING } from '@acme/shared';\n").replace(/(export async function app\([^)]*\) \{\n)/, "$1  fastify.get('/api/orders', async () => ({ orders: [], greeting: GREETING }));\n"),
);
edit('apps/web/src/app/app.tsx', (text) =>
  text
    .replace("import NxWelcome from './nx-welcome';", "import NxWelcome from './nx-welcome';\nimport { GREETING } from '@acme/shared';")
    .replace('<NxWelcome title="@acme/web" />', '<NxWelcome title="@acme/web" />\n      <p data-testid="greeting">{GREETING}</p>'),
);
// NestJS: the generated service answers GET /api; it also greets with the shared library.
edit('apps/nest-api/src/app/app.service.ts', (text) =>
  text
    .replace(/^/, "import { GREETING } from '@acme/shared';\n")
    .replace(/return \{ message: '([^']*)' \};/, "return { message: '$1', greeting: GREETING };")
    .replace('getData(): { message: string }', 'getData(): { message: string; greeting: string }'),
);
// Next.js: standalone output (what a container runs), a dynamic route for a deep link.
const configFile = ['next.config.js', 'next.config.mjs', 'next.config.ts'].map((name) => `apps/site/${name}`).find((path) => fs.existsSync(`${ws}/${path}`));
edit(configFile, (text) => text.replace(/const nextConfig(: [A-Za-z]+)? = \{/, (found) => `${found}\n  output: 'standalone',`));
fs.mkdirSync(`${ws}/apps/site/src/app/items/[id]`, { recursive: true });
fs.writeFileSync(`${ws}/apps/site/src/app/items/[id]/page.tsx`, `export default async function Item({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <main>
      <h1>Item {id}</h1>
    </main>
  );
}
`);
EOF
grep -q "output: 'standalone'" "$ws"/apps/site/next.config.* || { echo "could not set output: 'standalone' in apps/site/next.config: the generated config changed; adapt this script" >&2; exit 1; }
for edited in apps/api/src/main.ts apps/orders/src/app/app.ts apps/web/src/app/app.tsx apps/nest-api/src/app/app.service.ts; do
  grep -q '@acme/shared' "$ws/$edited" || { echo "could not add the @acme/shared import to $edited: the generated code changed; adapt this script" >&2; exit 1; }
done

# As in the integrated workspace: sass-embedded 1.108.2 lacks most platform packages on this registry; 1.105.0 has them.
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  manifest.overrides = { ...manifest.overrides, "sass-embedded": "1.105.0" };
  fs.writeFileSync(process.argv[1], JSON.stringify(manifest, null, 2) + "\n");
' "$ws/package.json"
say "npm install (links the library packages into the lockfile)"
(cd "$ws" && npm install --no-audit --no-fund --loglevel=error)
# The TypeScript project references Nx's sync generator derives from the new dependencies (what `nx build` would
# otherwise ask to write on the first run).
(cd "$ws" && npx --no-install nx sync)

say "pinning every range in the workspace's manifests to the version its lockfile resolved"
node - "$ws" <<'EOF'
const fs = require('fs');
const ws = process.argv[2];
const lock = JSON.parse(fs.readFileSync(`${ws}/package-lock.json`, 'utf8'));
const members = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !key.includes('node_modules/') && entry.name).map(([key]) => key);
const memberNames = new Set(members.map((dir) => lock.packages[dir].name));
for (const dir of ['', ...members]) {
  const manifestPath = `${ws}/${dir ? `${dir}/` : ''}package.json`;
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[section] ?? {})) {
      if (memberNames.has(name) || /^(file|link|workspace|portal):/.test(range)) continue;
      const version = (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`] ?? lock.packages[`node_modules/${name}`])?.version;
      if (!version) throw new Error(`${name} (${manifestPath}) is not in the lockfile`);
      manifest[section][name] = version;
    }
  }
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}
EOF
(cd "$ws" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)

# What Nx wrote at generation time but a clone does not hold.
rm -rf "$ws/node_modules" "$ws/.nx" "$ws/dist" "$ws/tmp" "$ws/.vscode" "$ws/.claude"
find "$ws/apps" "$ws/packages" -maxdepth 2 \( -name node_modules -o -name dist -o -name .next \) -prune -exec rm -rf {} +
# The plugin as the tests install it: the packed tarball, locked by relock-fixtures.sh (file:nx-buildkit.tgz).
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  manifest.devDependencies = Object.fromEntries(Object.entries({ ...manifest.devDependencies, "nx-buildkit": "file:nx-buildkit.tgz" }).sort(([a], [b]) => (a < b ? -1 : 1)));
  fs.writeFileSync(process.argv[1], JSON.stringify(manifest, null, 2) + "\n");
' "$ws/package.json"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -r "$ws" "$out"
NXB_RELOCK_ONLY=e2e/nx-buildkit-e2e/fixtures/nx-generated/package-based bash scripts/relock-fixtures.sh
say "wrote $out ($(find "$out" -type f | wc -l) files)"
