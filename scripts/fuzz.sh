#!/usr/bin/env bash
# make fuzz: every fuzz target of ./pkg/... and ./tests for FUZZTIME each.
#
# Go 1.26's fuzz coordinator can end a run that found nothing with a bare
# "context deadline exceeded" at the -fuzztime boundary (golang/go#75804,
# fixed in Go 1.27). A finding always writes its input under testdata/fuzz
# and prints "Failing input written"; a run that failed without one and with
# that message is the coordinator's race, so the target's seed corpus is
# replayed (deterministic) and the target counts as passed if that passes.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-10s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
$GO list -f '{{.ImportPath}} {{.Dir}}' ./pkg/... ./tests | while read -r pkg dir; do
	for t in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/func //'); do
		echo "== $t ($pkg, $FUZZTIME)"
		if $GO test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" "$pkg" 2>&1 | tee "$log"; then
			continue
		fi
		if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
			echo "== $t stopped by the fuzz coordinator's deadline race (golang/go#75804), nothing found: replaying its corpus"
			$GO test -count=1 -run "^$t\$" "$pkg"
			continue
		fi
		exit 1
	done
done
