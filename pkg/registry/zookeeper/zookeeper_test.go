package zookeeper

import (
	"context"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/klog"
	kregistry "github.com/cloudwego/kitex/pkg/registry"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"
	"github.com/go-zookeeper/zk"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/tests"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

func TestMain(m *testing.M) {
	klog.SetLevel(klog.LevelError)
	m.Run()
}

const iface = tests.JavaInterface

// zkConn is a plain connection for looking at what the adapters wrote.
func zkConn(t *testing.T, addr string) *zk.Conn {
	t.Helper()
	c, _, err := zk.Connect([]string{addr}, 10*time.Second, zk.WithLogInfo(false), zk.WithLogger(zkLogger{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	waitFor(t, "a session", 30*time.Second, func() bool { return c.State() == zk.StateHasSession }) // a JVM just started, on a busy machine
	return c
}

func newRegistry(t *testing.T, addr string, opts ...Option) kregistry.Registry {
	t.Helper()
	r, err := NewZookeeperRegistry([]string{addr}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.(io.Closer).Close() })
	return r
}

func newResolver(t *testing.T, addr string, opts ...Option) discovery.Resolver {
	t.Helper()
	r, err := NewZookeeperResolver([]string{addr}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.(io.Closer).Close() })
	return r
}

// kitexServer runs the Go InteropService registering with reg as app, on a
// free port of 127.0.0.1, until the test ends or stop is called.
func kitexServer(t *testing.T, reg kregistry.Registry, codec *dubbo.DubboCodec, app string) (addr string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	ln.Close()
	svr := interopservice.NewServer(&tests.Handler{},
		server.WithServiceAddr(tcp), server.WithExitWaitTime(time.Millisecond),
		server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(codec)),
		server.WithRegistry(reg),
		server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: app}))
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = svr.Stop()
			<-done
		})
	}
	t.Cleanup(stop)
	return tcp.String(), stop
}

func newCodec(opts ...dubbo.Option) *dubbo.DubboCodec {
	return dubbo.NewDubboCodec(append([]dubbo.Option{dubbo.WithJavaClassName(iface)}, opts...)...)
}

// waitFor polls cond every 10ms for up to limit and reports how long it took.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// resolved is what r returns now for a client of InteropService.
func resolved(t *testing.T, r discovery.Resolver) []string {
	t.Helper()
	ri := rpcinfo.NewRPCInfo(rpcinfo.NewEndpointInfo("consumer-app", "", nil, nil), nil,
		rpcinfo.NewInvocation("InteropService", "echoString"), nil, nil)
	ri.Invocation().(rpcinfo.InvocationSetter).SetExtra(rpcinfo.InvocationServiceInfoKey, interopservice.NewServiceInfoForClient())
	ctx := rpcinfo.NewCtxWithRPCInfo(context.Background(), ri)
	desc := r.Target(ctx, rpcinfo.NewEndpointInfo("interop", "", nil, nil))
	res, err := r.Resolve(ctx, desc)
	if err != nil {
		t.Fatalf("resolve %s: %v", desc, err)
	}
	var addrs []string
	for _, in := range res.Instances {
		addrs = append(addrs, in.Address().String())
	}
	slices.Sort(addrs)
	return addrs
}

// A Kitex server registers at both levels; what it wrote is what a
// Dubbo-Java 3.3 provider writes, and a Kitex client finds and calls it
// through each discovery mode.
func TestRegisterAndResolve(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	codec := newCodec()
	reg := newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo()))
	addr, _ := kitexServer(t, reg, codec, "kitex-provider")
	zc := zkConn(t, zkAddr)

	var providers []string
	waitFor(t, "the provider entry", 10*time.Second, func() bool {
		providers, _, _ = zc.Children("/dubbo/" + iface + "/providers")
		return len(providers) == 1
	})
	u, err := registry.ParseEncodedURL(providers[0])
	if err != nil {
		t.Fatal(err)
	}
	if u.Encoded() != providers[0] {
		t.Errorf("node name %q is not what encoding its URL gives, %q", providers[0], u.Encoded())
	}
	if got := u.Address(); got != addr {
		t.Errorf("provider address %s, want %s", got, addr)
	}
	for k, want := range map[string]string{
		"interface": iface, "application": "kitex-provider", "side": "provider", "dubbo": "2.0.2",
		"serialization": "hessian2", "prefer.serialization": "hessian2", "service-name-mapping": "true",
		"release": registry.Release,
	} {
		if got := u.Params[k]; got != want {
			t.Errorf("provider %s=%q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"group", "version", "weight", "timestamp"} {
		_, ok := u.Params[k]
		if want := k == "timestamp"; ok != want {
			t.Errorf("provider URL has %s: %v, want %v", k, ok, want)
		}
	}
	methods := strings.Split(u.Params["methods"], ",")
	if !slices.IsSorted(methods) || !slices.Contains(methods, "echoString") || !slices.Contains(methods, "overload") {
		t.Errorf("methods %q: want the sorted Java names", u.Params["methods"])
	}
	if _, st, _ := zc.Get("/dubbo/" + iface + "/providers/" + providers[0]); st == nil || st.EphemeralOwner == 0 {
		t.Error("the provider entry is not ephemeral")
	}

	mapping, _, err := zc.Get("/dubbo/mapping/" + iface)
	if err != nil || string(mapping) != "kitex-provider" {
		t.Errorf("mapping %q, %v; want kitex-provider", mapping, err)
	}
	kids, _, err := zc.Children("/services/kitex-provider")
	if err != nil || len(kids) != 1 || kids[0] != addr {
		t.Fatalf("instances %v, %v; want [%s]", kids, err, addr)
	}
	data, _, _ := zc.Get("/services/kitex-provider/" + addr)
	in, err := registry.ParseInstance(data)
	if err != nil {
		t.Fatal(err)
	}
	if in.Payload.Class != "org.apache.dubbo.registry.zookeeper.ZookeeperInstance" || in.Meta("meta-v") != "1.0.0" ||
		in.StorageType() != "local" || in.Revision() == "" || in.Revision() == "0" {
		t.Errorf("instance %s", data)
	}
	// The metadata the codec now serves, fetched as a Java consumer does.
	md, err := registry.FetchMetadata(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if md.App != "kitex-provider" || md.Revision != in.Revision() || md.CalRevision() != in.Revision() {
		t.Errorf("metadata app %q revision %q (computed %q), instance revision %q", md.App, md.Revision, md.CalRevision(), in.Revision())
	}
	if si := md.Services[iface+":dubbo"]; si == nil || si.Port == 0 || si.Params["methods"] != u.Params["methods"] {
		t.Errorf("metadata services %v", md.Services)
	}

	for _, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication, DiscoveryApplicationFirst} {
		t.Run(mode.String(), func(t *testing.T) {
			clientCodec := newCodec() // a process's server and client would not share one
			res := newResolver(t, zkAddr, WithCodec(clientCodec), WithDiscovery(mode))
			if got := resolved(t, res); !slices.Equal(got, []string{addr}) {
				t.Fatalf("resolved %v, want [%s]", got, addr)
			}
			cli, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(clientCodec),
				client.WithRPCTimeout(5*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			got, err := cli.EchoString(context.Background(), "through "+mode.String())
			if err != nil || got != "through "+mode.String() {
				t.Fatalf("call: %q, %v", got, err)
			}
		})
	}
	// The resolvers' consumer entries are gone with them.
	if kids, _, _ := zc.Children("/dubbo/" + iface + "/consumers"); len(kids) != 0 {
		t.Errorf("consumer entries left: %v", kids)
	}
}

// Kitex shares its default balancer cache among clients whose resolvers
// have the same name: each resolver has its own, so a client of a second
// resolver does not end up with the first one's (closed, and stale) view.
func TestResolversApart(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	call := func(res discovery.Resolver) error {
		cli, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(newCodec()), client.WithRPCTimeout(2*time.Second))
		if err != nil {
			return err
		}
		_, err = cli.EchoString(context.Background(), "x")
		return err
	}
	codec := newCodec()
	first, stopFirst := kitexServer(t, newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo())), codec, "apart")
	res1, err := NewZookeeperResolver([]string{zkAddr}, WithCodec(newCodec()))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first provider", 10*time.Second, func() bool { return slices.Equal(resolved(t, res1), []string{first}) })
	if err := call(res1); err != nil {
		t.Fatal(err)
	}
	_ = res1.(io.Closer).Close()

	codec2 := newCodec()
	second, _ := kitexServer(t, newRegistry(t, zkAddr, WithService(codec2, interopservice.NewServiceInfo())), codec2, "apart")
	stopFirst()
	res2 := newResolver(t, zkAddr, WithCodec(newCodec()))
	waitFor(t, "only the second provider", 10*time.Second, func() bool { return slices.Equal(resolved(t, res2), []string{second}) })
	if err := call(res2); err != nil {
		t.Fatalf("a client of the second resolver: %v", err)
	}
}

// Two servers sharing a registry and a codec: each instance's metadata
// (they differ in their ports, so in their revisions) is answered for its
// own revision, and one server stopping leaves the other's answered.
func TestSharedCodec(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	codec := newCodec()
	reg := newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo()), WithRegisterMode(RegisterInstance))
	first, stopFirst := kitexServer(t, reg, codec, "shared")
	second, _ := kitexServer(t, reg, codec, "shared")
	want := []string{first, second}
	slices.Sort(want)
	res := newResolver(t, zkAddr, WithCodec(newCodec()), WithDiscovery(DiscoveryApplication), WithFetchTimeout(time.Second))
	waitFor(t, "both servers", 10*time.Second, func() bool { return slices.Equal(resolved(t, res), want) })
	stopFirst()
	res2 := newResolver(t, zkAddr, WithCodec(newCodec()), WithDiscovery(DiscoveryApplication), WithFetchTimeout(time.Second))
	waitFor(t, "the second alone, its metadata still answered", 10*time.Second, func() bool {
		return slices.Equal(resolved(t, res2), []string{second})
	})
}
