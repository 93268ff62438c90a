#!/usr/bin/env bash
# `npm run demo`: installs what is missing (npm packages, Docker engine, test base images), then runs the demo driver.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/nx ] || npm ci --no-audit --no-fund
bash scripts/setup-docker.sh
bash scripts/base-images.sh
node scripts/demo/demo.mjs
