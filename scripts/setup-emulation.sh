#!/usr/bin/env bash
# Makes sure this machine can run foreign-architecture programs under emulation, which multi-platform builds need
# (a RUN step of a linux/arm64 image on an x86_64 host): QEMU's user-mode emulators registered with binfmt_misc, with
# the "fix binary" flag (F), so the kernel keeps the emulator open and it works inside containers, whose root
# filesystem has no /usr/bin/qemu-aarch64-static.
#
# Idempotent: a registration that already works is left alone. On a Debian host as root it installs Debian's
# qemu-user-static and binfmt-support, mounts binfmt_misc when it is not mounted (no systemd mounts it in a container
# or a bare VM) and enables the aarch64 emulator; anywhere else it says what is missing and exits non-zero.
#
# Docker Desktop and GitHub's docker/setup-qemu-action do the same with the tonistiigi/binfmt image; this host reaches
# no image registry, so Debian's packages are used instead.
set -euo pipefail

BINFMT=/proc/sys/fs/binfmt_misc
# The emulators multi-platform builds here use; arm64 is what the tests build.
EMULATORS=(qemu-aarch64)

say() { printf '[setup-emulation] %s\n' "$*"; }
fail() { printf '[setup-emulation] ERROR: %s\n' "$*" >&2; exit 1; }

# Registered, enabled, and with the F flag (an emulator opened at registration, usable inside containers).
registered() {
  local entry="$BINFMT/$1"
  [ -r "$entry" ] && grep -qx 'enabled' "$entry" && grep -q '^flags:.*F' "$entry"
}

all_registered() {
  local name
  for name in "${EMULATORS[@]}"; do registered "$name" || return 1; done
}

if all_registered; then
  say "emulators registered with binfmt_misc (${EMULATORS[*]}): nothing to do."
  exit 0
fi

if ! { [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }; then
  cat >&2 <<MSG
[setup-emulation] Missing: QEMU user-mode emulators registered with binfmt_misc (${EMULATORS[*]}, with the F flag).
This script installs them only on a Debian host as root. Elsewhere:
  - Debian/Ubuntu: apt-get install qemu-user-static binfmt-support
  - any Linux with an engine that can pull images: docker run --privileged --rm tonistiigi/binfmt --install arm64
  - Docker Desktop (macOS/Windows) has emulation built in.
MSG
  exit 1
fi

if ! [ -x /usr/bin/qemu-aarch64-static ] || ! command -v update-binfmts >/dev/null 2>&1; then
  say "installing qemu-user-static and binfmt-support"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # Their maintainer scripts try to register the emulators and may fail to where binfmt_misc is not mounted yet:
  # registration is done below either way.
  apt-get install -y -qq --no-install-recommends qemu-user-static binfmt-support >/dev/null
fi

if ! [ -e "$BINFMT/register" ]; then
  say "mounting binfmt_misc on $BINFMT"
  mount -t binfmt_misc binfmt_misc "$BINFMT" || fail "could not mount binfmt_misc on $BINFMT (a container needs --privileged for this)"
fi

for name in "${EMULATORS[@]}"; do
  registered "$name" && continue
  # Debian's qemu-user-static describes each emulator to binfmt-support in /usr/share/binfmts with fix_binary yes.
  [ -r "/usr/share/binfmts/$name" ] || fail "/usr/share/binfmts/$name is missing: reinstall qemu-user-static"
  update-binfmts --import "$name" >/dev/null 2>&1 || true
  update-binfmts --enable "$name" >/dev/null 2>&1 || true
  registered "$name" || fail "$name is not registered with binfmt_misc after update-binfmts (see $BINFMT/$name)"
done

say "ready: $(for name in "${EMULATORS[@]}"; do printf '%s (%s) ' "$name" "$(sed -n 's/^flags: //p' "$BINFMT/$name")"; done)"
