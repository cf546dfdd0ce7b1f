package tests

// The soak: many calls at concurrency 100 against a kitexpeer server process,
// once per Dubbo server handler, checking that none fails and that the
// server's memory and goroutines stay flat. It takes minutes at a million
// calls, so it is a benchmark, outside `make test`:
//
//	make soak   # go test -run '^$' -bench Soak -benchtime 1000000x ./tests

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop"
)

func BenchmarkSoak(b *testing.B) {
	for _, handler := range []string{"factory", "codec"} {
		b.Run(handler, func(b *testing.B) { soak(b, handler) })
	}
}

func soak(b *testing.B, handler string) {
	tg := startTarget(b, handler)
	c := newClient(b, tg.addr)
	in := &interop.Basic{Flag: true, B: 1, S: 2, I: 3, L: 4, D: 5.5, Str: strings.Repeat("s", 100), Bin: []byte("bin")}
	const workers = 100
	var next, failed atomic.Int64
	var firstErr atomic.Value
	type sample struct {
		calls      int64
		rss        int64
		goroutines int
	}
	var samples []sample
	var mu sync.Mutex
	take := func(calls int64) {
		st, err := testenv.ReadProcStat(tg.p.Pid())
		if err != nil {
			b.Fatalf("the server died: %v", err)
		}
		mu.Lock()
		samples = append(samples, sample{calls, st.RSS, tg.goroutines(b)})
		mu.Unlock()
	}
	n := int64(b.N)
	marks := map[int64]bool{n / 10: true, n / 2: true}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > n {
					return
				}
				if marks[i] {
					take(i)
				}
				out, err := c.EchoBasic(context.Background(), in)
				if err == nil && out.Str != in.Str {
					err = fmt.Errorf("echo %q", out.Str)
				}
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	take(n)
	b.ReportMetric(float64(n)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(failed.Load()), "errors")
	if len(samples) < 3 {
		return // the b.N=1 warm-up run
	}
	first, last := samples[0], samples[len(samples)-1]
	b.ReportMetric(float64(first.rss)/(1<<20), "rss-at-10%-MiB")
	b.ReportMetric(float64(last.rss)/(1<<20), "rss-at-end-MiB")
	b.ReportMetric(float64(first.goroutines), "goroutines-at-10%")
	b.ReportMetric(float64(last.goroutines), "goroutines-at-end")
	if failed.Load() > 0 {
		b.Errorf("%d of %d calls failed; the first: %v", failed.Load(), n, firstErr.Load())
	}
	if last.rss > first.rss*3/2+32<<20 {
		b.Errorf("server RSS grew from %s at 10%% to %s", size(first.rss), size(last.rss))
	}
	if last.goroutines > first.goroutines+100 {
		b.Errorf("server goroutines grew from %d at 10%% to %d", first.goroutines, last.goroutines)
	}
}
