#!/usr/bin/env bash
# Set up everything slidekit's tests need on a fresh Debian machine (root), idempotently:
# system packages (Docker Engine, graph-easy, Chromium, debootstrap, busybox, tmux),
# the package itself with its test extras, a running dockerd, and the locally built
# base images the Docker tests use (there is no registry to pull from).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

log() { printf '[setup] %s\n' "$*" >&2; }

packages=(docker.io libgraph-easy-perl chromium fonts-dejavu-core fonts-liberation debootstrap busybox-static tmux ca-certificates openssl curl iproute2)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log "installing slidekit with test extras"
python3 -m pip install -q -e "$root[test,hadolint]" 2>&1 | grep -v "Running pip as the 'root' user" || true
# pyenv installs console scripts (slidekit, ruff, mypy) behind shims that exist only after a rehash
if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi

bash "$here/dockerd.sh"
for script in "$here"/image-*.sh; do
  [ -e "$script" ] || continue
  log "base image: $(basename "$script")"
  bash "$script"
done
log "ready"
