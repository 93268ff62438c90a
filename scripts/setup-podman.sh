#!/usr/bin/env bash
# Makes sure this machine can run nx-buildkit's Podman tests: the podman CLI (4.3 from Debian bookworm, with Buildah
# built in) and netavark + aardvark-dns, the network stack a `RUN` step needs to reach the network (bookworm's podman
# only recommends them; without a network backend a build's RUN has no network). Run as root, podman keeps its images
# in /var/lib/containers with the kernel's overlay driver: nothing else is needed (slirp4netns, fuse-overlayfs and
# uidmap are for rootless podman). The e2e gives every run a storage folder of its own (CONTAINERS_STORAGE_CONF) and
# its own API service, so nothing here is started or configured.
#
# Idempotent: a podman that answers is left alone. On a Debian host as root it installs what is missing; anywhere
# else it names what is missing and exits non-zero.
set -euo pipefail

say() { printf '[setup-podman] %s\n' "$*"; }
fail() { printf '[setup-podman] ERROR: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

podman_answers() { have podman && timeout 30 podman info >/dev/null 2>&1; }
network_backend() { [ -x /usr/lib/podman/netavark ] && [ -x /usr/lib/podman/aardvark-dns ]; }

if podman_answers && network_backend; then
  say "podman answers ($(podman version --format '{{.Client.Version}}' 2>/dev/null)), netavark installed: nothing to do."
  exit 0
fi

if ! { [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ] && have apt-get; }; then
  cat >&2 <<MSG
[setup-podman] Missing: podman (with the netavark network backend).
This script installs it only on a Debian host as root. Elsewhere: your distribution's 'podman' package (4.3 or newer)
with 'netavark' and 'aardvark-dns', or Podman Desktop.
MSG
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
say "apt-get update"
apt-get update -qq >/dev/null
say "installing podman netavark aardvark-dns (Debian's own release, no recommends)"
apt-get install -y -qq --no-install-recommends podman netavark aardvark-dns >/dev/null

podman_answers || fail "'podman info' fails after installing podman; run it to see why."
say "ready: podman $(podman version --format '{{.Client.Version}}'), $(podman info --format '{{.Store.GraphDriverName}} storage, {{.Host.NetworkBackend}} network' 2>/dev/null)"
