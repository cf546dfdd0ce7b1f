#!/usr/bin/env bash
# Builds the Nacos server the tests run (rnacos from crates.io, see internal/testenv/nacos.go,
# which pins the same version) into the cache shared by clones, once per machine: cargo takes
# 8-30 minutes on 2 cores, more than a test binary should wait. Later runs find it and return.
set -euo pipefail
ver=0.8.8
cache="${KITEXDUBBO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kitexdubbo}"
root="$cache/rnacos-$ver"
[ -x "$root/bin/rnacos" ] && exit 0
mkdir -p "$cache"
log="$cache/rnacos-build.log"
echo "== building rnacos $ver into $root (once per machine, 8-30 minutes; log: $log)"
if ! cargo install --locked rnacos --version "$ver" --root "$root" > "$log" 2>&1; then
  tail -n 40 "$log"
  exit 1
fi
