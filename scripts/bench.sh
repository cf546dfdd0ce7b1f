#!/usr/bin/env bash
# make bench: every benchmark side by side, then BENCHMARKS.md and the
# README's Speed block (tests/bench/cmd/benchreport).
#
#   pkg/...              the packages' own micro-benchmarks
#   tests/bench          codecs (generated, reflection, Kitex Thrift; the
#                        allocations a result holds) and Kitex end to end
#   tests/dubbogo/bench  dubbo-go-hessian2 on the same shapes, dubbo-go v3 end to end
#   tests/bench Java     the Dubbo-Java rows, one process per peer
#
# Raw outputs go to .cache/bench/ (<step>.bench for benchstat, <step>.log).
# A step that fails is recorded and the rest still run; the script then
# exits non-zero. Tests do not run (-run '^$').
#
#   BENCH_COUNT      runs of each benchmark (rounds, or -count), reduced to the median (3)
#   BENCH_E2E_ROUNDS rounds of the Kitex end-to-end rows (5: their ratios scatter most)
#   BENCH_E2E_SLICES slices each end-to-end row is measured in per round, the stacks
#                    taking turns (3), and BENCH_E2E_TIME the length of each (500ms)
#   BENCH_JAVA_WARM  each Dubbo-Java consumer's warm-up (30s: on 2 cores a JVM needs 20-25 s)
#   BENCH_JAVA_TIME  each Java row's measuring time (10s), over all its rounds
#   BENCH_JAVA_ROUNDS the rounds a concurrency's Java rows take turns in (2)
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
count=${BENCH_COUNT:-3}
e2erounds=${BENCH_E2E_ROUNDS:-5}
export BENCH_E2E_SLICES=${BENCH_E2E_SLICES:-3}
e2etime=${BENCH_E2E_TIME:-500ms}
warm=${BENCH_JAVA_WARM:-30s}
measure=${BENCH_JAVA_TIME:-10s}
jrounds=${BENCH_JAVA_ROUNDS:-2}
out=.cache/bench
rm -rf "$out"
mkdir -p "$out"

mod() { (cd "$1" && $GO list -m -f '{{.Version}}' "$2" 2>/dev/null) || echo "?"; }
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
	echo "nproc: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "uptime at start: $(uptime)"
	echo "kernel: $(uname -sr)"
	echo "go: $($GO version | cut -d' ' -f3-)"
	echo "Kitex: $(mod . github.com/cloudwego/kitex)"
	echo "dubbo-go: $(mod tests/dubbogo dubbo.apache.org/dubbo-go/v3)"
	echo "dubbo-go-hessian2: $(mod tests/dubbogo github.com/apache/dubbo-go-hessian2)"
	echo "Dubbo-Java: $(sed -n 's:.*<dubbo.version>\(.*\)</dubbo.version>.*:\1:p' java-interop/pom.xml)"
	echo "java: $(java -version 2>&1 | head -1 || echo 'not installed')"
	echo "bench settings: $count rounds of the codec rows, $e2erounds of the end-to-end rows (each in $BENCH_E2E_SLICES slices of $e2etime), -count $count for the rest; Java rows warmed $warm, measured $measure in $jrounds rounds"
} >"$out/machine.txt"
cat "$out/machine.txt"

failed=0
# step NAME DIR ARGS...: go test ARGS in DIR, its output kept as NAME.bench.
step() {
	local name=$1 dir=$2 start rc
	shift 2
	echo "== $name: (cd $dir && $GO test $*)"
	start=$(date +%s)
	(cd "$dir" && $GO test "$@") 2>>"$out/$name.log" | tee -a "$out/$name.bench" | grep -E '^(Benchmark|ok|FAIL|---)' || true
	rc=${PIPESTATUS[0]}
	echo "$name $rc $(($(date +%s) - start))" >>"$out/status.txt"
	if [ "$rc" != 0 ]; then
		failed=1
		echo "== $name failed (exit $rc); see $out/$name.log"
		tail -20 "$out/$name.log"
	fi
}

step pkg . -run '^$' -bench . -benchmem -count "$count" ./pkg/...
# The rows the targets compare run in rounds, not with -count: a round
# measures each row once, back to back, so that a change in the machine's
# speed during the run (a shared 2-core VM can drift by 1.5x within
# minutes) moves the rows of a round together and the medians keep their
# ratios. -count would measure one row three times, then the next.
# BENCH_ROUND rotates which stack BenchmarkE2E runs first.
for round in $(seq "$((count > e2erounds ? count : e2erounds))"); do
	if [ "$round" -le "$count" ]; then
		step codec . -run '^$' -bench '^Benchmark(Encode|Decode|Hold)$' -benchmem -count 1 ./tests/bench
	fi
	if [ "$round" -le "$e2erounds" ]; then
		BENCH_ROUND=$round step e2e . -run '^$' -bench '^BenchmarkE2E$' -benchtime "$e2etime" -benchmem -count 1 ./tests/bench
	fi
done
step dubbogo-codec tests/dubbogo -run '^$' -bench '^Benchmark(Encode|Decode)$' -benchmem -count "$count" ./bench
step dubbogo-e2e tests/dubbogo -run '^$' -bench '^BenchmarkE2E$' -benchmem -count "$count" ./bench
step java . -run '^$' -bench '^BenchmarkJava$' -benchtime 1x -timeout 30m ./tests/bench -args -java.warm "$warm" -java.time "$measure" -java.rounds "$jrounds"

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
if ! $GO run ./tests/bench/cmd/benchreport -dir "$out" -out BENCHMARKS.md -readme README.md -why tests/bench/why.md; then
	echo "== benchreport failed"
	exit 1
fi
echo "== wrote BENCHMARKS.md and README.md's Speed block"
exit $failed
