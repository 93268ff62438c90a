#!/usr/bin/env bash
# Makes the workspaces the e2e suite nx-workspaces.spec.ts starts from, with Nx's own tools only: create-nx-workspace
# and Nx's application and library generators, as a team would make them. A maintainer's tool, run by hand (it
# resolves versions from the npm registry); the tests never run it: they install the committed result with `npm ci`.
# Commit what it writes (sources, package.json, package-lock.json, .npmrc; never node_modules).
#
#   bash scripts/make-nx-fixtures.sh            # (re)makes e2e/nx-buildkit-e2e/fixtures/nx-generated/integrated
#
# Every Nx package is pinned to NX_VERSION (23.2.1: the newest create-nx-workspace this registry serves); every
# range the generators write into package.json is then pinned to the version the lockfile resolved, and the
# lockfile relocked, so the fixture names exact versions only.
set -euo pipefail
cd "$(dirname "$0")/.."
# `bash scripts/make-nx-fixtures.sh package-based` (re)makes fixtures/nx-generated/package-based instead (npm workspaces,
# the TypeScript-solution setup): scripts/make-nx-fixtures-package-based.sh.
if [ "${1:-}" = package-based ]; then exec bash scripts/make-nx-fixtures-package-based.sh; fi
repo=$(pwd)
NX_VERSION=23.2.1
out_root="$repo/e2e/nx-buildkit-e2e/fixtures/nx-generated"

say() { printf '[nx-fixtures] %s\n' "$*"; }

work=$(mktemp -d /tmp/nxb-nx-fixtures.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Nx's generators, without prompts, tests, linters or e2e projects (they add install weight and nothing an image reads).
nxg() { (cd "$ws" && npx --no-install nx g "$@" --no-interactive) ; }

# --- integrated: one root package.json, libraries by tsconfig path alias (create-nx-workspace --preset=apps --no-workspaces)
ws="$work/acme"
say "create-nx-workspace@$NX_VERSION acme --preset=apps --no-workspaces"
(cd "$work" && npx --yes "create-nx-workspace@$NX_VERSION" acme --preset=apps --no-workspaces --nxCloud=skip --packageManager=npm \
  --interactive=false --skipGit --formatter=prettier --linter=none --aiAgents=none --analytics=false)
# @nx/react 23.2.1 declares an optional peer express@^4 while @nx/node's express app installs express 5: npm refuses
# the install (ERESOLVE) unless peers are resolved the legacy way, which is what a team on these versions does.
printf 'legacy-peer-deps=true\n' > "$ws/.npmrc"
for plugin in @nx/node @nx/react @nx/nest @nx/next @nx/angular; do
  say "nx add $plugin@$NX_VERSION"
  (cd "$ws" && npx --no-install nx add "$plugin@$NX_VERSION")
done

say "apps and libraries"
nxg @nx/node:application apps/api --framework=express --bundler=esbuild --e2eTestRunner=none --unitTestRunner=none --linter=none
nxg @nx/node:application apps/orders --framework=fastify --bundler=esbuild --e2eTestRunner=none --unitTestRunner=none --linter=none
nxg @nx/react:application apps/web --bundler=vite --e2eTestRunner=none --unitTestRunner=none --linter=none --style=css --routing
nxg @nx/nest:application apps/nest-api --e2eTestRunner=none --unitTestRunner=none --linter=none
nxg @nx/next:application apps/site --e2eTestRunner=none --unitTestRunner=none --linter=none --style=css --appDir=true --src=true
# Angular's application builder (esbuild), no server-side rendering: an SPA that nginx serves.
nxg @nx/angular:application apps/ng --bundler=esbuild --e2eTestRunner=none --unitTestRunner=none --linter=none --style=css --routing --ssr=false
nxg @nx/js:library libs/shared --importPath=@acme/shared --bundler=none --unitTestRunner=none --linter=none
nxg @nx/js:library libs/server-util --importPath=@acme/server-util --bundler=none --unitTestRunner=none --linter=none

# The app code a team writes next: both apps use @acme/shared, the API also @acme/server-util (so a change of
# server-util concerns the API only), each API has a route that answers with the libraries' values.
cat > "$ws/libs/shared/src/lib/shared.ts" <<'EOF'
export function shared(): string {
  return 'shared';
}

export const GREETING = 'hello from @acme/shared';
EOF
cat > "$ws/libs/server-util/src/lib/server-util.ts" <<'EOF'
export function serverUtil(): string {
  return 'server-util';
}

export function healthPayload(service: string): { status: string; service: string } {
  return { status: 'ok', service };
}
EOF
node - "$ws/apps/api/src/main.ts" <<'EOF'
const fs = require('fs');
const file = process.argv[2];
let text = fs.readFileSync(file, 'utf8');
text = text.replace("import express from 'express';", "import express from 'express';\nimport { GREETING } from '@acme/shared';\nimport { healthPayload } from '@acme/server-util';");
text = text.replace("app.get('/', (req, res) => {", "app.get('/api/greeting', (req, res) => {\n  res.send({ greeting: GREETING });\n});\n\napp.get('/health', (req, res) => {\n  res.send(healthPayload('api'));\n});\n\napp.get('/', (req, res) => {");
fs.writeFileSync(file, text);
EOF
node - "$ws/apps/orders/src/app/app.ts" <<'EOF'
const fs = require('fs');
const file = process.argv[2];
let text = fs.readFileSync(file, 'utf8');
text = text.replace(/^/, "import { GREETING } from '@acme/shared';\n");
text = text.replace(/(export async function app\([^)]*\) \{\n)/, "$1  fastify.get('/api/orders', async () => ({ orders: [], greeting: GREETING }));\n");
fs.writeFileSync(file, text);
EOF
node - "$ws/apps/web/src/app/app.tsx" <<'EOF'
const fs = require('fs');
const file = process.argv[2];
let text = fs.readFileSync(file, 'utf8');
text = text.replace("import NxWelcome from './nx-welcome';", "import NxWelcome from './nx-welcome';\nimport { GREETING } from '@acme/shared';");
text = text.replace('<NxWelcome title="web" />', '<NxWelcome title="web" />\n      <p data-testid="greeting">{GREETING}</p>');
fs.writeFileSync(file, text);
EOF
# Angular: the root component shows the shared library's greeting.
node - "$ws/apps/ng/src/app" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
let component = fs.readFileSync(`${dir}/app.ts`, 'utf8');
component = component.replace(/^/, "import { GREETING } from '@acme/shared';\n");
component = component.replace(/(export class App \{\n)/, '$1  protected greeting = GREETING;\n');
fs.writeFileSync(`${dir}/app.ts`, component);
let template = fs.readFileSync(`${dir}/app.html`, 'utf8');
template = template.replace('<router-outlet>', '<p data-testid="greeting">{{ greeting }}</p>\n<router-outlet>');
fs.writeFileSync(`${dir}/app.html`, template);
EOF
grep -q 'greeting }}' "$ws/apps/ng/src/app/app.html" || { echo "could not add the greeting to apps/ng/src/app/app.html: the generated code changed; adapt this script" >&2; exit 1; }
# NestJS: the generated service answers GET /api; it also greets with the shared library.
node - "$ws/apps/nest-api/src/app/app.service.ts" <<'EOF'
const fs = require('fs');
const file = process.argv[2];
let text = fs.readFileSync(file, 'utf8');
text = text.replace(/^/, "import { GREETING } from '@acme/shared';\n");
text = text.replace(/return \{ message: '([^']*)' \};/, "return { message: '$1', greeting: GREETING };");
text = text.replace('getData(): { message: string }', 'getData(): { message: string; greeting: string }');
fs.writeFileSync(file, text);
EOF
# Next.js: standalone output (what a container runs), the shared library on the home page, and a dynamic route for
# a deep link.
node - "$ws/apps/site" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const configFile = ['next.config.js', 'next.config.mjs', 'next.config.ts'].map((name) => `${dir}/${name}`).find((path) => fs.existsSync(path));
let config = fs.readFileSync(configFile, 'utf8');
config = config.replace(/const nextConfig(: [A-Za-z]+)? = \{/, (found) => `${found}\n  output: 'standalone',`);
fs.writeFileSync(configFile, config);
const page = `${dir}/src/app/page.tsx`;
let text = fs.readFileSync(page, 'utf8');
text = text.replace(/^/, "import { GREETING } from '@acme/shared';\n");
text = text.replace(/(return \(\s*<div[^>]*>)/, '$1\n      <p data-testid="greeting">{GREETING}</p>');
fs.writeFileSync(page, text);
fs.mkdirSync(`${dir}/src/app/items/[id]`, { recursive: true });
fs.writeFileSync(`${dir}/src/app/items/[id]/page.tsx`, `import { GREETING } from '@acme/shared';

export default async function Item({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <main>
      <h1>Item {id}</h1>
      <p>{GREETING}</p>
    </main>
  );
}
`);
EOF
grep -q "output: 'standalone'" "$ws"/apps/site/next.config.* || { echo "could not set output: 'standalone' in apps/site/next.config: the generated config changed; adapt this script" >&2; exit 1; }
for edited in apps/api/src/main.ts apps/orders/src/app/app.ts apps/web/src/app/app.tsx apps/ng/src/app/app.ts apps/nest-api/src/app/app.service.ts apps/site/src/app/page.tsx; do
  grep -q '@acme/shared' "$ws/$edited" || { echo "could not add the @acme/shared import to $edited: the generated code changed; adapt this script" >&2; exit 1; }
done

# A Python service beside them: a plain folder with its project.json (Nx has no Python generator of its own), no
# third-party packages (tests reach no package index for Python).
mkdir -p "$ws/apps/py-api"
cat > "$ws/apps/py-api/project.json" <<'EOF'
{
  "name": "py-api",
  "$schema": "../../node_modules/nx/schemas/project-schema.json",
  "projectType": "application",
  "sourceRoot": "apps/py-api",
  "targets": {}
}
EOF
cat > "$ws/apps/py-api/requirements.txt" <<'EOF'
# Standard library only.
EOF
cat > "$ws/apps/py-api/main.py" <<'EOF'
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"service": "py-api", "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    ThreadingHTTPServer((os.environ.get("HOST", "0.0.0.0"), int(os.environ.get("PORT", "8000"))), Handler).serve_forever()
EOF

pin_and_relock() {
  say "pinning every range in $1/package.json to the version its lockfile resolved"
  node - "$1" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const manifestPath = `${dir}/package.json`;
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const lock = JSON.parse(fs.readFileSync(`${dir}/package-lock.json`, 'utf8'));
for (const section of ['dependencies', 'devDependencies', 'optionalDependencies']) {
  for (const [name, range] of Object.entries(manifest[section] ?? {})) {
    if (/^(file|link|workspace|portal):/.test(range)) continue;
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not in the lockfile`);
    manifest[section][name] = version;
  }
}
fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
EOF
  (cd "$1" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)
}
# This registry serves sass-embedded 1.108.2 (what @nx/webpack's ^1.97.2 resolves to) without most of its platform
# packages (darwin, win32, android… answer 404 at that version): npm leaves them out of the lockfile, and `npm ci`
# then refuses it ("Missing: sass-embedded-darwin-arm64@ from lock file"). 1.105.0 is served with all of them.
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  manifest.overrides = { ...manifest.overrides, "sass-embedded": "1.105.0" };
  fs.writeFileSync(process.argv[1], JSON.stringify(manifest, null, 2) + "\n");
' "$ws/package.json"
pin_and_relock "$ws"

# What Nx wrote at generation time but a clone does not hold.
rm -rf "$ws/node_modules" "$ws/.nx" "$ws/.angular" "$ws/dist" "$ws/tmp" "$ws/.vscode" "$ws/.claude"
# The plugin as the tests install it: the packed tarball, locked by relock-fixtures.sh (file:nx-buildkit.tgz).
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  manifest.devDependencies = Object.fromEntries(Object.entries({ ...manifest.devDependencies, "nx-buildkit": "file:nx-buildkit.tgz" }).sort(([a], [b]) => (a < b ? -1 : 1)));
  fs.writeFileSync(process.argv[1], JSON.stringify(manifest, null, 2) + "\n");
' "$ws/package.json"
rm -rf "$out_root/integrated"
mkdir -p "$out_root"
cp -r "$ws" "$out_root/integrated"
NXB_RELOCK_ONLY=e2e/nx-buildkit-e2e/fixtures/nx-generated/integrated bash scripts/relock-fixtures.sh
say "wrote $out_root/integrated ($(find "$out_root/integrated" -type f | wc -l) files)"
