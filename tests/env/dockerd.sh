#!/usr/bin/env bash
# Start dockerd in the background unless an engine already answers; wait until it does.
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
command -v dockerd >/dev/null || { echo "dockerd not installed (apt-get install docker.io)" >&2; exit 1; }
log=${DOCKERD_LOG:-/var/log/slidekit-dockerd.log}
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "dockerd did not start; see $log" >&2
tail -20 "$log" >&2
exit 1
