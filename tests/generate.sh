#!/usr/bin/env bash
# Regenerates kitex_gen from idl/ the way a user would: the stock Kitex CLI, then our step.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
[ -x "$root/.cache/bin/kitex" ] || (cd "$root/tools" && go build -o ../.cache/bin/kitex github.com/cloudwego/kitex/tool/cmd/kitex)
rm -rf kitex_gen
go run github.com/kitexdubbo/kitexdubbo/cmd/kitexdubbo-gen -java-thrift idl
"$root/.cache/bin/kitex" -module github.com/kitexdubbo/kitexdubbo -protocol hessian2 idl/interop.thrift
go run github.com/kitexdubbo/kitexdubbo/cmd/kitexdubbo-gen idl/interop.thrift
