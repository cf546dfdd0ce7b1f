// Command benchreport writes BENCHMARKS.md from what scripts/bench.sh (make
// bench) collected: the go test -bench outputs of pkg/..., tests/bench and
// tests/dubbogo/bench, the machine's description, and how each step ended.
// With -readme it also rewrites the README's block between
// "<!-- bench:begin -->" and "<!-- bench:end -->" with the headline ratios.
//
//	go run ./tests/bench/cmd/benchreport -dir .cache/bench -out BENCHMARKS.md -readme README.md
//
// Several runs of a benchmark (-count) are reduced to their median, metric
// by metric.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	dir := flag.String("dir", ".cache/bench", "the directory scripts/bench.sh wrote")
	out := flag.String("out", "BENCHMARKS.md", "the report to write")
	readme := flag.String("readme", "", "a README whose bench block to rewrite (none if empty)")
	why := flag.String("why", "", "a hand-kept Markdown file on why targets are missed, included as it is (none if empty)")
	flag.Parse()
	r, err := load(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	if *why != "" {
		b, err := os.ReadFile(*why)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchreport:", err)
			os.Exit(1)
		}
		r.why = string(b)
	}
	if err := os.WriteFile(*out, []byte(r.report()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	if *readme != "" {
		if err := rewriteBlock(*readme, r.headline()); err != nil {
			fmt.Fprintln(os.Stderr, "benchreport:", err)
			os.Exit(1)
		}
	}
}

// results maps a benchmark's name (without the -GOMAXPROCS suffix) to the
// runs' values by unit.
type results map[string]map[string][]float64

// get is the median of name's unit, and whether there was one.
func (rs results) get(name, unit string) (float64, bool) {
	return median(rs[name][unit])
}

func median(v []float64) (float64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// pairedRatio is the median of a's i-th run divided by b's, when both ran
// the same number of times (more than once) and b's runs are all above zero.
func (rs results) pairedRatio(a, b, unit string) (float64, bool) {
	x, y := rs[a][unit], rs[b][unit]
	if len(x) < 2 || len(x) != len(y) {
		return 0, false
	}
	q := make([]float64, len(x))
	for i := range x {
		if y[i] <= 0 {
			return 0, false
		}
		q[i] = x[i] / y[i]
	}
	return median(q)
}

// spread is (max - min) / median of name's unit, as a percentage.
func (rs results) spread(name, unit string) (float64, bool) {
	v := rs[name][unit]
	med, ok := rs.get(name, unit)
	if !ok || len(v) < 2 || med == 0 {
		return 0, false
	}
	return (slices.Max(v) - slices.Min(v)) / med * 100, true
}

type run struct {
	machine [][2]string // key, value, in file order
	steps   []step
	files   map[string]results // by file name: pkg, codec, dubbogo-codec, e2e, dubbogo-e2e, java
	why     string             // the profiles' account of the misses, written by hand
}

type step struct {
	name    string
	rc      int
	seconds int
}

// suffix is what Go appends to a benchmark's name: the GOMAXPROCS, and a
// number for a sub-benchmark run again under the same name (#01: an
// end-to-end row's later slices).
var suffix = regexp.MustCompile(`(#\d+)?-\d+$`)

func load(dir string) (*run, error) {
	r := &run{files: map[string]results{}}
	m, err := os.ReadFile(filepath.Join(dir, "machine.txt"))
	if err != nil {
		return nil, err
	}
	for _, l := range strings.Split(strings.TrimSpace(string(m)), "\n") {
		k, v, _ := strings.Cut(l, ":")
		r.machine = append(r.machine, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	if s, err := os.ReadFile(filepath.Join(dir, "status.txt")); err == nil {
		for _, l := range strings.Split(strings.TrimSpace(string(s)), "\n") {
			var st step
			if n, _ := fmt.Sscanf(l, "%s %d %d", &st.name, &st.rc, &st.seconds); n == 3 {
				r.steps = append(r.steps, st)
			}
		}
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.bench"))
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		rs, err := parse(n)
		if err != nil {
			return nil, err
		}
		r.files[strings.TrimSuffix(filepath.Base(n), ".bench")] = rs
	}
	return r, nil
}

// parse reads go test -bench output: "BenchmarkX/y-2  N  v unit  v unit ...".
func parse(path string) (results, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rs := results{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") || len(fs)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(fs[1]); err != nil {
			continue
		}
		name := suffix.ReplaceAllString(strings.TrimPrefix(fs[0], "Benchmark"), "")
		if rs[name] == nil {
			rs[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(fs); i += 2 {
			v, err := strconv.ParseFloat(fs[i], 64)
			if err != nil {
				continue
			}
			rs[name][fs[i+1]] = append(rs[name][fs[i+1]], v)
		}
	}
	return rs, sc.Err()
}

// codec finds a codec benchmark in tests/bench's or tests/dubbogo's output.
func (r *run) codec(name, unit string) (float64, bool) {
	if v, ok := r.files["codec"].get(name, unit); ok {
		return v, true
	}
	return r.files["dubbogo-codec"].get(name, unit)
}

func (r *run) codecSpread(name string) string {
	if v, ok := r.files["codec"].spread(name, "ns/op"); ok {
		return fmt.Sprintf(" ±%.0f%%", v)
	}
	if v, ok := r.files["dubbogo-codec"].spread(name, "ns/op"); ok {
		return fmt.Sprintf(" ±%.0f%%", v)
	}
	return ""
}

func (r *run) e2e(name, unit string) (float64, bool) {
	if v, ok := r.files["e2e"].get(name, unit); ok {
		return v, true
	}
	return r.files["dubbogo-e2e"].get(name, unit)
}

var (
	shapes   = []string{"small", "medium", "large"}
	codecs   = []string{"generated", "reflect", "thrift", "dubbogo-hessian2"}
	codecDoc = map[string]string{
		"generated":        "kitexdubbo, generated (kitexdubbo-gen)",
		"reflect":          "kitexdubbo, reflection",
		"thrift":           "Kitex Thrift fast codec",
		"dubbogo-hessian2": "dubbo-go-hessian2 v1.12.5",
	}
	concs    = []string{"c1", "c16", "c100"}
	variants = []string{"thrift", "dubbo-codec", "dubbo-factory", "dubbogo"}
	varDoc   = map[string]string{
		"thrift":        "Kitex Thrift (TTHeader)",
		"dubbo-codec":   "kitexdubbo, `server.WithCodec`",
		"dubbo-factory": "kitexdubbo, server factory",
		"dubbogo":       "dubbo-go v3.3.0 client and server",
	}
	javaRows = []string{"java-consumer/java-provider", "kitex-client/java-provider", "java-consumer/kitex-server"}
	javaDoc  = map[string]string{
		"java-consumer/java-provider": "Dubbo-Java consumer → Dubbo-Java provider",
		"kitex-client/java-provider":  "Kitex client → Dubbo-Java provider",
		"java-consumer/kitex-server":  "Dubbo-Java consumer → Kitex server (factory)",
	}
)

func (r *run) report() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Benchmarks\n\n")
	w("Generated by `make bench` (`scripts/bench.sh`, then `tests/bench/cmd/benchreport`); do not edit by hand.\n")
	w("Each figure is the median of the runs. The codec and end-to-end rows run in rounds, each measuring every row once, back to back, so that the machine's drift moves the rows of a round together; the rest runs with `-count`. The Kitex end-to-end rows are measured in short slices within a round, the stacks taking turns, and a ratio between them is the median of the slices' ratios, each dividing two slices measured back to back. Speed is shown here, by benchmarks; no test asserts a time.\n\n")

	w("## Machine\n\n| | |\n|---|---|\n")
	for _, kv := range r.machine {
		w("| %s | %s |\n", kv[0], strings.ReplaceAll(kv[1], "|", "\\|"))
	}
	w("\nClient and server share the cores in every end-to-end row. ")
	w("± after a codec's ns/op is the spread of its runs, (max - min) / median.\n\n")
	if busy, load := r.busy(); busy {
		w("> ⚠️ **The machine was busy** (load average %s on %s cores at the start): other work shared the cores, ", load, r.machineValue("nproc"))
		w("so these figures are noisy and the ratios between rows run at different moments may be off by far more than the targets' margins. ")
		w("Rerun `make bench` on a quiet machine before reading anything into them.\n\n")
	}

	w("## Targets (DESIGN.md section 5)\n\n")
	for _, t := range r.targets() {
		w("- %s %s: %s\n", t.mark(), t.what, t.detail)
	}
	w("\n")
	if r.why != "" {
		w("### Why targets are missed\n\n%s\n\n", strings.TrimSpace(r.why))
	}

	w("## Codecs\n\n")
	w("The three shapes of `tests/bench/shapes.go` (`tests/bench/idl/shapes.thrift`): small (scalars and a string), ")
	w("medium (an order of 10 items, each with a list, a map and a nested struct; the end-to-end payload), ")
	w("large (500 items). Sizes are the bytes on the wire. Encoders write into a reused buffer, decoders read into a fresh value. ")
	w("dubbo-go-hessian2 (`tests/dubbogo/bench`) reuses one Encoder (`ReuseBufferClean`, which keeps the buffer only up to 512 bytes) ")
	w("and one Decoder (`Reset`), and reads its own bytes; both libraries read each other's bytes as the same values ")
	w("(`TestDubboGoHessian2Bytes`, `TestGoldenBytes`). × columns divide ns/op by the named row's (below 1 is faster): × Thrift round by round, the median of those ratios, × dubbo-go-hessian2 the medians.\n\n")
	for _, op := range []string{"Encode", "Decode"} {
		w("### %s\n\n", op)
		w("| shape | codec | ns/op | B/op | allocs/op | wire bytes | × Thrift | × dubbo-go-hessian2 |\n")
		w("|---|---|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range shapes {
			dg, dgok := r.codec(op+"/"+s+"/dubbogo-hessian2", "ns/op")
			for _, c := range codecs {
				name := op + "/" + s + "/" + c
				ns, ok := r.codec(name, "ns/op")
				if !ok {
					w("| %s | %s | not run | | | | | |\n", s, codecDoc[c])
					continue
				}
				bop, _ := r.codec(name, "B/op")
				al, _ := r.codec(name, "allocs/op")
				wb, _ := r.codec(name, "wire-bytes")
				thx := "" // round by round, as the targets take it
				if q, ok := r.codecRatio(name, op+"/"+s+"/thrift"); ok && c != "thrift" {
					thx = times(q)
				}
				w("| %s | %s | %s%s | %s | %s | %s | %s | %s |\n", s, codecDoc[c], num(ns), r.codecSpread(name), count(bop), count(al), count(wb),
					thx, ratio(ns, dg, dgok && c != "dubbogo-hessian2"))
			}
			if op == "Decode" {
				if al, ok := r.codec("Hold/"+s, "allocs/op"); ok {
					bop, _ := r.codec("Hold/"+s, "B/op")
					w("| %s | *what the result holds* (`BenchmarkHold`: the value copied by hand) | | %s | %s | | | |\n", s, count(bop), count(al))
				}
			}
		}
		w("\n")
	}
	if pkg := r.files["pkg"]; len(pkg) > 0 {
		w("### pkg/... micro-benchmarks\n\n| benchmark | ns/op | B/op | allocs/op | MB/s |\n|---|---:|---:|---:|---:|\n")
		names := make([]string, 0, len(pkg))
		for n := range pkg {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			ns, _ := pkg.get(n, "ns/op")
			bop, _ := pkg.get(n, "B/op")
			al, _ := pkg.get(n, "allocs/op")
			mb, _ := pkg.get(n, "MB/s")
			w("| `%s` | %s | %s | %s | %s |\n", n, num(ns), count(bop), count(al), num(mb))
		}
		w("\n")
	}

	w("## End to end\n\n")
	w("A client and a server in one process on loopback, the medium order echoed, at concurrency 1, 16 and 100 ")
	w("(`tests/bench` `BenchmarkE2E` for Kitex, `tests/dubbogo/bench` `BenchmarkE2E` for dubbo-go). ")
	w("× columns divide by Kitex Thrift's figure at the same concurrency: for the Kitex rows, slice by slice, the median of ")
	w("those ratios (so they need not equal the medians shown divided), for dubbo-go its median by Thrift's. CPU is the process's (client and server ")
	w("together, user + system) per call, for the Kitex rows: the two share 2 cores, so at concurrency 100 calls/s is ")
	w("about 2 cores over it.\n\n")
	w("| concurrency | stack | calls/s | p50 µs | p99 µs | CPU µs/call | calls/s × Thrift | p50 × Thrift | p99 × Thrift |\n")
	w("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range concs {
		_, tqok := r.e2e("E2E/thrift/"+c, "calls/s")
		for _, v := range variants {
			name := "E2E/" + v + "/" + c
			q, ok := r.e2e(name, "calls/s")
			if !ok {
				w("| %s | %s | not run | | | | | | |\n", c[1:], varDoc[v])
				continue
			}
			p50, _ := r.e2e(name, "p50-us")
			p99, _ := r.e2e(name, "p99-us")
			cpu := "–"
			if us, ok := r.e2e(name, "cpu-us/call"); ok {
				cpu = num(us)
			}
			x := func(unit string) string {
				if q, ok := r.e2eRatio(name, "E2E/thrift/"+c, unit); ok && tqok && v != "thrift" {
					return times(q)
				}
				return ""
			}
			w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c[1:], varDoc[v], num(q), num(p50), num(p99), cpu,
				x("calls/s"), x("p50-us"), x("p99-us"))
		}
	}
	w("\n")

	w("## With Dubbo-Java 3.3.6\n\n")
	w("Each peer a process of its own on the IPv6 loopback, the medium order echoed (`tests/bench` `BenchmarkJava`). ")
	w("The Dubbo-Java consumer is `org.kitexdubbo.bench.LoadGen` (N threads for a fixed time, after a warm-up of its own ")
	w("and its provider's JVM), the Java provider `org.kitexdubbo.bench.BenchProvider` (Dubbo's defaults), the Kitex server ")
	w("`tests/bench/cmd/benchserver` (the server factory), the Kitex client runs in the benchmark's process. CPU is user + system ")
	w("time of the whole process (every thread: GC, JIT, I/O) from `/proc/<pid>/stat` before and after, over the calls made. ")
	w("The three rows of a concurrency take turns in rounds (`-java.rounds`, the order reversed each round), each measuring a share of the time, ")
	w("and each figure sums its rounds: calls/s over their whole time, CPU per call over all their calls, p50 and p99 the rounds' mean weighted by calls.\n\n")
	w("| concurrency | peers | calls/s | p50 µs | p99 µs | client CPU µs/call | server CPU µs/call |\n")
	w("|---|---|---:|---:|---:|---:|---:|\n")
	java := r.files["java"]
	for _, c := range concs {
		for _, row := range javaRows {
			name := "Java/" + row + "/" + c
			q, ok := java.get(name, "calls/s")
			if !ok {
				w("| %s | %s | not run | | | | |\n", c[1:], javaDoc[row])
				continue
			}
			p50, _ := java.get(name, "p50-us")
			p99, _ := java.get(name, "p99-us")
			cc, _ := java.get(name, "client-cpu-us/call")
			sc, _ := java.get(name, "server-cpu-us/call")
			w("| %s | %s | %s | %s | %s | %s | %s |\n", c[1:], javaDoc[row], num(q), num(p50), num(p99), num(cc), num(sc))
		}
	}
	w("\n")

	if len(r.steps) > 0 {
		w("## Steps\n\n| step | result | seconds |\n|---|---|---:|\n")
		total := 0
		for _, s := range r.steps {
			res := "ok"
			if s.rc != 0 {
				res = fmt.Sprintf("**failed** (exit %d; its log is in `.cache/bench/%s.log`)", s.rc, s.name)
			}
			w("| %s | %s | %d |\n", s.name, res, s.seconds)
			total += s.seconds
		}
		w("| total | | %d |\n\n", total)
	}

	w("## Rerun\n\n```sh\nmake bench                      # everything above, then this file and the README's Speed block\n")
	w("BENCH_COUNT=5 make bench        # more runs per benchmark (default 3)\n")
	w("BENCH_JAVA_WARM=30s BENCH_JAVA_TIME=10s make bench   # the Java rows' warm-up and measuring time\n")
	w("go test -run '^$' -bench . -benchmem ./tests/bench                      # one part by hand\n")
	w("(cd tests/dubbogo && go test -run '^$' -bench . -benchmem ./bench)\n")
	w("go test -run '^$' -bench Java -benchtime 1x ./tests/bench -args -java.warm 30s -java.time 10s\n```\n\n")
	w("Raw outputs stay in `.cache/bench/` (`*.bench`, `*.log`); `benchstat` reads the `.bench` files.\n")
	return b.String()
}

func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.Abs(v) >= 100:
		return commas(fmt.Sprintf("%.0f", v))
	case math.Abs(v) >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// count is a whole number: bytes, allocations.
func count(v float64) string { return commas(fmt.Sprintf("%.0f", v)) }

func commas(s string) string {
	if len(s) <= 4 {
		return s
	}
	var b bytes.Buffer
	pre := len(s) % 3
	b.WriteString(s[:pre])
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func ratio(v, base float64, show bool) string {
	if !show || base == 0 {
		return ""
	}
	return times(v / base)
}

// times is a ratio with two significant digits below 0.1.
func times(x float64) string {
	if x < 0.1 {
		return fmt.Sprintf("%.2gx", x)
	}
	return fmt.Sprintf("%.2fx", x)
}

// A target of DESIGN.md section 5 and how this run did.
type target struct {
	what   string
	short  string // for the README's one line
	state  int    // 1 met, -1 missed, 0 not measured
	detail string
}

func (t target) mark() string {
	switch t.state {
	case 1:
		return "✅ met —"
	case -1:
		return "❌ missed —"
	}
	return "➖ not measured —"
}

// atMost checks got <= limit (ratios with unit "x", or counts).
func atMost(what string, got, limit float64, ok bool, unit string) target {
	if !ok {
		return target{what: what}
	}
	t := target{what: what, state: 1}
	switch {
	case got == 0 && limit == 0:
		t.detail = "0" + unit
	case got == limit:
		t.detail = fmt.Sprintf("%s%s, exactly the limit", trim(got), unit)
	case got < limit:
		t.detail = fmt.Sprintf("%s%s against at most %s%s: %s%s to spare", trim(got), unit, trim(limit), unit, trim(limit-got), unit)
	default:
		t.state = -1
		t.detail = fmt.Sprintf("%s%s against at most %s%s: over by %s%s", trim(got), unit, trim(limit), unit, trim(got-limit), unit)
	}
	return t
}

// atLeast checks got >= floor.
func atLeast(what string, got, floor float64, ok bool, unit string) target {
	if !ok {
		return target{what: what}
	}
	t := target{what: what, state: 1}
	if got >= floor {
		t.detail = fmt.Sprintf("%s%s against at least %s%s: %s%s to spare", trim(got), unit, trim(floor), unit, trim(got-floor), unit)
	} else {
		t.state = -1
		t.detail = fmt.Sprintf("%s%s against at least %s%s: short by %s%s", trim(got), unit, trim(floor), unit, trim(floor-got), unit)
	}
	return t
}

func trim(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e6 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// codecRatio divides a's ns/op by b's, as ratioOf does.
func (r *run) codecRatio(a, b string) (float64, bool) {
	return r.ratioOf("codec", r.codec, a, b, "ns/op")
}

// ratioOf divides a's figure by b's. Rows measured in the same rounds or
// slices of file (tests/bench's) are divided pair by pair, and the median
// of those ratios taken; others (dubbo-go's) by their medians, get's.
func (r *run) ratioOf(file string, get func(name, unit string) (float64, bool), a, b, unit string) (float64, bool) {
	if q, ok := r.files[file].pairedRatio(a, b, unit); ok {
		return q, true
	}
	x, ok1 := get(a, unit)
	y, ok2 := get(b, unit)
	return x / y, ok1 && ok2 && y > 0
}

// e2eRatio divides a's figure by b's. Rows measured in the same slices (the
// Kitex ones) are divided slice by slice, and the median of those ratios
// taken: the two slices of a pair ran back to back, while this machine's
// speed drifts over the minutes between rounds.
func (r *run) e2eRatio(a, b, unit string) (float64, bool) {
	return r.ratioOf("e2e", r.e2e, a, b, unit)
}

func (r *run) targets() []target {
	var ts []target
	add := func(short string, t target) {
		t.short = short
		ts = append(ts, t)
	}
	for _, op := range []string{"Encode", "Decode"} {
		v, ok := r.codecRatio(op+"/medium/generated", op+"/medium/thrift")
		lop := strings.ToLower(op)
		add("generated "+lop+" vs Thrift", atMost(fmt.Sprintf("generated %s, medium, ≤ 1.5x Kitex Thrift's ns/op", lop), v, 1.5, ok, "x"))
	}
	for _, s := range shapes {
		v, ok := r.codec("Encode/"+s+"/generated", "allocs/op")
		add("encode allocs, "+s, atMost("generated encode, "+s+", 0 allocs into a reused buffer", v, 0, ok, " allocs/op"))
	}
	for _, s := range shapes {
		v, ok := r.codec("Decode/"+s+"/generated", "allocs/op")
		hold, hok := r.codec("Hold/"+s, "allocs/op")
		add("decode allocs, "+s, atMost("generated decode, "+s+", allocates no more than the result holds (`BenchmarkHold`)", v, hold, ok && hok, " allocs/op"))
	}
	v, ok := r.codecRatio("Encode/medium/reflect", "Encode/medium/thrift")
	add("reflective encode", atMost("reflective encode, medium, ≤ 5x Kitex Thrift", v, 5, ok, "x"))
	v, ok = r.codecRatio("Decode/medium/reflect", "Decode/medium/thrift")
	add("reflective decode", atMost("reflective decode, medium, ≤ 3x Kitex Thrift", v, 3, ok, "x"))
	for _, vr := range []string{"dubbo-codec", "dubbo-factory"} {
		v, ok := r.e2eRatio("E2E/"+vr+"/c100", "E2E/thrift/c100", "calls/s")
		add(vr+" c100 calls/s", atLeast(fmt.Sprintf("end to end, %s, c100 calls/s ≥ 0.8x Kitex Thrift", vr), v, 0.8, ok, "x"))
		v, ok = r.e2eRatio("E2E/"+vr+"/c100", "E2E/thrift/c100", "p99-us")
		add(vr+" c100 p99", atMost(fmt.Sprintf("end to end, %s, c100 p99 ≤ 1.5x Kitex Thrift", vr), v, 1.5, ok, "x"))
		v, ok = r.e2eRatio("E2E/"+vr+"/c1", "E2E/thrift/c1", "p50-us")
		add(vr+" c1 p50", atMost(fmt.Sprintf("end to end, %s, c1 p50 ≤ 1.3x Kitex Thrift", vr), v, 1.3, ok, "x"))
	}
	for _, vr := range []string{"dubbo-codec", "dubbo-factory"} {
		for _, c := range concs {
			v, ok := r.e2eRatio("E2E/"+vr+"/"+c, "E2E/dubbogo/"+c, "calls/s")
			t := atLeast(fmt.Sprintf("end to end, %s ahead of dubbo-go v3 at %s (calls/s ratio above 1)", vr, c), v, 1, ok, "x")
			if ok && v == 1 {
				t.state = -1
			}
			add(vr+" vs dubbo-go "+c, t)
		}
	}
	java := r.files["java"]
	for _, c := range concs {
		kq, ok1 := java.get("Java/java-consumer/kitex-server/"+c, "calls/s")
		jq, ok2 := java.get("Java/java-consumer/java-provider/"+c, "calls/s")
		ks, _ := java.get("Java/java-consumer/kitex-server/"+c, "server-cpu-us/call")
		js, _ := java.get("Java/java-consumer/java-provider/"+c, "server-cpu-us/call")
		t := target{what: fmt.Sprintf("a Dubbo-Java consumer gets more calls/s from a Kitex server than from a Dubbo-Java provider, at less server CPU per call, at %s", c)}
		if ok1 && ok2 && jq > 0 && js > 0 {
			t.state = -1
			if kq > jq && ks < js {
				t.state = 1
			}
			t.detail = fmt.Sprintf("%.2fx the calls/s (%s against %s), %.2fx the server CPU per call (%s against %s µs)", kq/jq, num(kq), num(jq), ks/js, num(ks), num(js))
		}
		add("Kitex server for a Java consumer "+c, t)
	}
	for _, c := range concs {
		kc, ok1 := java.get("Java/kitex-client/java-provider/"+c, "client-cpu-us/call")
		jc, ok2 := java.get("Java/java-consumer/java-provider/"+c, "client-cpu-us/call")
		t := target{what: fmt.Sprintf("a Kitex client spends less CPU per call than a Dubbo-Java consumer (same Java provider) at %s", c)}
		if ok1 && ok2 && jc > 0 {
			t.state = -1
			if kc < jc {
				t.state = 1
			}
			t.detail = fmt.Sprintf("%.2fx (%s against %s µs)", kc/jc, num(kc), num(jc))
		}
		add("Kitex client CPU "+c, t)
	}
	return ts
}

// headline is the README's Speed block.
func (r *run) headline() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	date := ""
	for _, kv := range r.machine {
		if kv[0] == "date" {
			date = kv[1]
		}
	}
	w("From `make bench` on %s (%s); every figure, the machine and the targets' checklist are in [BENCHMARKS.md](BENCHMARKS.md).", date, r.machineLine())
	if busy, _ := r.busy(); busy {
		w(" The machine was busy then: these figures are noisy.")
	}
	w("\n\n")
	x := func(v float64, ok bool) string {
		if !ok {
			return "not run"
		}
		return times(v)
	}
	for _, op := range []string{"Encode", "Decode"} {
		th, ok1 := r.codecRatio(op+"/medium/generated", op+"/medium/thrift")
		dg, ok2 := r.codecRatio(op+"/medium/generated", op+"/medium/dubbogo-hessian2")
		rf, ok3 := r.codecRatio(op+"/medium/reflect", op+"/medium/thrift")
		w("- %s, the medium order: generated code takes %s Kitex Thrift's time and %s dubbo-go-hessian2's; reflection %s Thrift's.\n",
			op, x(th, ok1), x(dg, ok2), x(rf, ok3))
	}
	fq, ok1 := r.e2eRatio("E2E/dubbo-factory/c100", "E2E/thrift/c100", "calls/s")
	cq, ok2 := r.e2eRatio("E2E/dubbo-codec/c100", "E2E/thrift/c100", "calls/s")
	gq, ok3 := r.e2eRatio("E2E/dubbo-factory/c100", "E2E/dubbogo/c100", "calls/s")
	w("- End to end at concurrency 100: the server factory %s Kitex Thrift's calls/s, `server.WithCodec` %s; the factory %s dubbo-go v3's.\n",
		x(fq, ok1), x(cq, ok2), x(gq, ok3))
	java := r.files["java"]
	kq, okA := java.get("Java/java-consumer/kitex-server/c100", "calls/s")
	jq, okB := java.get("Java/java-consumer/java-provider/c100", "calls/s")
	ks, _ := java.get("Java/java-consumer/kitex-server/c100", "server-cpu-us/call")
	js, _ := java.get("Java/java-consumer/java-provider/c100", "server-cpu-us/call")
	kc, okC := java.get("Java/kitex-client/java-provider/c100", "client-cpu-us/call")
	jc, okD := java.get("Java/java-consumer/java-provider/c100", "client-cpu-us/call")
	w("- A Dubbo-Java consumer at 100 threads: a Kitex server gives it %s the calls/s of a Dubbo-Java provider at %s the server CPU per call; a Kitex client spends %s the CPU per call of the Dubbo-Java consumer.\n",
		x(kq/jq, okA && okB && jq > 0), x(ks/js, okA && okB && js > 0), x(kc/jc, okC && okD && jc > 0))
	met, missed := 0, 0
	for _, t := range r.targets() {
		switch t.state {
		case 1:
			met++
		case -1:
			missed++
		}
	}
	w("- Targets (DESIGN.md section 5): %d met, %d missed", met, missed)
	if missed > 0 {
		var names []string
		for _, t := range r.targets() {
			if t.state == -1 {
				names = append(names, t.short)
			}
		}
		w(" (%s)", strings.Join(names, "; "))
	}
	w(".\n\n")
	w("```sh\nmake bench   # ~10 minutes: the codecs, end to end, dubbo-go, the Dubbo-Java rows; rewrites BENCHMARKS.md and this block\n```\n")
	return b.String()
}

func (r *run) machineValue(key string) string {
	for _, kv := range r.machine {
		if kv[0] == key {
			return kv[1]
		}
	}
	return ""
}

// busy reports a one-minute load average at the start above half the cores.
func (r *run) busy() (bool, string) {
	load := r.machineValue("load average at start")
	cores, err := strconv.ParseFloat(r.machineValue("nproc"), 64)
	f := strings.Fields(load)
	if err != nil || len(f) == 0 {
		return false, load
	}
	one, err := strconv.ParseFloat(f[0], 64)
	return err == nil && one > cores/2, load
}

func (r *run) machineLine() string {
	var parts []string
	for _, kv := range r.machine {
		switch kv[0] {
		case "nproc":
			parts = append(parts, kv[1]+" cores")
		case "cpu":
			parts = append(parts, kv[1])
		case "load average at start":
			parts = append(parts, "load "+kv[1])
		}
	}
	return strings.Join(parts, ", ")
}

const (
	begin = "<!-- bench:begin -->"
	end   = "<!-- bench:end -->"
)

func rewriteBlock(path, block string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s ... %s block", path, begin, end)
	}
	s = s[:i+len(begin)] + "\n" + block + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
