#!/usr/bin/env bash
# TEST STAND-INS ONLY. This machine reaches no image registry, so `docker pull` cannot fetch the base images that
# nx-buildkit's generated Dockerfiles start FROM. This script builds local look-alikes from Debian packages and tags
# them with exactly the default names the generators write. Real users never run this: their engine pulls the real
# images from Docker Hub.
#
# What each stand-in carries is what the generated Dockerfiles use from the real image:
#   debian:bookworm-slim      minbase Debian (debootstrap)
#   python:3.11-slim-bookworm python3 (+ `python`), pip (+ `pip`), venv; pip may install system-wide as in the real image
#   node:20-bookworm-slim     the host's node, npm and corepack; a `node` user (uid 1000); the host's CA bundle with
#                             NODE_EXTRA_CA_CERTS, because this test host reaches npm through an intercepting proxy
#   nginx:1.27-bookworm       Debian's nginx laid out like the official image (conf.d/, /usr/share/nginx/html, an
#                             unprivileged `nginx` user with uid 101, curl)
#   nginxinc/nginx-unprivileged:1.27-bookworm   that nginx as uid 101 on port 8080, EXPOSE 8080 only (the
#                             generators' frontend base)
#
# Like the real images, the debian, python and node stand-ins carry no labels at all (Config.Labels is null): code that
# reads labels must cope with that, and a stand-in with labels would hide it. The nginx stand-in carries the one
# label the real image has (maintainer). Which recipe made a stand-in is kept in a marker tag beside it instead.
#
# Images that already exist are kept, so a second run takes a second. NXB_REBUILD_BASE_IMAGES=1 rebuilds them all.
set -euo pipefail

DEBIAN_IMAGE=debian:bookworm-slim
PYTHON_IMAGE=python:3.11-slim-bookworm
NODE_IMAGE=node:20-bookworm-slim
NGINX_IMAGE=nginx:1.27-bookworm
NGINX_UNPRIVILEGED_IMAGE=nginxinc/nginx-unprivileged:1.27-bookworm
# Bump when a stand-in's recipe changes: images with another version are rebuilt.
STAND_IN_VERSION=4

say() { printf '[base-images] %s\n' "$*"; }
fail() { printf '[base-images] ERROR: %s\n' "$*" >&2; exit 1; }

docker info >/dev/null 2>&1 || fail "the Docker engine does not answer. Run scripts/setup-docker.sh first."

# nxb-test-stand-in/<name>:v<version>, e.g. nxb-test-stand-in/python-3.11-slim-bookworm:v3
marker() { printf 'nxb-test-stand-in/%s:v%s' "$(printf '%s' "$1" | tr ':/' '--')" "$STAND_IN_VERSION"; }

# The image exists and is the one this recipe version made (its marker tag names the same image).
exists() {
  [ "${NXB_REBUILD_BASE_IMAGES:-}" != 1 ] || return 1
  local id marked
  id=$(docker image inspect --format '{{.Id}}' "$1" 2>/dev/null) || return 1
  marked=$(docker image inspect --format '{{.Id}}' "$(marker "$1")" 2>/dev/null) || return 1
  [ "$id" = "$marked" ]
}

mark() { docker tag "$1" "$(marker "$1")"; }

work=$(mktemp -d /tmp/nxb-base-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  printf '%s' "${uri:-http://deb.debian.org/debian}"
}

build() { # build <tag> <dir> [docker build options…]
  local tag=$1 dir=$2
  shift 2
  say "building $tag"
  docker build --quiet "$@" -t "$tag" "$dir" >/dev/null
  mark "$tag"
}

if exists "$DEBIAN_IMAGE"; then
  say "$DEBIAN_IMAGE exists"
else
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || fail "debootstrap is missing. Run scripts/setup-docker.sh first."
  mirror=$(debian_mirror)
  say "debootstrap --variant=minbase bookworm from $mirror (about a minute)"
  rootfs="$work/rootfs"
  PATH="$PATH:/usr/sbin" debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap failed"; }
  # Keep the rootfs small and free of the host's apt lists, as the real slim image is.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
  # The apt settings the official Debian images carry (debuerreotype writes them): docker-clean deletes downloaded
  # packages after every install, which is what makes an apt cache mount useless unless it is removed — the
  # optimizer and the generators depend on that, so the stand-in must behave the same.
  conf="$rootfs/etc/apt/apt.conf.d"
  cat >"$conf/docker-clean" <<'APTCONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APTCONF
  printf 'Apt::AutoRemove::SuggestsImportant "false";\n' >"$conf/docker-autoremove-suggests"
  printf 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n' >"$conf/docker-gzip-indexes"
  printf 'Acquire::Languages "none";\n' >"$conf/docker-no-languages"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    - "$DEBIAN_IMAGE" >/dev/null
  mark "$DEBIAN_IMAGE"
  say "imported $DEBIAN_IMAGE"
fi

if exists "$PYTHON_IMAGE"; then
  say "$PYTHON_IMAGE exists"
else
  mkdir -p "$work/python"
  cat >"$work/python/Dockerfile" <<DOCKERFILE
FROM $DEBIAN_IMAGE
RUN apt-get update \\
 && apt-get install -y --no-install-recommends python3 python3-pip python3-venv \\
 && rm -rf /var/lib/apt/lists/* \\
 && ln -s /usr/bin/python3 /usr/local/bin/python \\
 && ln -s /usr/bin/pip3 /usr/local/bin/pip \\
 && rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
ENV LANG=C.UTF-8
CMD ["python3"]
DOCKERFILE
  build "$PYTHON_IMAGE" "$work/python"
fi

if exists "$NODE_IMAGE"; then
  say "$NODE_IMAGE exists"
else
  node_bin=$(command -v node) || fail "node is not on PATH"
  node_prefix=$(cd "$(dirname "$(readlink -f "$node_bin")")/.." && pwd)
  [ -d "$node_prefix/lib/node_modules/npm" ] || fail "npm not found under $node_prefix/lib/node_modules"
  mkdir -p "$work/node/lib"
  cp "$(readlink -f "$node_bin")" "$work/node/node"
  cp -a "$node_prefix/lib/node_modules/npm" "$work/node/lib/npm"
  if [ -d "$node_prefix/lib/node_modules/corepack" ]; then
    cp -a "$node_prefix/lib/node_modules/corepack" "$work/node/lib/corepack"
  else
    mkdir -p "$work/node/lib/corepack"
  fi
  cp /etc/ssl/certs/ca-certificates.crt "$work/node/ca-certificates.crt"
  cat >"$work/node/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
COPY node /usr/local/bin/node
COPY lib/npm /usr/local/lib/node_modules/npm
COPY lib/corepack /usr/local/lib/node_modules/corepack
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && if [ -f /usr/local/lib/node_modules/corepack/dist/corepack.js ]; then \
      ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack; fi \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    NPM_CONFIG_CAFILE=/etc/ssl/certs/ca-certificates.crt \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
CMD ["node"]
DOCKERFILE
  build "$NODE_IMAGE" "$work/node"
fi

if exists "$NGINX_IMAGE"; then
  say "$NGINX_IMAGE exists"
else
  mkdir -p "$work/nginx"
  cat >"$work/nginx/Dockerfile" <<DOCKERFILE
FROM $DEBIAN_IMAGE
RUN apt-get update \\
 && apt-get install -y --no-install-recommends nginx-light curl \\
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled/* /var/www/html \\
 && groupadd --system --gid 101 nginx && useradd --system --uid 101 --gid nginx --no-create-home --shell /bin/false nginx \\
 && sed -i 's/^user www-data;/user nginx;/' /etc/nginx/nginx.conf \\
 && mkdir -p /usr/share/nginx/html /etc/nginx/conf.d \\
 && printf '<h1>nginx stand-in</h1>\n' > /usr/share/nginx/html/index.html \\
 && printf 'server {\n  listen 80;\n  root /usr/share/nginx/html;\n  index index.html;\n}\n' > /etc/nginx/conf.d/default.conf \\
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
DOCKERFILE
  build "$NGINX_IMAGE" "$work/nginx" --label 'maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>'
fi

if exists "$NGINX_UNPRIVILEGED_IMAGE"; then
  say "$NGINX_UNPRIVILEGED_IMAGE exists"
else
  # NGINX's unprivileged image (the generators' default frontend base): nginx as uid 101 listening on 8080, pid and
  # temp files in /tmp. Built FROM the nginx stand-in, then flattened with export/import, because the real image
  # declares EXPOSE 8080 only: an image built FROM nginx would inherit EXPOSE 80, which is what the generators
  # must not publish.
  mkdir -p "$work/nginx-unprivileged"
  cat >"$work/nginx-unprivileged/Dockerfile" <<DOCKERFILE
FROM $NGINX_IMAGE
RUN sed -i -e 's/^user nginx;//' -e 's#^pid .*#pid /tmp/nginx.pid;#' /etc/nginx/nginx.conf \\
 && sed -i 's/listen 80;/listen 8080;/' /etc/nginx/conf.d/default.conf \\
 && mkdir -p /var/cache/nginx /var/lib/nginx && chown -R 101:0 /var/cache/nginx /var/lib/nginx /etc/nginx /usr/share/nginx/html
DOCKERFILE
  docker build --quiet -t nxb-nginx-unprivileged-stage "$work/nginx-unprivileged" >/dev/null
  container=$(docker create nxb-nginx-unprivileged-stage)
  say "building $NGINX_UNPRIVILEGED_IMAGE"
  docker export "$container" | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'LABEL maintainer="NGINX Docker Maintainers <docker-maint@nginx.com>"' \
    --change 'EXPOSE 8080' \
    --change 'STOPSIGNAL SIGQUIT' \
    --change 'USER 101' \
    --change 'CMD ["nginx", "-g", "daemon off;"]' \
    - "$NGINX_UNPRIVILEGED_IMAGE" >/dev/null
  docker rm "$container" >/dev/null
  docker rmi nxb-nginx-unprivileged-stage >/dev/null
  mark "$NGINX_UNPRIVILEGED_IMAGE"
fi

say "ready: $DEBIAN_IMAGE $PYTHON_IMAGE $NODE_IMAGE $NGINX_IMAGE $NGINX_UNPRIVILEGED_IMAGE (test stand-ins)"
