package tests

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// startServer runs the Go InteropService on a free loopback port until the test ends.
func startServer(t *testing.T, opts ...server.Option) string {
	t.Helper()
	return startServerOn(t, "127.0.0.1", opts...)
}

// startServerOn is startServer on a given loopback host.
func startServerOn(t *testing.T, host string, opts ...server.Option) string {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close()
	svr := interopservice.NewServer(&Handler{}, append(opts, server.WithServiceAddr(addr), server.WithExitWaitTime(time.Millisecond))...)
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	t.Cleanup(func() {
		svr.Stop()
		<-done
	})
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr.String(), time.Second)
		if err == nil {
			c.Close()
			return addr.String()
		}
		if i == 200 {
			t.Fatalf("server on %s did not start: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startDubboServer is startServer as Dubbo consumers are to be served: the
// server factory, which serves each call on a shared connection on its own.
func startDubboServer(t *testing.T, host string, opts ...dubbo.Option) string {
	t.Helper()
	return startServerOn(t, host, server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(
		dubbo.NewDubboCodec(append([]dubbo.Option{dubbo.WithJavaClassName(JavaInterface)}, opts...)...))))
}

func newClient(t testing.TB, addr string, opts ...dubbo.Option) interopservice.Client {
	t.Helper()
	c, err := interopservice.NewClient("interop", client.WithHostPorts(addr),
		client.WithCodec(dubbo.NewDubboCodec(append([]dubbo.Option{dubbo.WithJavaClassName(JavaInterface)}, opts...)...)),
		client.WithRPCTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runCases runs every case through c as a subtest; with a non-empty column
// the outcomes also go into the interop matrix. A case in known fails as
// the peer's documented limitation, not the test's.
func runCases(t *testing.T, column string, c interopservice.Client, known ...map[string]string) {
	cases := Cases()
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			err := tc.Run(context.Background(), c)
			if column != "" {
				err = record(column, tc.Name, err, known...)
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Every case through generated code, Kitex client to Kitex server, both with the codec.
func TestLoopback(t *testing.T) {
	addr := startServer(t, server.WithCodec(dubbo.NewDubboCodec(dubbo.WithJavaClassName(JavaInterface))))
	runCases(t, "", newClient(t, addr))
}

// The same through the server that detects Dubbo among Kitex's own protocols.
func TestLoopbackDetection(t *testing.T) {
	runCases(t, "", newClient(t, startDubboServer(t, "127.0.0.1")))
}
