#!/usr/bin/env bash
# TEST STAND-INS ONLY, like scripts/base-images.sh, for a second platform: the multi-platform tests build linux/amd64
# and linux/arm64 images FROM debian:bookworm-slim, which on Docker Hub is an index of per-platform images. This script
# makes the arm64 half from Debian's arm64 packages (debootstrap --foreign, then the second stage run under QEMU) and
# keeps it in the engine as arm64v8/debian:bookworm-slim, the name Docker Hub gives that half. A test pushes it and the
# amd64 stand-in to its registry and joins them in one index (docker buildx imagetools create), so FROM resolves per
# platform there as it does on Docker Hub.
#
# Needs scripts/setup-emulation.sh (the aarch64 emulator registered with binfmt_misc) and debootstrap
# (scripts/setup-docker.sh). An image already made by this recipe version is kept: a second run takes a second.
# NXB_REBUILD_BASE_IMAGES=1 rebuilds it.
set -euo pipefail

ARM64_DEBIAN_IMAGE=arm64v8/debian:bookworm-slim
# Bump when the recipe changes: an image with another version is rebuilt.
STAND_IN_VERSION=1
MARKER="nxb-test-stand-in/arm64v8-debian-bookworm-slim:v$STAND_IN_VERSION"

say() { printf '[base-images-arm64] %s\n' "$*"; }
fail() { printf '[base-images-arm64] ERROR: %s\n' "$*" >&2; exit 1; }

docker info >/dev/null 2>&1 || fail "the Docker engine does not answer. Run scripts/setup-docker.sh first."

exists() {
  [ "${NXB_REBUILD_BASE_IMAGES:-}" != 1 ] || return 1
  local id marked
  id=$(docker image inspect --format '{{.Id}}' "$ARM64_DEBIAN_IMAGE" 2>/dev/null) || return 1
  marked=$(docker image inspect --format '{{.Id}}' "$MARKER" 2>/dev/null) || return 1
  [ "$id" = "$marked" ]
}

if exists; then
  say "$ARM64_DEBIAN_IMAGE exists"
  exit 0
fi

grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null \
  || fail "the aarch64 emulator is not registered with binfmt_misc. Run scripts/setup-emulation.sh first."
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || fail "debootstrap is missing. Run scripts/setup-docker.sh first."

work=$(mktemp -d /tmp/nxb-base-images-arm64.XXXXXX)
trap 'rm -rf "$work"' EXIT

mirror=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}

rootfs="$work/rootfs"
say "debootstrap --arch=arm64 --foreign --variant=minbase bookworm from $mirror"
PATH="$PATH:/usr/sbin" debootstrap --arch=arm64 --foreign --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap (first stage) failed"; }
# The second stage runs the arm64 maintainer scripts; the F-flagged emulator runs them inside the chroot (a few minutes).
say "second stage under QEMU (a few minutes)"
chroot "$rootfs" /debootstrap/debootstrap --second-stage >"$work/second-stage.log" 2>&1 \
  || { tail -n 20 "$work/second-stage.log" >&2; fail "debootstrap (second stage under QEMU) failed"; }
[ "$(chroot "$rootfs" uname -m)" = aarch64 ] || fail "the arm64 root filesystem does not run as aarch64 under QEMU"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
# The chroot got the host's resolver file: the image must not carry it (the engine mounts its own).
: >"$rootfs/etc/resolv.conf"

# Like the amd64 stand-in: no labels, PATH and CMD as the official image has them.
tar -C "$rootfs" -c . | docker import --platform linux/arm64 \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  - "$ARM64_DEBIAN_IMAGE" >/dev/null
docker tag "$ARM64_DEBIAN_IMAGE" "$MARKER"
[ "$(docker image inspect --format '{{.Os}}/{{.Architecture}}' "$ARM64_DEBIAN_IMAGE")" = linux/arm64 ] \
  || fail "$ARM64_DEBIAN_IMAGE was imported without the linux/arm64 platform"
say "ready: $ARM64_DEBIAN_IMAGE (test stand-in, linux/arm64)"
