#!/bin/sh
# Stands in for a vendor's repository setup script: it installs packages with apt-get itself.
set -e
apt-get update
apt-get install -y --no-install-recommends jq
