#!/usr/bin/env bash
# slidekit-test/busybox:latest — FROM scratch plus Debian's static busybox (sh, echo, cat, ...).
set -euo pipefail
image=slidekit-test/busybox:latest
docker image inspect "$image" >/dev/null 2>&1 && exit 0
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/bin"
cp /bin/busybox "$ctx/bin/busybox"
for tool in $("$ctx/bin/busybox" --list); do
  [ "$tool" = busybox ] || ln -s busybox "$ctx/bin/$tool"
done
mkdir -p "$ctx/tmp" "$ctx/etc"
echo 'root:x:0:0:root:/root:/bin/sh' >"$ctx/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >>"$ctx/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ctx/etc/group"
cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY bin /bin
COPY etc /etc
COPY tmp /tmp
ENV PATH=/bin
CMD ["sh"]
DOCKERFILE
docker build -q -t "$image" "$ctx" >/dev/null
