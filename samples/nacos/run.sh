#!/usr/bin/env bash
# One command: starts a Nacos server (rnacos, built once per machine by
# scripts/rnacos.sh, on free loopback ports, its data in a temporary
# directory), runs the sample against it, and stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
./scripts/rnacos.sh
bin="${KITEXDUBBO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kitexdubbo}/rnacos-0.8.8/bin/rnacos"
dir=$(mktemp -d)
# P and P+1000 (the gRPC port nacos clients assume) both free.
port=$(python3 -c '
import socket
for _ in range(100):
    a = socket.socket(); a.bind(("127.0.0.1", 0)); p = a.getsockname()[1]
    if p + 1000 > 65535: continue
    b = socket.socket()
    try: b.bind(("127.0.0.1", p + 1000)); print(p); break
    except OSError: pass
')
start() {
  rm -rf "$dir/data"
  (cd "$dir" && exec env RNACOS_HTTP_PORT="$port" RNACOS_GRPC_PORT=$((port + 1000)) RNACOS_HTTP_CONSOLE_PORT=0 \
    RNACOS_SDK_HOST=127.0.0.1 RNACOS_CONSOLE_HOST=127.0.0.1 RNACOS_RAFT_NODE_ADDR=127.0.0.1:$((port + 1000)) \
    RNACOS_DATA_DIR="$dir/data" "$bin" > "$dir/rnacos.log" 2>&1) &
  nacos=$!
}
stop() { kill "$nacos" 2>/dev/null || true; wait "$nacos" 2>/dev/null || true; }
trap 'stop; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port/nacos/v1/cs/configs"
# rnacos 0.8.8 sometimes comes up from an empty directory unable to apply
# config writes (docs/NACOS-FACTS.md): ready means a config written reads back.
for attempt in 1 2 3; do
  start
  for _ in $(seq 1 100); do
    kill -0 "$nacos" 2>/dev/null || { cat "$dir/rnacos.log"; exit 1; }
    curl -sf -X POST "$base" -d dataId=probe -d group=probe -d content=ok > /dev/null 2>&1 &&
      [ "$(curl -sf "$base?dataId=probe&group=probe" 2>/dev/null)" = ok ] && break 2
    sleep 0.2
  done
  stop
done
[ "$(curl -sf "$base?dataId=probe&group=probe" 2>/dev/null)" = ok ] || { echo "rnacos did not apply config writes"; cat "$dir/rnacos.log"; exit 1; }
curl -sf -X DELETE "$base?dataId=probe&group=probe" > /dev/null || true
echo "Nacos (rnacos, pid $nacos) on 127.0.0.1:$port"
go run ./samples/nacos -nacos "127.0.0.1:$port"
