package bench

// BenchmarkE2E/dubbogo/c{1,16,100}: dubbo-go v3.3.0's own Dubbo client and
// server (dubbo protocol, Hessian2 by dubbo-go-hessian2, getty over TCP) in
// one process on loopback, the medium order echoed, measured as tests/bench's
// BenchmarkE2E measures Kitex: calls/s, p50 and p99 latency.

import (
	"context"
	"fmt"
	"net"
	"os"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dubbo.apache.org/dubbo-go/v3"
	"dubbo.apache.org/dubbo-go/v3/client"
	"dubbo.apache.org/dubbo-go/v3/common"
	"dubbo.apache.org/dubbo-go/v3/common/constant"
	"dubbo.apache.org/dubbo-go/v3/graceful_shutdown"
	_ "dubbo.apache.org/dubbo-go/v3/imports"
	dglogger "dubbo.apache.org/dubbo-go/v3/logger"
	"dubbo.apache.org/dubbo-go/v3/protocol"
	dubboprotocol "dubbo.apache.org/dubbo-go/v3/protocol/dubbo"
	"dubbo.apache.org/dubbo-go/v3/server"

	"github.com/kitexdubbo/kitexdubbo/tests/dubbogo/interop"
)

// BenchService is org.kitexdubbo.bench.BenchService, echoing. dubbo-go
// exports EchoOrder also as echoOrder, the Java name.
type BenchService struct{}

func (*BenchService) EchoSmall(_ context.Context, v *Small) (*Small, error) { return v, nil }
func (*BenchService) EchoOrder(_ context.Context, v *Order) (*Order, error) { return v, nil }
func (*BenchService) EchoBatch(_ context.Context, v *Batch) (*Batch, error) { return v, nil }

// dubbo-go keeps its protocol, exporters and clients in globals, so one
// server and one client serve every benchmark of the process; TestMain
// destroys them.
var (
	peerOnce sync.Once
	peerConn *client.Connection
	peerErr  error
	peerUp   atomic.Bool
)

func TestMain(m *testing.M) {
	code := m.Run()
	if peerUp.Load() {
		dubboprotocol.GetProtocol().Destroy()
	}
	os.Exit(code)
}

// peer starts the server on a free loopback port and dials it.
func peer(b *testing.B) *client.Connection {
	peerOnce.Do(func() { peerConn, peerErr = startPeer() })
	if peerErr != nil {
		b.Fatal(peerErr)
	}
	return peerConn
}

func startPeer() (*client.Connection, error) {
	// dubbo-go does not report the port it bound, so pick one first.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ins, err := dubbo.NewInstance(
		dubbo.WithName("kitexdubbo-bench"),
		dubbo.WithRemoteMetadata(), // no MetadataService export (see provider/main.go)
		dubbo.WithLogger(dglogger.WithLevel("error")),
		dubbo.WithShutdown(graceful_shutdown.WithoutInternalSignal()),
		dubbo.WithProtocol(
			protocol.WithDubbo(),
			protocol.WithIp("127.0.0.1"),
			protocol.WithPort(port),
			// The large shape is past getty's default 100 KiB limit in neither
			// library, but the peers' setting is kept: Dubbo-Java's 8 MiB.
			protocol.WithParams(map[string]interface{}{
				"getty-session-param": map[string]interface{}{"max-msg-len": 8 << 20},
			}),
		),
	)
	if err != nil {
		return nil, err
	}
	interop.QuietLogs()
	srv, err := ins.NewServer()
	if err != nil {
		return nil, err
	}
	info := &common.ServiceInfo{InterfaceName: JavaInterface}
	if err := srv.Register(&BenchService{}, info, server.WithInterface(JavaInterface), server.WithNotRegister()); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve() }() // exports, then blocks
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-done:
			return nil, fmt.Errorf("serve: %v", err)
		default:
		}
		if i == 500 {
			return nil, fmt.Errorf("%s never accepted a connection: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	peerUp.Store(true)
	cli, err := ins.NewClient(
		client.WithClientURL("dubbo://"+addr),
		client.WithClientProtocolDubbo(),
		client.WithClientSerialization(constant.Hessian2Serialization),
		client.WithClientClusterFailFast(),
		client.WithClientRequestTimeout(10*time.Second),
	)
	if err != nil {
		return nil, err
	}
	return cli.Dial(JavaInterface)
}

func BenchmarkE2E(b *testing.B) {
	order := NewOrder()
	call := func(ctx context.Context) error {
		var got *Order
		return peer(b).CallUnary(ctx, []interface{}{order}, &got, "echoOrder")
	}
	for _, conc := range []int{1, 16, 100} {
		b.Run(fmt.Sprintf("dubbogo/c%d", conc), func(b *testing.B) {
			conn := peer(b)
			var got *Order
			if err := conn.CallUnary(context.Background(), []interface{}{order}, &got, "echoOrder"); err != nil {
				b.Fatal(err)
			}
			if !reflect.DeepEqual(got, order) {
				b.Fatalf("the echo differs: %+v", got)
			}
			for range 200 { // warm the connection and the caches
				if err := call(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			measure(b, conc, call)
		})
	}
}

// measure makes b.N calls from conc goroutines and reports calls/s and the
// p50 and p99 latency, as tests/bench's BenchmarkE2E does.
func measure(b *testing.B, conc int, call func(context.Context) error) {
	lat := make([]time.Duration, b.N)
	var next, failed atomic.Int64
	var firstErr atomic.Value
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
					firstErr.CompareAndSwap(nil, err)
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d calls failed, the first: %v", failed.Load(), firstErr.Load())
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-us")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-us")
}
