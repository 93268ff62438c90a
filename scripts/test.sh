#!/usr/bin/env bash
# The project's test command (`npm test`): makes sure a Docker engine with buildx, podman and the test base images exist,
# builds the plugin through the repository's own Nx workspace, then runs the unit tests and the end-to-end tests, and ends with one line counting both.
set -uo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules/nx ] || npm ci --no-audit --no-fund || exit 1
bash scripts/setup-docker.sh || exit 1
bash scripts/setup-podman.sh || exit 1
bash scripts/setup-emulation.sh || exit 1
bash scripts/base-images.sh || exit 1
bash scripts/base-images-arm64.sh || exit 1

results=$(mktemp -d /tmp/nxb-test-results.XXXXXX)
trap 'rm -rf "$results"' EXIT

echo "== build (the repository's own Nx workspace loads: fixtures are left out by .nxignore)"
NX_DAEMON=false npx nx build nx-buildkit --skip-nx-cache --output-style=static || exit 1

echo "== unit tests"
npx jest --config packages/nx-buildkit/jest.config.ts --json --outputFile "$results/unit.json"
unit_rc=$?
echo "== end-to-end tests (fresh Nx workspaces, real Docker engine)"
npx jest --config e2e/nx-buildkit-e2e/jest.config.ts --runInBand --json --outputFile "$results/e2e.json"
e2e_rc=$?

node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const [name, file] of [["unit", process.argv[1]], ["e2e", process.argv[2]]]) {
  let r = { numPassedTests: 0, numFailedTests: 0, numTotalTests: 0 };
  try { r = JSON.parse(fs.readFileSync(file, "utf8")); } catch { failed++; console.log(name + ": no results (the runner did not finish)"); continue; }
  console.log(`${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed (${r.numTotalTests} total)`);
  passed += r.numPassedTests; failed += r.numFailedTests;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
' "$results/unit.json" "$results/e2e.json"

[ "$unit_rc" = 0 ] && [ "$e2e_rc" = 0 ]
