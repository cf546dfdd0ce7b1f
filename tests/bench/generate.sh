#!/usr/bin/env bash
# Regenerates kitex_gen for the benchmarks' shapes the way a user would: the
# stock Kitex CLI with -protocol hessian2 and our step for the Dubbo side, and
# the stock Kitex CLI alone (Thrift, its own fast codec) for the ceiling.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
[ -x "$root/.cache/bin/kitex" ] || (cd "$root/tools" && go build -o ../.cache/bin/kitex github.com/cloudwego/kitex/tool/cmd/kitex)
rm -rf kitex_gen
"$root/.cache/bin/kitex" -module github.com/kitexdubbo/kitexdubbo -protocol hessian2 idl/shapes.thrift
go run github.com/kitexdubbo/kitexdubbo/cmd/kitexdubbo-gen idl/shapes.thrift
"$root/.cache/bin/kitex" -module github.com/kitexdubbo/kitexdubbo idl/thrift_shapes.thrift
