#!/usr/bin/env bash
# One command: starts a ZooKeeper (the server in the jar java-interop depends on,
# on a free loopback port, its data in a temporary directory), runs the sample
# against it, and stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
m2="${KITEXDUBBO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kitexdubbo}/m2"
mkdir -p .cache/sample "$m2"
[ -d java-interop/target/lib ] || (cd java-interop && mvn -q -B -Dmaven.repo.local="$m2" package) > .cache/sample/maven.log 2>&1 ||
  { cat .cache/sample/maven.log; exit 1; }
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'tickTime=2000\ndataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n4lw.commands.whitelist=srvr\n' "$dir" "$port" > "$dir/zoo.cfg"
java -cp "java-interop/target/classes:java-interop/target/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  org.apache.zookeeper.server.ZooKeeperServerMain "$dir/zoo.cfg" > "$dir/zk.log" 2>&1 &
zk=$!
trap 'kill "$zk" 2>/dev/null || true; wait "$zk" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 300); do
  # srvr, not ruok: ruok says imok while the server still loads its data.
  case "$( (exec 3<>/dev/tcp/127.0.0.1/"$port"; printf srvr >&3; cat <&3) 2>/dev/null)" in "Zookeeper version:"*) break ;; esac
  kill -0 "$zk" 2>/dev/null || { cat "$dir/zk.log"; exit 1; }
  sleep 0.2
done
echo "ZooKeeper (pid $zk) on 127.0.0.1:$port"
go run ./samples/zookeeper -zk "127.0.0.1:$port"
