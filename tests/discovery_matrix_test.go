package tests

// The discovery matrix: Kitex and Dubbo-Java finding each other through each
// registry, in every way Dubbo 3.3 registers and discovers, and the registry's
// providers coming and going. Each registry is a backend; each scenario a row.
// The suite prints the matrix after the tests; scripts/discovery-status.sh
// puts it into the README.

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/registry"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

var discoveryMatrix = &resultTable{env: "KITEXDUBBO_DISCOVERY_MATRIX", first: "scenario", results: map[[2]string]string{},
	legend: "✅ passed (with what was measured) · ❌ failed · – not run"}

// backend is one registry as the matrix drives it: the URL the Java peers
// are given, and Kitex registries and resolvers in Dubbo's format.
type backend struct {
	name     string
	javaURL  string
	register func(t *testing.T, addr string, codec *dubbo.DubboCodec, mode string) registry.Registry // mode: all, interface, instance
	resolve  func(t *testing.T, codec *dubbo.DubboCodec, mode string) discovery.Resolver             // mode: interface, application, application_first
	// outage starts what the row "outage" is about: it returns the address
	// a Kitex registry should use and a function that causes the outage and
	// returns once the registry is reachable again.
	outageName string
	outage     func(t *testing.T) (addr string, cause func(t *testing.T))
	addr       string        // the registry's own address, for register
	killWithin time.Duration // the documented bound for a killed provider to leave
	// outageNeedsNoRace: the outage cannot run under the race detector (a
	// client library's own race); make test runs it in its pass without.
	outageNeedsNoRace bool
}

// runDiscoveryMatrix runs every scenario against b.
func runDiscoveryMatrix(t *testing.T, b *backend) {
	cell := func(t *testing.T, scenario string, f func(t *testing.T) (note string, err error)) {
		t.Run(scenario, func(t *testing.T) {
			note, err := f(t)
			if err := discoveryMatrix.record(b.name, scenario, note, err); err != nil {
				t.Error(err)
			}
		})
	}
	// One Kitex provider, both levels registered, for the Java consumer.
	provider := startDiscoverable(t, b, b.addr, "kitex-provider", "all", nil)
	for _, mode := range []string{"interface", "application", "application_first"} {
		cell(t, "Dubbo-Java consumer finds the Kitex provider: "+mode, func(t *testing.T) (string, error) {
			results := runConsumer(t, "Dubbo-Java consumer", javaIn(t, "org.kitexdubbo.interop.Consumer",
				"-registry", b.javaURL, "-discovery", mode))
			return casesPassed(results)
		})
	}
	provider.stop(t)

	for _, mode := range []string{"all", "interface", "instance"} {
		cell(t, "Kitex client finds the Dubbo-Java provider: register-mode "+mode, func(t *testing.T) (string, error) {
			port := testenv.FreePort(t, "::1")
			p := testenv.Start(t, "Dubbo-Java provider", javaIn(t, "org.kitexdubbo.interop.Provider",
				"-port", strconv.Itoa(port), "-registry", b.javaURL, "-app", "java-"+mode, "-register-mode", mode), 3*time.Minute)
			defer p.Stop()
			note, err := kitexCasesPassed(discoveredBy(t, b, "application_first"))
			if err != nil || mode != "all" {
				return note, err
			}
			// The provider's other export, by the codec's version and group.
			got, err := discoveredBy(t, b, "application_first", dubbo.WithServiceVersion("2.0.0"), dubbo.WithServiceGroup("gray")).
				EchoString(context.Background(), "x")
			if err == nil && got != "gray 2.0.0: x" {
				err = fmt.Errorf("gray/2.0.0 answered %q", got)
			}
			if err := discoveryMatrix.record(b.name, "version and group select the Dubbo-Java export", "", err); err != nil {
				t.Error(err)
			}
			return note, nil
		})
	}

	cell(t, "two Kitex providers share the load", func(t *testing.T) (string, error) {
		var hits [2]atomic.Int64
		for i := range hits {
			startDiscoverable(t, b, b.addr, "kitex-pair", "all", &hits[i])
		}
		c := discoveredBy(t, b, "interface")
		// Until the client's balancer has both (Kitex re-reads the resolver
		// every few seconds), then 200 calls, each provider to serve a fifth.
		deadline := time.Now().Add(20 * time.Second)
		for hits[0].Load() == 0 || hits[1].Load() == 0 {
			if time.Now().After(deadline) {
				return "", fmt.Errorf("after 20s the providers had %d and %d calls", hits[0].Load(), hits[1].Load())
			}
			if _, err := c.EchoString(context.Background(), "x"); err != nil {
				return "", err
			}
		}
		before := [2]int64{hits[0].Load(), hits[1].Load()}
		for range 200 {
			if _, err := c.EchoString(context.Background(), "x"); err != nil {
				return "", err
			}
		}
		n0, n1 := hits[0].Load()-before[0], hits[1].Load()-before[1]
		if n0 < 40 || n1 < 40 {
			return "", fmt.Errorf("200 calls split %d / %d", n0, n1)
		}
		return fmt.Sprintf("200 calls split %d / %d", n0, n1), nil
	})

	cell(t, "a stopped Kitex provider leaves the resolver", func(t *testing.T) (string, error) {
		p := startDiscoverable(t, b, b.addr, "kitex-stopped", "all", nil)
		res := b.resolve(t, interopCodec(), "interface")
		if _, err := until(t, res, 20*time.Second, func(a []string) bool { return contains(a, p.addr) }); err != nil {
			return "", err
		}
		p.stop(t)
		took, err := until(t, res, 20*time.Second, func(a []string) bool { return !contains(a, p.addr) })
		return "in " + took.Round(time.Millisecond).String(), err
	})

	cell(t, "a killed (SIGKILL) Dubbo-Java provider leaves the resolver", func(t *testing.T) (string, error) {
		port := testenv.FreePort(t, "::1")
		p := testenv.Start(t, "Dubbo-Java provider", javaIn(t, "org.kitexdubbo.interop.Provider",
			"-port", strconv.Itoa(port), "-registry", b.javaURL, "-app", "java-killed", "-register-mode", "interface"), 3*time.Minute)
		addr := fmt.Sprintf("[::1]:%d", port)
		res := b.resolve(t, interopCodec(), "interface")
		if _, err := until(t, res, 30*time.Second, func(a []string) bool { return contains(a, addr) }); err != nil {
			return "", err
		}
		p.Kill()
		took, err := until(t, res, b.killWithin+10*time.Second, func(a []string) bool { return !contains(a, addr) })
		if err == nil && took > b.killWithin {
			err = fmt.Errorf("took %v, documented as within %v", took, b.killWithin)
		}
		return "in " + took.Round(100*time.Millisecond).String(), err
	})

	cell(t, "after a registry outage the Kitex provider is registered again and callable", func(t *testing.T) (string, error) {
		if raceEnabled && b.outageNeedsNoRace {
			t.Skip("runs without the race detector: make test's second pass (see the Makefile)")
		}
		addr, cause := b.outage(t)
		p := startDiscoverable(t, b, addr, "kitex-outage", "all", nil)
		res := b.resolve(t, interopCodec(), "interface")
		if _, err := until(t, res, 20*time.Second, func(a []string) bool { return contains(a, p.addr) }); err != nil {
			return "", err
		}
		cause(t)
		start := time.Now()
		// A fresh resolver, so what it finds was written after the outage.
		fresh := b.resolve(t, interopCodec(), "application_first")
		if _, err := until(t, fresh, 60*time.Second, func(a []string) bool { return contains(a, p.addr) }); err != nil {
			return "", err
		}
		again := time.Since(start)
		c := discoveredBy(t, b, "application_first")
		if got, err := c.EchoString(context.Background(), "again"); err != nil || got != "again" {
			return "", fmt.Errorf("call after the outage: %q, %v", got, err)
		}
		return b.outageName + ": registered again in " + again.Round(100*time.Millisecond).String(), nil
	})
}

// casesPassed turns a peer program's results into a matrix cell.
func casesPassed(results []testenv.Result) (string, error) {
	var failed []string
	for _, r := range results {
		if !r.Pass {
			failed = append(failed, r.Name+": "+r.Reason)
		}
	}
	if len(results) < 60 || len(failed) > 0 {
		return "", fmt.Errorf("%d of %d cases failed: %s", len(failed), len(results), strings.Join(failed, "; "))
	}
	return fmt.Sprintf("%d cases", len(results)), nil
}

// kitexCasesPassed runs every case through c.
func kitexCasesPassed(c interopservice.Client) (string, error) {
	var failed []string
	cases := Cases()
	for _, tc := range cases {
		if err := tc.Run(context.Background(), c); err != nil {
			failed = append(failed, tc.Name+": "+err.Error())
		}
	}
	if len(failed) > 0 {
		return "", fmt.Errorf("%d of %d cases failed: %s", len(failed), len(cases), strings.Join(failed, "; "))
	}
	return fmt.Sprintf("%d cases", len(cases)), nil
}

func interopCodec(opts ...dubbo.Option) *dubbo.DubboCodec {
	return dubbo.NewDubboCodec(append([]dubbo.Option{dubbo.WithJavaClassName(JavaInterface)}, opts...)...)
}

// discoveredBy is a Kitex client of InteropService finding its providers
// through b's resolver.
func discoveredBy(t *testing.T, b *backend, mode string, opts ...dubbo.Option) interopservice.Client {
	t.Helper()
	codec := interopCodec(opts...)
	c, err := interopservice.NewClient("interop", client.WithResolver(b.resolve(t, codec, mode)), client.WithCodec(codec),
		client.WithRPCTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// discoverable is a Kitex provider registered through a backend.
type discoverable struct {
	addr string
	stop func(t *testing.T)
}

// startDiscoverable runs the Go InteropService (counting its echoString calls
// in hits, if given) on [::1], which Dubbo-Java dials as given, registered as
// application app through b at addr, and waits until a resolver sees it.
func startDiscoverable(t *testing.T, b *backend, addr, app, mode string, hits *atomic.Int64) *discoverable {
	t.Helper()
	codec := interopCodec()
	reg := b.register(t, addr, codec, mode)
	var h interop.InteropService = &Handler{}
	if hits != nil {
		h = &countingHandler{Handler: &Handler{}, hits: hits}
	}
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	svr := interopservice.NewServer(h, server.WithListener(ln), server.WithExitWaitTime(time.Millisecond),
		server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(codec)), server.WithRegistry(reg),
		server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: app}))
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	var once sync.Once
	d := &discoverable{addr: ln.Addr().String()}
	d.stop = func(t *testing.T) {
		once.Do(func() {
			_ = svr.Stop()
			<-done
		})
	}
	t.Cleanup(func() { d.stop(t) })
	res := b.resolve(t, interopCodec(), "interface")
	if mode == "instance" {
		res = b.resolve(t, interopCodec(), "application")
	}
	if _, err := until(t, res, 20*time.Second, func(a []string) bool { return contains(a, d.addr) }); err != nil {
		t.Fatalf("the Kitex provider was not registered: %v", err)
	}
	return d
}

// until polls res for InteropService's providers until ok holds of their
// addresses, returning how long that took.
func until(t *testing.T, res discovery.Resolver, within time.Duration, ok func(addrs []string) bool) (time.Duration, error) {
	t.Helper()
	svcInfo := interopservice.NewServiceInfo()
	ink := rpcinfo.NewInvocation(svcInfo.ServiceName, "echoString")
	ink.SetExtra(rpcinfo.InvocationServiceInfoKey, svcInfo)
	to := rpcinfo.NewEndpointInfo("interop", "echoString", nil, nil)
	ri := rpcinfo.NewRPCInfo(rpcinfo.NewEndpointInfo("kitex-test-consumer", "", nil, nil), to, ink, rpcinfo.NewRPCConfig(), nil)
	ctx := rpcinfo.NewCtxWithRPCInfo(context.Background(), ri)
	desc := res.Target(ctx, to)
	start := time.Now()
	var last []string
	for {
		r, err := res.Resolve(ctx, desc)
		if err == nil {
			last = last[:0]
			for _, in := range r.Instances {
				last = append(last, in.Address().String())
			}
			if ok(last) {
				return time.Since(start), nil
			}
		}
		if time.Since(start) > within {
			return time.Since(start), fmt.Errorf("not so after %v: providers %v, last error %v", within, last, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// countingHandler counts the echoString calls a provider serves.
type countingHandler struct {
	*Handler
	hits *atomic.Int64
}

func (h *countingHandler) EchoString(ctx context.Context, v string) (string, error) {
	h.hits.Add(1)
	return h.Handler.EchoString(ctx, v)
}

// closeWith registers an io.Closer's Close to run when the test ends.
func closeWith(t *testing.T, v any) {
	if c, ok := v.(io.Closer); ok {
		t.Cleanup(func() { _ = c.Close() })
	}
}
