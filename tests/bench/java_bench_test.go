package bench

// BenchmarkJava: the rows with Dubbo-Java 3.3.6, each peer a process of its
// own on the IPv6 loopback, the medium order echoed at concurrency 1, 16 and
// 100:
//
//	java-consumer/java-provider  org.kitexdubbo.bench.LoadGen -> BenchProvider
//	kitex-client/java-provider   a Kitex client (this process) -> BenchProvider
//	java-consumer/kitex-server   LoadGen -> cmd/benchserver (the server factory)
//
// Each reports calls/s, p50 and p99 latency, and the CPU (user + system, read
// from /proc/<pid>/stat before and after) the client and the server spent per
// call. A JVM needs 20-25 s on 2 cores to reach steady state, so each
// LoadGen first calls for -java.warm (which warms the provider too), then
// measures each concurrency for -java.time, split into -java.rounds turns
// with the other rows; the loop ignores b.N (run it with -benchtime 1x;
// ns/op is suppressed). Skipped without Java and Maven.
//
//	go test -run '^$' -bench Java -benchtime 1x ./tests/bench [-args -java.warm 30s -java.time 10s]

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	hsvc "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes/benchservice"
)

var (
	javaWarm   = flag.Duration("java.warm", 30*time.Second, "BenchmarkJava: how long each Dubbo-Java consumer calls before it measures")
	javaTime   = flag.Duration("java.time", 10*time.Second, "BenchmarkJava: how long each row measures, over all rounds")
	javaRounds = flag.Int("java.rounds", 2, "BenchmarkJava: the rounds each concurrency's rows take turns in")
)

func BenchmarkJava(b *testing.B) {
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("the Java rows need Java 17 and Maven: %v", err)
		}
	}
	env := &javaEnv{parent: b}
	rows := []struct {
		name string
		run  func(b *testing.B, conc int) javaResult
	}{
		{"java-consumer/java-provider", func(b *testing.B, conc int) javaResult {
			return env.loadgen(b, "java-provider", env.provider(b)).run(b, conc)
		}},
		{"kitex-client/java-provider", func(b *testing.B, conc int) javaResult {
			return env.kitexClient(b, conc)
		}},
		{"java-consumer/kitex-server", func(b *testing.B, conc int) javaResult {
			return env.loadgen(b, "kitex-server", env.kitexServer(b)).run(b, conc)
		}},
	}
	// Concurrency first, and in rounds: the rows a ratio compares run close
	// together, each round measuring every row for its share of -java.time
	// (the order reversed each round), so that this machine's drift in
	// speed, up to 1.5x within minutes, falls on all of them alike. Each
	// peer stays warm from its first row.
	for _, conc := range []int{1, 16, 100} {
		sums := make([]javaResult, len(rows))
		for round := range *javaRounds {
			for k := range rows {
				i := k
				if round%2 == 1 {
					i = len(rows) - 1 - k
				}
				sums[i].add(rows[i].run(b, conc))
			}
		}
		for i, r := range rows {
			res := sums[i].total()
			b.Run(fmt.Sprintf("%s/c%d", r.name, conc), func(b *testing.B) {
				if res.errors > 0 {
					b.Fatalf("%d of %d calls failed", res.errors, res.calls)
				}
				b.ReportMetric(0, "ns/op")
				b.ReportMetric(res.qps, "calls/s")
				b.ReportMetric(res.p50, "p50-us")
				b.ReportMetric(res.p99, "p99-us")
				b.ReportMetric(res.clientCPU, "client-cpu-us/call")
				b.ReportMetric(res.serverCPU, "server-cpu-us/call")
			})
		}
	}
}

// roundTime is each round's share of -java.time, in whole seconds (LoadGen's unit).
func roundTime() time.Duration {
	return max(time.Second, (*javaTime / time.Duration(max(1, *javaRounds))).Truncate(time.Second))
}

type javaResult struct {
	calls, errors        int64
	qps, p50, p99        float64
	clientCPU, serverCPU float64 // us per call
	seconds              float64 // the time measured, which add sums
}

// add sums a round into r: counts and time, and the other figures weighted
// by calls (a round's percentiles cannot be merged exactly without its
// latencies, so p50 and p99 are the rounds' calls-weighted mean).
func (r *javaResult) add(x javaResult) {
	r.calls += x.calls
	r.errors += x.errors
	if x.qps > 0 {
		r.seconds += float64(x.calls) / x.qps
	}
	n := float64(x.calls)
	r.p50 += x.p50 * n
	r.p99 += x.p99 * n
	r.clientCPU += x.clientCPU * n
	r.serverCPU += x.serverCPU * n
}

// total is the summed rounds as one result.
func (r javaResult) total() javaResult {
	if r.calls == 0 || r.seconds == 0 {
		return r
	}
	n := float64(r.calls)
	return javaResult{calls: r.calls, errors: r.errors, qps: n / r.seconds,
		p50: r.p50 / n, p99: r.p99 / n, clientCPU: r.clientCPU / n, serverCPU: r.serverCPU / n}
}

// javaEnv starts each peer once, when a row first needs it, and keeps it for
// the rows after (the JVMs stay warm); all stop when BenchmarkJava ends.
type javaEnv struct {
	parent    testing.TB
	prov, svr *testenv.Process
	svrStdin  io.Writer // a line makes benchserver print a STAT line
	gens      map[string]*loadgen
	warmed    map[int]bool // the servers (by pid) a LoadGen has warmed
}

// lasting is a sub-benchmark whose peers outlive it: what testenv registers
// to stop a process (and the log it prints after a failure) goes to the
// parent, the rest (Fatal, Helper) to the sub-benchmark.
type lasting struct {
	testing.TB
	parent testing.TB
}

func (l lasting) Cleanup(f func())                { l.parent.Cleanup(f) }
func (l lasting) Failed() bool                    { return l.parent.Failed() }
func (l lasting) Logf(format string, args ...any) { l.parent.Logf(format, args...) }

func (e *javaEnv) last(b *testing.B) testing.TB { return lasting{b, e.parent} }

// provider is org.kitexdubbo.bench.BenchProvider.
func (e *javaEnv) provider(b *testing.B) *testenv.Process {
	if e.prov == nil {
		port := testenv.FreePort(b, "::1")
		cmd := testenv.JavaCommand(e.last(b), "org.kitexdubbo.bench.BenchProvider", "-port", strconv.Itoa(port))
		e.prov = testenv.Start(e.last(b), "BenchProvider", cmd, 2*time.Minute)
	}
	return e.prov
}

// kitexServer is cmd/benchserver, the server factory.
func (e *javaEnv) kitexServer(b *testing.B) *testenv.Process {
	if e.svr == nil {
		bin := testenv.GoBuild(b, testenv.Root(b), "./tests/bench/cmd/benchserver", "benchserver")
		cmd := exec.Command(bin, "-listen", "[::1]:0", "-handler", "factory")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			b.Fatal(err)
		}
		e.svr, e.svrStdin = testenv.Start(e.last(b), "benchserver", cmd, time.Minute), stdin
	}
	return e.svr
}

type loadgen struct {
	p      *testenv.Process
	stdin  io.Writer
	server *testenv.Process
	stat   io.Writer // the server's STAT trigger, if it is benchserver
	runs   int
}

// loadgen is a LoadGen JVM calling server, warmed.
func (e *javaEnv) loadgen(b *testing.B, name string, server *testenv.Process) *loadgen {
	if g := e.gens[name]; g != nil {
		return g
	}
	cmd := testenv.JavaCommand(e.last(b), "org.kitexdubbo.bench.LoadGen",
		"-addr", fmt.Sprintf("[::1]:%d", server.Port), "-warm", strconv.Itoa(int(javaWarm.Seconds())))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	g := &loadgen{p: testenv.Start(e.last(b), "LoadGen->"+name, cmd, *javaWarm+2*time.Minute), stdin: stdin, server: server}
	if server == e.svr {
		g.stat = e.svrStdin
	}
	if e.gens == nil {
		e.gens, e.warmed = map[string]*loadgen{}, map[int]bool{}
	}
	e.gens[name] = g
	e.warmed[server.Pid()] = true
	return g
}

// run has the LoadGen call for -java.time from conc threads.
func (g *loadgen) run(b *testing.B, conc int) javaResult {
	if g.stat != nil {
		serverStat(b, g.server, g.stat) // a mark: the next one counts this run's calls
	}
	srv0 := procCPU(b, g.server.Pid())
	if _, err := fmt.Fprintf(g.stdin, "run %d %d\n", conc, int(roundTime().Seconds())); err != nil {
		b.Fatal(err)
	}
	g.runs++
	var line string
	for deadline := time.Now().Add(roundTime() + 2*time.Minute); line == ""; {
		lines := prefixed(g.p.Log(), "RESULT ")
		switch {
		case len(lines) >= g.runs:
			line = lines[g.runs-1]
		case g.p.Exited():
			b.Fatalf("LoadGen exited:\n%s", g.p.Log())
		case time.Now().After(deadline):
			b.Fatalf("LoadGen gave no result:\n%s", g.p.Log())
		default:
			time.Sleep(20 * time.Millisecond)
		}
	}
	srv := procCPU(b, g.server.Pid()) - srv0
	kv := map[string]float64{}
	for _, f := range strings.Fields(line)[1:] {
		k, v, _ := strings.Cut(f, "=")
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			b.Fatalf("LoadGen: %q", line)
		}
		kv[k] = n
	}
	b.Logf("LoadGen: %s", line)
	res := javaResult{calls: int64(kv["calls"]), errors: int64(kv["errors"]), qps: kv["qps"],
		p50: kv["p50_us"], p99: kv["p99_us"], clientCPU: kv["cpu_us_per_call"]}
	if res.calls > 0 {
		res.serverCPU = float64(srv.Microseconds()) / float64(res.calls)
	}
	if g.stat != nil {
		// benchserver's own count and CPU: every call LoadGen made, no other.
		line := serverStat(b, g.server, g.stat)
		b.Logf("benchserver: %s", line)
		if !strings.Contains(line, fmt.Sprintf(" calls=%d ", res.calls)) {
			b.Errorf("LoadGen made %d calls, benchserver served: %s", res.calls, line)
		}
	}
	return res
}

// serverStat has benchserver print a STAT line and returns it.
func serverStat(b *testing.B, p *testenv.Process, stdin io.Writer) string {
	n := len(prefixed(p.Log(), "STAT "))
	if _, err := io.WriteString(stdin, "\n"); err != nil {
		b.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if lines := prefixed(p.Log(), "STAT "); len(lines) > n {
			return lines[n]
		}
		if p.Exited() || time.Now().After(deadline) {
			b.Fatalf("benchserver printed no STAT line:\n%s", p.Log())
		}
	}
}

func prefixed(log, prefix string) []string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// kitexClient calls BenchProvider from conc goroutines of this process for
// -java.time, having warmed the provider first if no LoadGen did.
func (e *javaEnv) kitexClient(b *testing.B, conc int) javaResult {
	prov := e.provider(b)
	c := hsvc.MustNewClient("bench", client.WithHostPorts(net.JoinHostPort("::1", strconv.Itoa(prov.Port))),
		client.WithCodec(dubbo.NewDubboCodec()), client.WithRPCTimeout(10*time.Second))
	order := Order()
	call := func() error {
		out, err := c.EchoOrder(context.Background(), order)
		if err == nil && (len(out.Items) != len(order.Items) || out.Customer != order.Customer) {
			err = fmt.Errorf("the echo differs: %+v", out)
		}
		return err
	}
	warm := 2 * time.Second // the client's own connections and caches
	if e.warmed == nil {
		e.warmed = map[int]bool{}
	}
	if !e.warmed[prov.Pid()] {
		warm = *javaWarm
		e.warmed[prov.Pid()] = true
	}
	if r, _ := load(b, 16, warm, call); r.errors > 0 {
		b.Fatalf("warming: %d calls failed", r.errors)
	}
	r, cpu := load(b, conc, roundTime(), call, os.Getpid(), prov.Pid())
	if r.calls > 0 {
		r.clientCPU = float64(cpu[0].Microseconds()) / float64(r.calls)
		r.serverCPU = float64(cpu[1].Microseconds()) / float64(r.calls)
	}
	return r
}

// load calls from conc goroutines for d, and answers also the CPU each of
// pids spent meanwhile (the latencies are sorted after that is read).
func load(b *testing.B, conc int, d time.Duration, call func() error, pids ...int) (javaResult, []time.Duration) {
	lat := make([][]time.Duration, conc)
	var errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	cpu := make([]time.Duration, len(pids))
	for i, pid := range pids {
		cpu[i] = -procCPU(b, pid)
	}
	start := time.Now()
	end := start.Add(d)
	for i := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := make([]time.Duration, 0, 1<<14)
			for t0 := time.Now(); t0.Before(end); {
				if err := call(); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
				t1 := time.Now()
				l = append(l, t1.Sub(t0))
				t0 = t1
			}
			lat[i] = l
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	for i, pid := range pids {
		cpu[i] += procCPU(b, pid)
	}
	all := slices.Concat(lat...)
	if e := firstErr.Load(); e != nil {
		b.Logf("first error: %v", e)
	}
	r := javaResult{calls: int64(len(all)), errors: errs.Load(), qps: float64(len(all)) / elapsed.Seconds()}
	if len(all) > 0 {
		slices.Sort(all)
		r.p50 = float64(all[len(all)/2].Microseconds())
		r.p99 = float64(all[len(all)*99/100].Microseconds())
	}
	return r, cpu
}

func procCPU(b *testing.B, pid int) time.Duration {
	st, err := testenv.ReadProcStat(pid)
	if err != nil {
		b.Fatalf("pid %d: %v", pid, err)
	}
	return st.CPU
}
