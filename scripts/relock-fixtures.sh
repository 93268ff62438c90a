#!/usr/bin/env bash
# Relocks every npm fixture the tests, the demo and the bench install, from the npm registry. A maintainer's tool,
# run by hand when a fixture's manifest or the plugin's dependencies change, never by a test: the tests install with
# `npm ci` from the lockfiles this writes, so they do not depend on what the registry serves on the day they run.
# Commit the lockfiles it changes. Then check that they install inside the node stand-in image:
#   NXB_RELOCK_CHECK_IN_IMAGE=1 bash scripts/relock-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

say() { printf '[relock] %s\n' "$*"; }
# NXB_RELOCK_ONLY=<dir>[,<dir>…] relocks just those fixtures (a new one) and leaves every other lockfile alone.
only=${NXB_RELOCK_ONLY:-}
wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

# Plain apps and workspaces: the manifests are the source; the lockfile is derived from them.
app_fixtures=(
  e2e/nx-buildkit-e2e/fixtures/npm/vite-react
  e2e/nx-buildkit-e2e/fixtures/npm/vite-react-more-deps
  e2e/nx-buildkit-e2e/fixtures/npm/monorepo
  e2e/nx-buildkit-e2e/fixtures/npm/node-gateway
  scripts/demo/sample/web
  bench/fixtures/vite-web/app
)
for dir in "${app_fixtures[@]}"; do
  wanted "$dir" || continue
  say "$dir"
  (cd "$dir" && rm -f package-lock.json && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)
done

# Workspaces that hold the packed plugin: locked against a tarball of the current sources, then the plugin entry's
# integrity is dropped (the tarball is rebuilt on every run; scripts/lib/plugin-workspace.mjs checks its dependencies).
# The committed lockfile is the starting point: npm keeps every version it locks and changes only what the manifests
# or the plugin's dependencies changed (NXB_RELOCK_FRESH=1 resolves everything anew, as for a new fixture).
# plugin-workspace is the newest supported Nx (the full e2e suite); -nx21/22/23 are the older majors' core flow.
plugin_workspaces=(
  e2e/nx-buildkit-e2e/fixtures/plugin-workspace
  e2e/nx-buildkit-e2e/fixtures/plugin-workspace-nx21
  e2e/nx-buildkit-e2e/fixtures/plugin-workspace-nx22
  e2e/nx-buildkit-e2e/fixtures/plugin-workspace-nx23
  e2e/nx-buildkit-e2e/fixtures/old-nx-workspace
  bench/fixtures/bench-install
)
# A committed lockfile without its plugin entry: npm keeps every other locked version and reads the plugin's
# dependencies from the new tarball (with the entry, it would keep the locked ones).
seed_lock() {
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete lock.packages["node_modules/nx-buildkit"];
    fs.writeFileSync(process.argv[2], JSON.stringify(lock, null, 2) + "\n");
  ' "$1" "$2"
}
pack=$(mktemp -d /tmp/nxb-relock.XXXXXX)
trap 'rm -rf "$pack"' EXIT
tarball=$(node scripts/lib/pack-plugin.mjs "$pack" | tail -1)
for dir in "${plugin_workspaces[@]}"; do
  wanted "$dir" || continue
  say "$dir"
  work="$pack/$(basename "$dir")"
  mkdir -p "$work"
  cp "$dir/package.json" "$work/"
  if [ -f "$dir/.npmrc" ]; then cp "$dir/.npmrc" "$work/"; fi
  if [ -f "$dir/package-lock.json" ] && [ "${NXB_RELOCK_FRESH:-}" != 1 ]; then seed_lock "$dir/package-lock.json" "$work/package-lock.json"; fi
  cp "$tarball" "$work/nx-buildkit.tgz"
  (cd "$work" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete lock.packages["node_modules/nx-buildkit"].integrity;
    fs.writeFileSync(process.argv[2], JSON.stringify(lock, null, 2) + "\n");
  ' "$work/package-lock.json" "$dir/package-lock.json"
done

# Workspaces made by Nx's own generators (scripts/make-nx-fixtures.sh): their lockfile is what the generators
# installed, kept as it is; only the packed plugin's entry is added or renewed (file:nx-buildkit.tgz, no integrity).
nx_generated=(
  e2e/nx-buildkit-e2e/fixtures/nx-generated/integrated
  e2e/nx-buildkit-e2e/fixtures/nx-generated/package-based
)
for dir in "${nx_generated[@]}"; do
  wanted "$dir" || continue
  say "$dir (plugin entry only)"
  work="$pack/nx-generated-$(basename "$dir")"
  mkdir -p "$work"
  seed_lock "$dir/package-lock.json" "$work/package-lock.json"
  # Every manifest, at its path: a package-based workspace's members are part of its lockfile (npm drops the
  # entries of workspaces it does not find).
  (cd "$dir" && find . -name node_modules -prune -o -name package.json -print) | while read -r manifest; do
    mkdir -p "$work/$(dirname "$manifest")" && cp "$dir/$manifest" "$work/$manifest"
  done
  if [ -f "$dir/.npmrc" ]; then cp "$dir/.npmrc" "$work/"; fi
  cp "$tarball" "$work/nx-buildkit.tgz"
  (cd "$work" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete lock.packages["node_modules/nx-buildkit"].integrity;
    fs.writeFileSync(process.argv[2], JSON.stringify(lock, null, 2) + "\n");
  ' "$work/package-lock.json" "$dir/package-lock.json"
done

# Pruned-install monorepos (e2e pruned-deps.spec.ts), one per package manager: "base" is the workspace; "b-dep" and
# "lib-dep" are overlays on it, applied in that order (app b's dependency added, then the shared lib's too), each
# with its own manifests and the lockfile of base + overlay; "web" adds a Vite app (apps/web) to base.
# The managers are the exact versions the fixtures pin in "packageManager".
prune_lock() {
  local pm=$1 work=$2
  case $pm in
    npm) (cd "$work" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error) ;;
    pnpm) (cd "$work" && npx --yes pnpm@10.34.9 install --lockfile-only --ignore-scripts >/dev/null) ;;
    yarn) (cd "$work" && YARN_ENABLE_IMMUTABLE_INSTALLS=false npx --yes --package @yarnpkg/cli-dist@4.18.1 yarn install --mode=update-lockfile >/dev/null) ;;
  esac
}
prune_root=e2e/nx-buildkit-e2e/fixtures/prune
for pm in npm pnpm yarn; do
  lockfile=$(case $pm in npm) echo package-lock.json ;; pnpm) echo pnpm-lock.yaml ;; yarn) echo yarn.lock ;; esac)
  for variant in base b-dep lib-dep web; do
    wanted "$prune_root/$pm/$variant" || continue
    say "$prune_root/$pm/$variant"
    work=$(mktemp -d /tmp/nxb-relock-prune.XXXXXX)
    cp -r "$prune_root/$pm/base/." "$work/"
    if [ "$variant" != base ]; then cp -r "$prune_root/$pm/$variant/." "$work/"; fi
    rm -f "$work/$lockfile"
    prune_lock "$pm" "$work"
    cp "$work/$lockfile" "$prune_root/$pm/$variant/$lockfile"
    rm -rf "$work"
  done
done

if [ "${NXB_RELOCK_CHECK_IN_IMAGE:-}" = 1 ]; then
  # The stand-in node image reaches the registry as a Docker build does (its CA bundle included).
  for dir in "${app_fixtures[@]}"; do
    say "npm ci inside node:20-bookworm-slim: $dir"
    docker run --rm -v "$repo/$dir:/src:ro" node:20-bookworm-slim sh -c \
      'cp -r /src /tmp/app && cd /tmp/app && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && echo ok'
  done
fi
