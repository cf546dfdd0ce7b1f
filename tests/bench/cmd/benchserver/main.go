// Command benchserver serves tests/bench's BenchService (each shape echoed)
// over Dubbo with kitexdubbo, for the benchmarks' Java rows: a Dubbo-Java
// consumer (org.kitexdubbo.bench.LoadGen) calls it from another process.
//
//	benchserver [-listen [::1]:0] [-handler factory|codec]
//
// It prints "READY <port>" once it listens. Each line on its standard input
// makes it print what it spent since the previous line (or the start), from
// /proc/self/stat:
//
//	STAT calls=123456 cpu-us=7890123 cpu-us/call=63.91
//
// SIGTERM or an interrupt stops it, printing the same for its whole run.
//
// The default address is the IPv6 loopback because Dubbo-Java rewrites a
// 127.x provider address to the machine's own address before connecting.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/tests"
	h "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes"
	"github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes/benchservice"
)

type echo struct{ calls atomic.Int64 }

func (e *echo) EchoSmall(_ context.Context, v *h.Small) (*h.Small, error) {
	e.calls.Add(1)
	return v, nil
}

func (e *echo) EchoOrder(_ context.Context, v *h.Order) (*h.Order, error) {
	e.calls.Add(1)
	return v, nil
}

func (e *echo) EchoBatch(_ context.Context, v *h.Batch) (*h.Batch, error) {
	e.calls.Add(1)
	return v, nil
}

func main() {
	listen := flag.String("listen", "[::1]:0", "the address to listen on (port 0 picks one)")
	handler := flag.String("handler", "factory", "the Dubbo handler: factory (dubbo.NewSvrTransHandlerFactory, what Dubbo-Java consumers need) or codec (server.WithCodec)")
	flag.Parse()
	if err := run(*listen, *handler); err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
}

func run(listen, handler string) error {
	klog.SetLevel(klog.LevelFatal)
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	codec := dubbo.NewDubboCodec()
	opts := []server.Option{server.WithListener(ln), server.WithExitWaitTime(time.Millisecond)}
	h, err := tests.ServerHandler(handler, codec)
	if err != nil {
		return err
	}
	opts = append(opts, h)
	e := &echo{}
	svr := benchservice.NewServer(e, opts...)
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	addr := ln.Addr().String()
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if i == 500 {
			return fmt.Errorf("%s never accepted a connection: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Printf("READY %d\n", ln.Addr().(*net.TCPAddr).Port)

	start, err := mark(e)
	if err != nil {
		return err
	}
	go func() {
		last := start
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			now, err := mark(e)
			if err != nil {
				fmt.Fprintln(os.Stderr, "benchserver:", err)
				continue
			}
			fmt.Println(now.since(last))
			last = now
		}
	}()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	select {
	case <-sig:
		if end, err := mark(e); err == nil {
			fmt.Println(end.since(start))
		}
		return svr.Stop()
	case err := <-done:
		return err
	}
}

type point struct {
	calls int64
	cpu   time.Duration
}

func mark(e *echo) (point, error) {
	cpu, err := processCPU()
	return point{e.calls.Load(), cpu}, err
}

func (p point) since(q point) string {
	calls, cpu := p.calls-q.calls, p.cpu-q.cpu
	perCall := 0.0
	if calls > 0 {
		perCall = float64(cpu.Microseconds()) / float64(calls)
	}
	return fmt.Sprintf("STAT calls=%d cpu-us=%d cpu-us/call=%.2f", calls, cpu.Microseconds(), perCall)
}

// processCPU is this process's user plus system time from /proc/self/stat
// (fields 14 and 15, in USER_HZ: 1/100 s on Linux).
func processCPU() (time.Duration, error) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/self/stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/self/stat: %q", s)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}
