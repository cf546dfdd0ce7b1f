// Command kitexpeer is the Kitex side of the cross-language suite as a
// program, speaking the same contract as the Java and dubbo-go peers: with
// -serve it serves InteropService on a loopback port and prints "READY
// <port>"; with -call it runs every case against an address and prints one
// line per case, then "N passed, M failed". With -registry it registers in,
// or finds its peer through, a ZooKeeper in Dubbo's format. Tests, the demo
// and the docker-compose services start it; it is also handy by hand
// against a provider you run yourself.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/tests"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

func main() {
	serve := flag.Bool("serve", false, "serve InteropService")
	listen := flag.String("listen", "127.0.0.1:0", "with -serve: the address to listen on (port 0 picks one)")
	call := flag.String("call", "", "run every case against this host:port")
	handler := flag.String("handler", "factory", "with -serve: the server's Dubbo handler: factory (dubbo.NewSvrTransHandlerFactory) or codec (server.WithCodec alone)")
	writeTimeout := flag.Duration("write-timeout", 0, "with -serve: dubbo.WithWriteTimeout (0: its default)")
	stats := flag.Bool("stats", false, "with -serve: also serve the process's goroutine count and heap over HTTP on a loopback port, printed as STATS <port>")
	reg := flag.String("registry", "", "zookeeper://host:port: with -serve, register there; without -serve or -call, run every case against the providers found there")
	mode := flag.String("mode", "", "with -registry: what to register (all, interface, instance; default all) or how to discover (interface, application, application_first; default application_first)")
	app := flag.String("app", "kitexdubbo-peer", "with -registry: the Dubbo application name")
	readyFile := flag.String("ready-file", "", "with -serve: a file to create once the server listens and, with -registry, is registered (for a container's health check)")
	flag.Parse()
	klog.SetLevel(klog.LevelFatal)
	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName(tests.JavaInterface), dubbo.WithWriteTimeout(*writeTimeout))
	peer := registryPeer{url: *reg, mode: *mode, app: *app, readyFile: *readyFile}
	switch {
	case *serve:
		if *stats {
			port, err := serveStats()
			if err != nil {
				fmt.Fprintln(os.Stderr, "kitexpeer:", err)
				os.Exit(1)
			}
			fmt.Printf("STATS %d\n", port)
		}
		if err := runServer(*listen, codec, *handler, peer); err != nil {
			fmt.Fprintln(os.Stderr, "kitexpeer:", err)
			os.Exit(1)
		}
	case *call != "" || *reg != "":
		c, err := newClient(*call, codec, peer)
		if err != nil {
			fmt.Fprintln(os.Stderr, "kitexpeer:", err)
			os.Exit(1)
		}
		if failed := runCases(c); failed > 0 {
			os.Exit(1)
		}
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func newClient(call string, codec *dubbo.DubboCodec, peer registryPeer) (interopservice.Client, error) {
	opts := []client.Option{client.WithCodec(codec), client.WithRPCTimeout(10 * time.Second)}
	if call != "" {
		return interopservice.NewClient("interop", append(opts, client.WithHostPorts(call))...)
	}
	res, err := peer.resolver(codec)
	if err != nil {
		return nil, err
	}
	c, err := interopservice.NewClient("interop", append(opts, client.WithResolver(res),
		client.WithClientBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: peer.app}))...)
	if err != nil {
		return nil, err
	}
	return c, waitForProvider(c)
}

func runServer(listen string, codec *dubbo.DubboCodec, handler string, peer registryPeer) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	opts := []server.Option{server.WithListener(ln), server.WithExitWaitTime(time.Millisecond)}
	if peer.url != "" {
		reg, err := peer.registry(codec)
		if err != nil {
			return err
		}
		opts = append(opts, server.WithRegistry(reg), server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: peer.app}))
	}
	h, err := tests.ServerHandler(handler, codec)
	if err != nil {
		return err
	}
	opts = append(opts, h)
	svr := interopservice.NewServer(&tests.Handler{}, opts...)
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	// ln is listening already: a caller's connection waits in its backlog
	// until Run accepts it.
	fmt.Printf("READY %d\n", ln.Addr().(*net.TCPAddr).Port)
	if peer.url == "" {
		if err := peer.ready(); err != nil {
			return err
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	select {
	case <-sig:
		return svr.Stop()
	case err := <-done:
		return err
	}
}

// serveStats answers GET / with "goroutines N heap B": what a soak or attack
// test watches from outside the server process.
func serveStats() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(w, "goroutines %d heap %d\n", runtime.NumGoroutine(), ms.HeapAlloc)
	}))
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func runCases(c interopservice.Client) (failed int) {
	cases := tests.Cases()
	for _, tc := range cases {
		if err := tc.Run(context.Background(), c); err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", tc.Name, err)
		} else {
			fmt.Printf("PASS %s\n", tc.Name)
		}
	}
	fmt.Printf("%d passed, %d failed\n", len(cases)-failed, failed)
	return failed
}
