#!/usr/bin/env bash
# A second, throw-away Docker Engine reachable only over TCP with mutual TLS, for the
# remote-engine tests. It never touches the default engine: its own --data-root,
# --exec-root, --pidfile, containerd namespace and cgroup parent, and its own bridge
# (skPORT, a /24 in 10.254.0.0/16, no iptables rules) so that it cannot fight the default
# daemon's docker0. (--bridge=none is not enough: BuildKit's RUN needs the bridge network.)
#
#   tls-dockerd.sh start DIR   generate a CA, a server certificate (127.0.0.1) and a client
#                              certificate with openssl, start dockerd, wait until it answers,
#                              print its URL (tcp://127.0.0.1:PORT). DIR/client holds
#                              ca.pem, cert.pem and key.pem (a DOCKER_CERT_PATH).
#   tls-dockerd.sh stop DIR    stop that dockerd (SIGTERM, then SIGKILL), unmount what it left
#                              mounted under DIR and remove DIR.
#
# Keep DIR short (e.g. mktemp -d /tmp/sktls.XXXXXX): containerd's sockets live under it.
set -euo pipefail

cmd=${1:?usage: tls-dockerd.sh start|stop DIR}
dir=${2:?usage: tls-dockerd.sh start|stop DIR}

certs() {
  local c="$dir/certs" client="$dir/client"
  mkdir -p "$c" "$client"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=slidekit test CA" \
    -keyout "$c/ca-key.pem" -out "$c/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$c/server-key.pem" -out "$c/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$c/server.ext"
  openssl x509 -req -in "$c/server.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial \
    -days 2 -extfile "$c/server.ext" -out "$c/server-cert.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=slidekit test client" \
    -keyout "$client/key.pem" -out "$c/client.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$c/client.ext"
  openssl x509 -req -in "$c/client.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial \
    -days 2 -extfile "$c/client.ext" -out "$client/cert.pem" 2>/dev/null
  cp "$c/ca.pem" "$client/ca.pem"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  command -v dockerd >/dev/null || { echo "dockerd not installed (apt-get install docker.io)" >&2; exit 1; }
  local tool
  for tool in openssl curl ip; do
    command -v "$tool" >/dev/null || { echo "$tool not installed (see tests/env/setup.sh)" >&2; exit 1; }
  done
  mkdir -p "$dir"
  certs
  local port name url
  port=$(free_port)
  name=$(basename "$dir")
  url="tcp://127.0.0.1:$port"
  echo '{}' >"$dir/daemon.json"
  local bridge="sk$port"
  ip link add "$bridge" type bridge
  echo "$bridge" >"$dir/bridge"
  ip addr add "10.254.$((port % 250 + 1)).1/24" dev "$bridge"
  ip link set "$bridge" up
  dockerd --config-file "$dir/daemon.json" \
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
    -H "$url" --tlsverify --tlscacert "$dir/certs/ca.pem" \
    --tlscert "$dir/certs/server-cert.pem" --tlskey "$dir/certs/server-key.pem" \
    --bridge "$bridge" --iptables=false --ip-forward=false --ip-masq=false \
    --containerd-namespace "$name" --containerd-plugins-namespace "$name-plugins" \
    --cgroup-parent "/$name" >"$dir/dockerd.log" 2>&1 &
  echo $! >"$dir/dockerd.launcher"
  local _
  for _ in $(seq 1 120); do
    if curl -sf --cacert "$dir/client/ca.pem" --cert "$dir/client/cert.pem" --key "$dir/client/key.pem" \
        "https://127.0.0.1:$port/_ping" >/dev/null 2>&1; then
      echo "$url"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/dockerd.launcher")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "the TLS dockerd did not start; see $dir/dockerd.log:" >&2
  tail -20 "$dir/dockerd.log" >&2
  stop
  exit 1
}

stop() {
  local pid=""
  [ -f "$dir/docker.pid" ] && pid=$(cat "$dir/docker.pid")
  [ -z "$pid" ] && [ -f "$dir/dockerd.launcher" ] && pid=$(cat "$dir/dockerd.launcher")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Anything still mounted under DIR (overlay layers, netns, shm), deepest first.
  awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  if [ -f "$dir/bridge" ]; then ip link del "$(cat "$dir/bridge")" 2>/dev/null || true; fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: tls-dockerd.sh start|stop DIR" >&2; exit 2 ;;
esac
