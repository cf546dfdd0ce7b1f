#!/usr/bin/env bash
# The README's demo: the real thing in both directions.
#  1. a Kitex server and a Kitex Dubbo client on loopback (samples/greet);
#  2. builds and starts the Dubbo-Java provider (java-interop), calls every case from a Kitex client;
#  3. starts a Kitex server and runs the Dubbo-Java consumer against it.
# Everything it starts it stops (by PID), also on Ctrl-C or failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
m2="${KITEXDUBBO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kitexdubbo}/m2" # shared with the tests (internal/testenv)
mkdir -p .cache/bin .cache/demo "$m2"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

wait_ready() { # file pid name -> prints the port
  for _ in $(seq 1 600); do
    if p=$(grep -a -m1 '^READY ' "$1" 2>/dev/null); then echo "${p#READY }"; return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 exited:" >&2; tail -40 "$1" >&2; return 1; }
    sleep 0.2
  done
  echo "$3 not ready" >&2; return 1
}

echo "== 1. Kitex client -> Kitex server, Dubbo protocol on loopback"
go run ./samples/greet

echo; echo "== building java-interop (Maven; the first run downloads Dubbo 3.3 into $m2)"
(cd java-interop && mvn -q -B -Dmaven.repo.local="$m2" clean package) > .cache/demo/maven.log 2>&1 ||
  { cat .cache/demo/maven.log; exit 1; }
cp="java-interop/target/classes:java-interop/target/lib/*"
go build -o .cache/bin/kitexpeer ./tests/cmd/kitexpeer

echo; echo "== 2. Kitex client -> Dubbo-Java provider"
# [::1]: told 127.0.0.1, Dubbo-Java would bind every interface instead.
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0)); print(s.getsockname()[1])')
java -cp "$cp" org.kitexdubbo.interop.Provider -host ::1 -port "$port" > .cache/demo/provider.log 2>&1 &
pids+=($!)
port=$(wait_ready .cache/demo/provider.log "${pids[-1]}" "Dubbo-Java provider")
echo "Dubbo-Java provider (pid ${pids[-1]}) on [::1]:$port"
.cache/bin/kitexpeer -call "[::1]:$port"

echo; echo "== 3. Dubbo-Java consumer -> Kitex server"
# [::1]: Dubbo-Java replaces a 127.x address with the machine's own before it connects.
.cache/bin/kitexpeer -serve -listen '[::1]:0' > .cache/demo/kitex.log 2>&1 &
pids+=($!)
port=$(wait_ready .cache/demo/kitex.log "${pids[-1]}" "Kitex server")
echo "Kitex server (pid ${pids[-1]}) on [::1]:$port"
java -cp "$cp" org.kitexdubbo.interop.Consumer -addr "[::1]:$port" 2>.cache/demo/consumer.log
