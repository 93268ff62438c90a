#!/usr/bin/env bash
# Makes sure this machine can run nx-buildkit's tests: a Docker engine that answers, the buildx plugin, and the test
# dependencies docker-registry (Debian's registry:2 server), debootstrap (for the base-image stand-ins) and socat
# (links a second engine, in a network namespace of its own, to a registry on the host's 127.0.0.1), and Debian's
# chromium (the run report's browser test drives it headless through playwright-core).
#
# Idempotent: what already works is left alone, a running engine is never reinstalled or restarted.
# On a Debian host as root it installs what is missing (docker.io and docker-buildx from Debian trixie, pinned low so
# nothing else is upgraded); anywhere else it names what is missing and how to get it, and exits non-zero.
set -euo pipefail

DOCKERD_LOG="${NXB_DOCKERD_LOG:-/var/log/nx-buildkit-dockerd.log}"
WAIT_SECONDS=60

say() { printf '[setup-docker] %s\n' "$*"; }
fail() { printf '[setup-docker] ERROR: %s\n' "$*" >&2; exit 1; }

engine_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }
buildx_works() { command -v docker >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; }
have() { command -v "$1" >/dev/null 2>&1; }
registry_installed() { have docker-registry || [ -x /usr/bin/docker-registry ]; }
debootstrap_installed() { have debootstrap || [ -x /usr/sbin/debootstrap ]; }
socat_installed() { have socat; }
chromium_installed() { [ -x /usr/bin/chromium ]; }

is_debian_root() {
  [ "$(id -u)" = 0 ] && [ -r /etc/debian_version ] && have apt-get
}

missing=()
engine_answers || missing+=("engine")
buildx_works || missing+=("buildx")
registry_installed || missing+=("docker-registry")
debootstrap_installed || missing+=("debootstrap")
socat_installed || missing+=("socat")
chromium_installed || missing+=("chromium")

# Opt-in (NXB_CONTAINERD_STORE=1): the engine keeps images in the containerd image store, where the docker driver can
# export a layer cache (nx-buildkit's registry cache, --cache-to type=registry). Written to /etc/docker/daemon.json
# before the engine starts; a running engine is not restarted: the script says how to switch it.
if [ "${NXB_CONTAINERD_STORE:-0}" = 1 ]; then
  node -e '
    const fs = require("fs"); const path = "/etc/docker/daemon.json"; let config = {};
    try { config = JSON.parse(fs.readFileSync(path, "utf8")); } catch {}
    if (config.features && config.features["containerd-snapshotter"] === true) process.exit(0);
    config.features = { ...(config.features || {}), "containerd-snapshotter": true };
    fs.mkdirSync("/etc/docker", { recursive: true });
    fs.writeFileSync(path, JSON.stringify(config, null, 2) + "\n");
    console.log("[setup-docker] containerd image store enabled in " + path);
  ' || fail "could not write /etc/docker/daemon.json"
  if engine_answers && ! docker info --format '{{json .DriverStatus}}' | grep -q 'io.containerd.snapshotter'; then
    say "the running engine still uses the classic image store: stop dockerd and rerun this script (then scripts/base-images.sh: the classic store's images are not seen by the containerd store)"
  fi
fi

if [ ${#missing[@]} -eq 0 ]; then
  say "Docker engine answers, buildx works, docker-registry, debootstrap, socat and chromium are installed: nothing to do."
  exit 0
fi

if ! is_debian_root; then
  cat >&2 <<MSG
[setup-docker] Missing: ${missing[*]}
This script installs them only on a Debian host as root. Elsewhere:
  - Docker engine + buildx: install Docker Desktop (macOS/Windows) or your distribution's packages
    (e.g. 'docker.io' and 'docker-buildx', or Docker CE with 'docker-buildx-plugin'), then start the daemon.
  - docker-registry: Debian/Ubuntu package 'docker-registry', or any registry:2 server on 127.0.0.1.
  - debootstrap: Debian/Ubuntu package 'debootstrap' (needed only to build the test base images).
  - socat: Debian/Ubuntu package 'socat' (needed only by the second-engine tests).
  - chromium: Debian package 'chromium' at /usr/bin/chromium (needed only by the run report's browser test).
MSG
  exit 1
fi

# The engine binary is what matters; the CLI may already exist as a client only (no dockerd).
need_engine_pkgs=0
if ! have dockerd || ! [ -x /usr/libexec/docker/cli-plugins/docker-buildx ] && ! buildx_works; then
  need_engine_pkgs=1
fi
have dockerd || need_engine_pkgs=1

apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    apt-get update -qq >/dev/null
    apt_updated=1
  fi
}

add_trixie_source() {
  local src=/etc/apt/sources.list.d/nx-buildkit-trixie.sources
  local pref=/etc/apt/preferences.d/nx-buildkit-trixie
  [ -f "$src" ] && [ -f "$pref" ] && return 0
  # Reuse the machine's own bookworm mirror and keyring rather than naming a mirror host here.
  local uri keyring
  uri=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  keyring=$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || fail "could not find the Debian mirror URI in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
  [ -n "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  say "adding Debian trixie (pin priority 100) from $uri for docker.io and docker-buildx"
  cat > "$src" <<SRC
Types: deb
URIs: $uri
Suites: trixie
Components: main
Signed-By: $keyring
SRC
  cat > "$pref" <<PREF
Package: *
Pin: release n=trixie
Pin-Priority: 100
PREF
  apt_updated=0
}

export DEBIAN_FRONTEND=noninteractive
if [ "$need_engine_pkgs" = 1 ]; then
  add_trixie_source
  apt_update
  say "installing docker.io and docker-buildx from trixie"
  apt-get install -y -qq -t trixie --no-install-recommends docker.io docker-buildx >/dev/null
fi
pkgs=()
registry_installed || pkgs+=(docker-registry)
debootstrap_installed || pkgs+=(debootstrap)
socat_installed || pkgs+=(socat)
chromium_installed || pkgs+=(chromium)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt_update
  say "installing ${pkgs[*]}"
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

if ! engine_answers; then
  have dockerd || fail "dockerd is not installed after installing docker.io; see the apt output above"
  if pgrep -x dockerd >/dev/null 2>&1; then
    say "dockerd is running but not answering yet; waiting"
  else
    say "starting dockerd in the background (log: $DOCKERD_LOG)"
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    # setsid: the daemon must outlive this script and the shell that ran it.
    setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 < /dev/null &
  fi
  for _ in $(seq 1 "$WAIT_SECONDS"); do
    engine_answers && break
    sleep 1
  done
  if ! engine_answers; then
    printf '[setup-docker] ERROR: the Docker engine did not answer within %ss. Last lines of %s:\n' "$WAIT_SECONDS" "$DOCKERD_LOG" >&2
    tail -n 30 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
fi

buildx_works || fail "'docker buildx version' fails. Install Debian's 'docker-buildx' package (or Docker's 'docker-buildx-plugin')."
say "ready: $(docker version --format 'engine {{.Server.Version}}' 2>/dev/null), $(docker buildx version | head -n1)"
