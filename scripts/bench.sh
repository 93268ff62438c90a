#!/usr/bin/env bash
# `npm run bench`: installs what is missing (npm packages, Docker engine, test base images), then runs the benchmark
# driver, which writes bench/results.md and bench/results.json. Not part of `npm test`: it takes 20–30 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/nx ] || npm ci --no-audit --no-fund
bash scripts/setup-docker.sh
bash scripts/setup-emulation.sh
bash scripts/base-images.sh
bash scripts/base-images-arm64.sh
node scripts/bench/bench.mjs
