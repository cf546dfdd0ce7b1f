package bench

// End to end: a Kitex client and server in one process on loopback, the
// medium order echoed, at concurrency 1, 16 and 100, over Kitex's own Thrift
// (the ceiling) and over Dubbo with this codec, served by server.WithCodec
// and by the server factory (what Dubbo-Java consumers need). Each reports
// calls/s and the p50 and p99 latency.

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/connpool"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	h "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes"
	hsvc "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes/benchservice"
	t "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/thriftshapes"
	tsvc "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/thriftshapes/benchservice"
)

type echo struct{}

func (echo) EchoSmall(_ context.Context, v *h.Small) (*h.Small, error) { return v, nil }
func (echo) EchoOrder(_ context.Context, v *h.Order) (*h.Order, error) { return v, nil }
func (echo) EchoBatch(_ context.Context, v *h.Batch) (*h.Batch, error) { return v, nil }

type thriftEcho struct{}

func (thriftEcho) EchoSmall(_ context.Context, v *t.Small) (*t.Small, error) { return v, nil }
func (thriftEcho) EchoOrder(_ context.Context, v *t.Order) (*t.Order, error) { return v, nil }
func (thriftEcho) EchoBatch(_ context.Context, v *t.Batch) (*t.Batch, error) { return v, nil }

func init() { klog.SetLevel(klog.LevelFatal) }

// cpuTime is the CPU this process has used, client and server together.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serve runs s on a loopback listener until the benchmark ends.
func serve(b *testing.B, newServer func(ln net.Listener) server.Server) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := newServer(ln)
	go s.Run()
	b.Cleanup(func() { s.Stop() })
	for range 200 {
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			c.Close()
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	return ln.Addr().String()
}

// e2eSlices is how many slices each end-to-end row is measured in
// (BENCH_E2E_SLICES, 3 unless set).
func e2eSlices() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_E2E_SLICES")); err == nil && n > 0 {
		return n
	}
	return 3
}

// pool keeps a connection per caller: with Kitex's default of 10 idle per
// address, a slice at concurrency 100 would begin by dialing 90 of them,
// the previous slice having closed them as it ended.
var pool = client.WithLongConnection(connpool.IdleConfig{MaxIdlePerAddress: 100, MaxIdleGlobal: 1000, MaxIdleTimeout: time.Minute})

func BenchmarkE2E(b *testing.B) {
	order, thriftOrder := Order(), ThriftOrder()
	variants := []struct {
		name string
		call func(b *testing.B) func(context.Context) error
	}{
		{"thrift", func(b *testing.B) func(context.Context) error {
			addr := serve(b, func(ln net.Listener) server.Server {
				return tsvc.NewServer(&thriftEcho{}, server.WithListener(ln))
			})
			c := tsvc.MustNewClient("bench", client.WithHostPorts(addr), pool)
			return func(ctx context.Context) error { _, err := c.EchoOrder(ctx, thriftOrder); return err }
		}},
		{"dubbo-codec", func(b *testing.B) func(context.Context) error {
			addr := serve(b, func(ln net.Listener) server.Server {
				return hsvc.NewServer(&echo{}, server.WithListener(ln), server.WithCodec(dubbo.NewDubboCodec()))
			})
			c := hsvc.MustNewClient("bench", client.WithHostPorts(addr), pool, client.WithCodec(dubbo.NewDubboCodec()))
			return func(ctx context.Context) error { _, err := c.EchoOrder(ctx, order); return err }
		}},
		{"dubbo-factory", func(b *testing.B) func(context.Context) error {
			addr := serve(b, func(ln net.Listener) server.Server {
				return hsvc.NewServer(&echo{}, server.WithListener(ln),
					server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(dubbo.NewDubboCodec())))
			})
			c := hsvc.MustNewClient("bench", client.WithHostPorts(addr), pool, client.WithCodec(dubbo.NewDubboCodec()))
			return func(ctx context.Context) error { _, err := c.EchoOrder(ctx, order); return err }
		}},
	}
	// This 2-core VM's speed drifts by up to 1.5x within minutes, more than
	// the margins of the targets, so the stacks a ratio compares take turns
	// in short slices: each row is measured in e2eSlices sub-benchmarks of
	// the same name (Go numbers them #01, #02, ...), one stack after
	// another, and benchreport divides each slice by the other stack's
	// next to it. Each slice starts with another stack, and scripts/bench.sh
	// numbers its rounds in BENCH_ROUND so that none always runs first.
	// The servers and clients live for the whole benchmark.
	if r, err := strconv.Atoi(os.Getenv("BENCH_ROUND")); err == nil {
		r %= len(variants)
		variants = slices.Concat(variants[r:], variants[:r])
	}
	calls := make([]func(context.Context) error, len(variants))
	for i, v := range variants {
		calls[i] = v.call(b)
	}
	for _, conc := range []int{1, 16, 100} {
		for s := range e2eSlices() {
			for k := range variants {
				i := (k + s) % len(variants)
				b.Run(fmt.Sprintf("%s/c%d", variants[i].name, conc), func(b *testing.B) {
					call := calls[i]
					runtime.GC()    // none of the last slice's garbage left to collect in this one
					for range 200 { // warm the connections and the caches
						if err := call(context.Background()); err != nil {
							b.Fatal(err)
						}
					}
					lat := make([]time.Duration, b.N)
					cpu0 := cpuTime()
					var next atomic.Int64
					var failed atomic.Int64
					var wg sync.WaitGroup
					b.ResetTimer()
					start := time.Now()
					for range conc {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for {
								i := next.Add(1) - 1
								if i >= int64(b.N) {
									return
								}
								t0 := time.Now()
								if err := call(context.Background()); err != nil {
									failed.Add(1)
								}
								lat[i] = time.Since(t0)
							}
						}()
					}
					wg.Wait()
					elapsed := time.Since(start)
					cpu := cpuTime() - cpu0
					b.StopTimer()
					if failed.Load() > 0 {
						b.Fatalf("%d calls failed", failed.Load())
					}
					slices.Sort(lat)
					b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-us")
					b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-us")
					b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/call")
					b.ReportMetric(cpu.Seconds()/elapsed.Seconds(), "cores")
				})
			}
		}
	}
}
