package nacos

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/klog"
	kregistry "github.com/cloudwego/kitex/pkg/registry"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"
	"github.com/nacos-group/nacos-sdk-go/v2/common/constant"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/tests"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

func TestMain(m *testing.M) {
	klog.SetLevel(klog.LevelError)
	// nacos-sdk-go writes log and snapshot files asynchronously, also while
	// a test's temporary directory is being removed; they go to one
	// directory removed at the end instead.
	dir, err := os.MkdirTemp("", "nacos-adapter-test-")
	if err != nil {
		panic(err)
	}
	sdkFiles = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

const iface = tests.JavaInterface

var (
	sdkFiles   string
	sdkClients atomic.Int64
)

// sdkOptions gives a client a snapshot directory of its own, as separate
// processes would have.
func sdkOptions() Option {
	n := sdkClients.Add(1)
	return WithClientOptions(constant.WithLogDir(filepath.Join(sdkFiles, "log")),
		constant.WithCacheDir(filepath.Join(sdkFiles, "cache", strconv.FormatInt(n, 10))))
}

func at(n *testenv.NacosServer) Option { return WithServerAddress(n.Addr) }

func newRegistry(t *testing.T, n *testenv.NacosServer, opts ...Option) kregistry.Registry {
	t.Helper()
	r, err := NewNacosRegistry(append([]Option{at(n), sdkOptions()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.(io.Closer).Close() })
	return r
}

func newResolver(t *testing.T, n *testenv.NacosServer, opts ...Option) discovery.Resolver {
	t.Helper()
	r, err := NewNacosResolver(append([]Option{at(n), sdkOptions()}, opts...)...)
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

// nacosInstanceJSON is one instance as rnacos's HTTP API lists it.
type nacosInstanceJSON struct {
	IP          string            `json:"ip"`
	Port        int               `json:"port"`
	Weight      float64           `json:"weight"`
	Healthy     bool              `json:"healthy"`
	Enabled     bool              `json:"enabled"`
	Ephemeral   bool              `json:"ephemeral"`
	ClusterName string            `json:"clusterName"`
	Metadata    map[string]string `json:"metadata"`
}

// listed is a service's instances as rnacos lists them over HTTP, read
// apart from the adapters.
func listed(t *testing.T, n *testenv.NacosServer, service string) []nacosInstanceJSON {
	t.Helper()
	code, body := n.Get(t, "/nacos/v1/ns/instance/list", url.Values{"serviceName": {service}})
	if code != 200 {
		t.Fatalf("instance list of %s: %d %s", service, code, body)
	}
	var s struct {
		Hosts []nacosInstanceJSON `json:"hosts"`
	}
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("instance list of %s: %v: %s", service, err, body)
	}
	return s.Hosts
}

func listedAddrs(t *testing.T, n *testenv.NacosServer, service string) []string {
	var out []string
	for _, h := range listed(t, n, service) {
		out = append(out, net.JoinHostPort(strings.Trim(h.IP, "[]"), strconv.Itoa(h.Port)))
	}
	slices.Sort(out)
	return out
}

// services is the service list of the default namespace and group.
func services(t *testing.T, n *testenv.NacosServer) []string {
	t.Helper()
	_, body := n.Get(t, "/nacos/v1/ns/service/list", url.Values{"pageNo": {"1"}, "pageSize": {"100"}})
	var list struct {
		Doms []string `json:"doms"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("service list: %v: %s", err, body)
	}
	slices.Sort(list.Doms)
	return list.Doms
}

// config is a config's content in the default namespace, "" when absent.
func config(t *testing.T, n *testenv.NacosServer, dataID, group string) string {
	t.Helper()
	code, body := n.Get(t, "/nacos/v1/cs/configs", url.Values{"dataId": {dataID}, "group": {group}})
	switch code {
	case 200:
		return string(body)
	case 404:
		return ""
	}
	t.Fatalf("config %s/%s: %d %s", group, dataID, code, body)
	return ""
}

const plainService = "providers:" + iface + "::"

// A Kitex server registers at both levels; what it wrote is what a
// Dubbo-Java 3.3 provider writes (docs/NACOS-FACTS.md), and a Kitex client
// finds and calls it through each discovery mode.
func TestRegisterAndResolve(t *testing.T) {
	n := testenv.Nacos(t)
	codec := newCodec()
	reg := newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo()))
	addr, _ := kitexServer(t, reg, codec, "kitex-provider")
	waitFor(t, "the entries", 10*time.Second, func() bool {
		return len(listed(t, n, plainService)) == 1 && len(listed(t, n, "kitex-provider")) == 1
	})
	if got, want := services(t, n), []string{"kitex-provider", plainService}; !slices.Equal(got, want) {
		t.Errorf("services %q, want %q", got, want)
	}
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)

	p := listed(t, n, plainService)[0]
	if p.IP != host || p.Port != port || !p.Ephemeral || !p.Healthy || !p.Enabled || p.Weight != 1 || p.ClusterName != "DEFAULT" {
		t.Errorf("provider instance %+v, want %s, ephemeral, healthy, enabled, weight 1, cluster DEFAULT", p, addr)
	}
	for k, want := range map[string]string{
		"category": "providers", "protocol": "dubbo", "path": iface, "interface": iface,
		"application": "kitex-provider", "side": "provider", "dubbo": "2.0.2", "serialization": "hessian2",
		"prefer.serialization": "hessian2", "service-name-mapping": "true", "release": registry.Release,
	} {
		if got := p.Metadata[k]; got != want {
			t.Errorf("provider metadata %s=%q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"group", "version", "weight", "timestamp"} {
		_, ok := p.Metadata[k]
		if want := k == "timestamp"; ok != want {
			t.Errorf("provider metadata has %s: %v, want %v", k, ok, want)
		}
	}
	methods := strings.Split(p.Metadata["methods"], ",")
	if !slices.IsSorted(methods) || !slices.Contains(methods, "echoString") {
		t.Errorf("methods %q: want the sorted Java names", p.Metadata["methods"])
	}

	if got := config(t, n, iface, "mapping"); got != "kitex-provider" {
		t.Errorf("mapping %q, want kitex-provider", got)
	}
	a := listed(t, n, "kitex-provider")[0]
	if a.IP != host || a.Port != port || !a.Ephemeral || a.Weight != 1 {
		t.Errorf("application instance %+v", a)
	}
	if a.Metadata[registry.MetaStorageType] != "local" || a.Metadata[registry.MetaVersion] != "1.0.0" {
		t.Errorf("application instance metadata %v", a.Metadata)
	}
	var eps []registry.Endpoint
	if err := json.Unmarshal([]byte(a.Metadata[registry.MetaEndpoints]), &eps); err != nil || len(eps) != 1 || eps[0].Port != port {
		t.Errorf("dubbo.endpoints %q (%v)", a.Metadata[registry.MetaEndpoints], err)
	}
	// The metadata the codec now serves, fetched as a Java consumer does.
	in := &registry.Instance{Name: "kitex-provider", Address: a.IP, Port: &a.Port, Payload: &registry.InstancePayload{Metadata: a.Metadata}}
	md, err := registry.FetchMetadata(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if md.Revision != in.Revision() || md.CalRevision() != in.Revision() {
		t.Errorf("metadata revision %q (computed %q), instance revision %q", md.Revision, md.CalRevision(), in.Revision())
	}
	if si := md.Services[iface+":dubbo"]; si == nil || int(si.Port) != port || si.Params["methods"] != p.Metadata["methods"] {
		t.Errorf("metadata services %v", md.Services)
	}

	for _, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication, DiscoveryApplicationFirst} {
		t.Run(mode.String(), func(t *testing.T) {
			clientCodec := newCodec() // a process's server and client would not share one
			res := newResolver(t, n, WithCodec(clientCodec), WithDiscovery(mode))
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
	// Dubbo's Nacos registry registers no consumers, nor does the resolver.
	if got := services(t, n); len(got) != 2 {
		t.Errorf("services after resolving: %q", got)
	}
}
