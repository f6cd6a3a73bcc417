#!/usr/bin/env bash
# slidekit-test/python:3.9-bullseye — a stand-in for Docker Hub's python:3.9.10 (there is no
# registry here): Debian bullseye (debootstrap minbase + `docker import`) with Debian's
# python3.9 and pip. It behaves like the official image where the example deck relies on it:
# `python3`, `python` and `pip` on PATH; `pip install` as root puts packages under
# /usr/local/lib/python3.9/ (dist-packages) and console scripts in /usr/local/bin.
# The host's CA bundle travels along at a path no Debian package owns (pip, requests and
# OpenSSL are pointed at it), so TLS to PyPI keeps working even after a Dockerfile runs
# `apt-get install ca-certificates`, which regenerates /etc/ssl/certs/ca-certificates.crt.
# Idempotent: exits at once when the image exists. Takes a few minutes (debootstrap).
set -euo pipefail
image=slidekit-test/python:3.9-bullseye
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
docker image inspect "$image" >/dev/null 2>&1 && exit 0
command -v debootstrap >/dev/null || { echo "debootstrap not installed (apt-get install debootstrap)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
start=$SECONDS

# Debian's python3-pip depends on setuptools, wheel and distutils; debootstrap skips Recommends.
debootstrap --variant=minbase --include=python3,python3-pip,python-is-python3 \
  bullseye "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -30 "$work/debootstrap.log" >&2
  exit 1
}
echo "[image-python39] debootstrap: $((SECONDS - start))s" >&2

# Slim the tree like the official images: no package caches, lists, docs or man pages.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
  "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/* "$rootfs"/dev/*
rm -rf "$rootfs"/debootstrap
: >"$rootfs/etc/resolv.conf"
printf '%s\n' "deb $mirror bullseye main" "deb $mirror bullseye-updates main" \
  "deb http://deb.debian.org/debian-security bullseye-security main" >"$rootfs/etc/apt/sources.list"

rootfs_image=$image-rootfs-$$
tar -C "$rootfs" -c . | docker import - "$rootfs_image" >/dev/null

ctx=$work/ctx
mkdir -p "$ctx"
cp /etc/ssl/certs/ca-certificates.crt "$ctx/host-ca.pem"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $rootfs_image
COPY host-ca.pem /usr/local/share/slidekit/host-ca.pem
COPY host-ca.pem /usr/local/share/ca-certificates/slidekit-host-bundle.crt
RUN ln -s /usr/bin/pip3 /usr/local/bin/pip
ENV LANG=C.UTF-8 \\
    PIP_CERT=/usr/local/share/slidekit/host-ca.pem \\
    REQUESTS_CA_BUNDLE=/usr/local/share/slidekit/host-ca.pem \\
    SSL_CERT_FILE=/usr/local/share/slidekit/host-ca.pem \\
    PIP_DISABLE_PIP_VERSION_CHECK=1
CMD ["python3"]
DOCKERFILE
# (the classic builder's deprecation notice on stderr is noise: show stderr only on failure)
docker build -q -t "$image" "$ctx" >/dev/null 2>"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
docker image rm "$rootfs_image" >/dev/null
echo "[image-python39] $image built in $((SECONDS - start))s" >&2
