package nacos

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/discovery"
	"github.com/cloudwego/kitex/pkg/loadbalance"
	"github.com/cloudwego/kitex/pkg/loadbalance/lbcache"
	kregistry "github.com/cloudwego/kitex/pkg/registry"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"
	"github.com/nacos-group/nacos-sdk-go/v2/clients"
	"github.com/nacos-group/nacos-sdk-go/v2/clients/naming_client"
	"github.com/nacos-group/nacos-sdk-go/v2/common/constant"
	"github.com/nacos-group/nacos-sdk-go/v2/vo"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
	"github.com/kitexdubbo/kitexdubbo/tests"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// A resolver subscribed before any provider exists sees one come and go
// through Nacos's pushes, and a Kitex client with a 1s balancer refresh
// calls it soon after. The delays are measured from the moment rnacos
// lists (or no longer lists) the instance, and logged; the bounds are
// loose, in seconds. Each mode has a Nacos of its own, where the provider
// is the interface's first: the mapping is new, which the SDK hears of at
// its first listen round, up to 5s after the resolver started.
func TestWatchDelay(t *testing.T) {
	for i, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication, DiscoveryApplicationFirst} {
		t.Run(mode.String(), func(t *testing.T) {
			n := testenv.Nacos(t)
			app := fmt.Sprintf("delay-%d", i)
			codec := newCodec()
			clientCodec := newCodec()
			res := newResolver(t, n, WithCodec(clientCodec), WithDiscovery(mode))
			if got := resolved(t, res); len(got) != 0 {
				t.Fatalf("resolved %v before any provider", got)
			}
			cli, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(clientCodec),
				client.WithRPCTimeout(2*time.Second),
				client.WithLoadBalancer(loadbalance.NewWeightedBalancer(), &lbcache.Options{RefreshInterval: time.Second}))
			if err != nil {
				t.Fatal(err)
			}
			// And one with Kitex's default balancer cache (5s refresh).
			defaultCli, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(newCodec()),
				client.WithRPCTimeout(2*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []interopservice.Client{cli, defaultCli} {
				if _, err := c.EchoString(context.Background(), "x"); err == nil {
					t.Fatal("a call succeeded with no provider")
				}
			}

			reg := newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo()))
			addr, stop := kitexServer(t, reg, codec, app)
			service := plainService
			if mode == DiscoveryApplication {
				service = app
			}
			waitFor(t, "the instance in Nacos", 10*time.Second, func() bool {
				return slices.Equal(listedAddrs(t, n, service), []string{addr})
			})
			seen := waitFor(t, "the resolver to see the provider", 8*time.Second, func() bool {
				return slices.Equal(resolved(t, res), []string{addr})
			})
			called := waitFor(t, "the client to call it", 5*time.Second, func() bool {
				got, err := cli.EchoString(context.Background(), "x")
				return err == nil && got == "x"
			})
			calledDefault := waitFor(t, "the client with the default refresh to call it", 8*time.Second, func() bool {
				got, err := defaultCli.EchoString(context.Background(), "x")
				return err == nil && got == "x"
			})

			stop() // Deregister, then the server closes
			waitFor(t, "the instance to go", 10*time.Second, func() bool { return len(listed(t, n, service)) == 0 })
			gone := waitFor(t, "the resolver to drop the provider", 5*time.Second, func() bool {
				return len(resolved(t, res)) == 0
			})
			t.Logf("%s: the resolver saw the provider %v after rnacos listed it; a client with a 1s refresh called it %v later, one with the default 5s refresh %v after that; the resolver dropped it %v after rnacos stopped listing it",
				mode, seen.Round(time.Millisecond), called.Round(time.Millisecond), calledDefault.Round(time.Millisecond), gone.Round(time.Millisecond))
		})
	}
}

// Each register mode writes what Dubbo's does: interface, only the
// providers:... service (no service-name-mapping=true); instance, only the
// application's service and the mapping.
func TestRegisterModes(t *testing.T) {
	n := testenv.Nacos(t)
	t.Run("interface", func(t *testing.T) {
		codec := newCodec()
		reg := newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo()), WithRegisterMode(RegisterInterface))
		addr, stop := kitexServer(t, reg, codec, "iface-only")
		waitFor(t, "the provider", 10*time.Second, func() bool { return slices.Equal(listedAddrs(t, n, plainService), []string{addr}) })
		if got := listed(t, n, "iface-only"); len(got) != 0 {
			t.Errorf("an application instance was written: %+v", got)
		}
		if got := config(t, n, iface, "mapping"); got != "" {
			t.Errorf("a mapping was written: %q", got)
		}
		if md := listed(t, n, plainService)[0].Metadata; md["service-name-mapping"] != "" {
			t.Errorf("service-name-mapping=%q with register-mode interface", md["service-name-mapping"])
		}
		res := newResolver(t, n, WithCodec(newCodec()))
		if got := resolved(t, res); !slices.Equal(got, []string{addr}) {
			t.Errorf("application-first resolved %v, want the interface-level %s", got, addr)
		}
		stop()
		waitFor(t, "the provider to go", 10*time.Second, func() bool { return len(listed(t, n, plainService)) == 0 })
	})
	t.Run("instance", func(t *testing.T) {
		codec := newCodec()
		reg := newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo()), WithRegisterMode(RegisterInstance))
		addr, _ := kitexServer(t, reg, codec, "instance-only")
		waitFor(t, "the instance", 10*time.Second, func() bool { return slices.Equal(listedAddrs(t, n, "instance-only"), []string{addr}) })
		if got := listed(t, n, plainService); len(got) != 0 {
			t.Errorf("an interface-level instance was written: %+v", got)
		}
		// The mapping follows the instance.
		waitFor(t, "the mapping", 10*time.Second, func() bool { return config(t, n, iface, "mapping") == "instance-only" })
		if got := resolved(t, newResolver(t, n, WithCodec(newCodec()), WithDiscovery(DiscoveryInterface))); len(got) != 0 {
			t.Errorf("interface-level discovery found %v", got)
		}
		if got := resolved(t, newResolver(t, n, WithCodec(newCodec()))); !slices.Equal(got, []string{addr}) {
			t.Errorf("application-first resolved %v, want %s", got, addr)
		}
	})
}

// Versions and groups: each export is its own service name
// (providers:<iface>:<version>:<group>), each codec finds its own export,
// at both levels, and no other.
func TestVersionGroup(t *testing.T) {
	n := testenv.Nacos(t)
	plainCodec := newCodec()
	blueCodec := newCodec(dubbo.WithServiceVersion("1.2.0"), dubbo.WithServiceGroup("blue"))
	plain, _ := kitexServer(t, newRegistry(t, n, WithService(plainCodec, interopservice.NewServiceInfo())), plainCodec, "plain-app")
	blue, _ := kitexServer(t, newRegistry(t, n, WithService(blueCodec, interopservice.NewServiceInfo())), blueCodec, "blue-app")
	blueService := "providers:" + iface + ":1.2.0:blue"
	waitFor(t, "both exports", 10*time.Second, func() bool {
		return slices.Equal(listedAddrs(t, n, plainService), []string{plain}) && slices.Equal(listedAddrs(t, n, blueService), []string{blue})
	})
	md := listed(t, n, blueService)[0].Metadata
	if md["version"] != "1.2.0" || md["group"] != "blue" || md["revision"] != "1.2.0" {
		t.Errorf("the blue export's metadata %v", md)
	}
	waitFor(t, "both applications in the mapping", 10*time.Second, func() bool {
		apps, _ := registry.ParseMapping([]byte(config(t, n, iface, "mapping")))
		slices.Sort(apps)
		return slices.Equal(apps, []string{"blue-app", "plain-app"})
	})
	for _, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication, DiscoveryApplicationFirst} {
		t.Run(mode.String(), func(t *testing.T) {
			for _, c := range []struct {
				want string
				opts []dubbo.Option
			}{
				{plain, nil},
				{blue, []dubbo.Option{dubbo.WithServiceVersion("1.2.0"), dubbo.WithServiceGroup("blue")}},
			} {
				codec := newCodec(c.opts...)
				res := newResolver(t, n, WithCodec(codec), WithDiscovery(mode))
				if got := resolved(t, res); !slices.Equal(got, []string{c.want}) {
					t.Errorf("%v: resolved %v, want [%s]", c.opts, got, c.want)
				}
			}
			none := newResolver(t, n, WithCodec(newCodec(dubbo.WithServiceGroup("blue"))), WithDiscovery(mode))
			if got := resolved(t, none); len(got) != 0 {
				t.Errorf("group blue without version 1.2.0 resolved %v", got)
			}
		})
	}
}

// An IPv6 host is written in brackets, as Dubbo-Java writes it, and read
// back without them.
func TestIPv6Host(t *testing.T) {
	n := testenv.Nacos(t)
	reg := newRegistry(t, n, WithService(newCodec(), interopservice.NewServiceInfo()))
	info := &kregistry.Info{ServiceName: "v6-app", Addr: &net.TCPAddr{IP: net.IPv6loopback, Port: 30001}}
	if err := reg.Register(info); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{plainService, "v6-app"} {
		if got := listed(t, n, s); len(got) != 1 || got[0].IP != "[::1]" || got[0].Port != 30001 {
			t.Errorf("%s: %+v, want [::1]:30001", s, got)
		}
	}
	res := newResolver(t, n, WithCodec(newCodec()), WithDiscovery(DiscoveryInterface))
	if got := resolved(t, res); !slices.Equal(got, []string{"[::1]:30001"}) {
		t.Errorf("resolved %v", got)
	}
	if err := reg.Deregister(info); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{plainService, "v6-app"} {
		if got := listed(t, n, s); len(got) != 0 {
			t.Errorf("%s after Deregister: %+v", s, got)
		}
	}
}

// Two servers sharing one registry are two instances of each service, in
// one batch (nacos-sdk-go registers again only the last registration of a
// service after a reconnect); one stopping leaves the other.
func TestSeveralServers(t *testing.T) {
	n := testenv.Nacos(t)
	codec := newCodec()
	reg := newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo()))
	first, stopFirst := kitexServer(t, reg, codec, "twin")
	second, _ := kitexServer(t, reg, codec, "twin")
	want := []string{first, second}
	slices.Sort(want)
	waitFor(t, "both servers", 10*time.Second, func() bool {
		return slices.Equal(listedAddrs(t, n, plainService), want) && slices.Equal(listedAddrs(t, n, "twin"), want)
	})
	res := newResolver(t, n, WithCodec(newCodec()))
	if got := resolved(t, res); !slices.Equal(got, want) {
		t.Errorf("resolved %v, want %v", got, want)
	}
	stopFirst()
	waitFor(t, "the second alone", 10*time.Second, func() bool {
		return slices.Equal(listedAddrs(t, n, plainService), []string{second}) && slices.Equal(listedAddrs(t, n, "twin"), []string{second})
	})
	waitFor(t, "the resolver to drop the first", 5*time.Second, func() bool { return slices.Equal(resolved(t, res), []string{second}) })
}

// withMappingCheck shortens how often registries and resolvers check the mapping.
func withMappingCheck(d time.Duration) Option { return func(o *options) { o.mappingCheck = d } }

// Providers of several applications registering at once all end up in
// the mapping: each reads it back after writing (rnacos ignores casMd5,
// so concurrent writers can drop each other's names), and a name dropped
// after that is put back at the next check. The mapping removed altogether
// (a Nacos restored without its data) is written again too.
func TestMappingKept(t *testing.T) {
	n := testenv.Nacos(t)
	if !configWrite(t, n, http.MethodPost, url.Values{"dataId": {iface}, "group": {"mapping"}, "content": {"java-app"}}) {
		t.Fatal("could not publish the mapping")
	}
	// Four, not more: nacos-sdk-go allows one process 5 reads a second of a
	// config, whatever the client, which separate processes would not share.
	const count = 4
	regs := make([]kregistry.Registry, count)
	for i := range regs {
		regs[i] = newRegistry(t, n, WithService(newCodec(), interopservice.NewServiceInfo()), WithRegisterMode(RegisterInstance),
			withMappingCheck(2*time.Second))
	}
	var wg sync.WaitGroup
	errs := make(chan error, count)
	for i, reg := range regs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- reg.Register(&kregistry.Info{ServiceName: fmt.Sprintf("app-%d", i), Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 30000 + i}})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"app-0", "app-1", "app-2", "app-3", "java-app"}
	mapping := func() []string {
		apps, _ := registry.ParseMapping([]byte(config(t, n, iface, "mapping")))
		slices.Sort(apps)
		return apps
	}
	t.Logf("mapping right after the registrations: %v", mapping())
	took := waitFor(t, "every application in the mapping", 15*time.Second, func() bool { return slices.Equal(mapping(), want) })
	t.Logf("complete %v later", took.Round(time.Millisecond))

	if !configWrite(t, n, http.MethodDelete, url.Values{"dataId": {iface}, "group": {"mapping"}}) {
		t.Fatal("could not delete the mapping")
	}
	// Each registry writes its own application again; java-app's is gone
	// with the config, until Java's provider registers again.
	took = waitFor(t, "the mapping written again", 15*time.Second, func() bool { return slices.Equal(mapping(), want[:count]) })
	t.Logf("the deleted mapping was complete again after %v", took.Round(time.Millisecond))
}

// configWrite publishes (POST, form) or deletes (DELETE, query) a config
// over rnacos's HTTP API.
func configWrite(t *testing.T, n *testenv.NacosServer, method string, v url.Values) bool {
	t.Helper()
	u := "http://" + n.Addr + "/nacos/v1/cs/configs"
	var body io.Reader
	if method == http.MethodDelete {
		u += "?" + v.Encode()
	} else {
		body = strings.NewReader(v.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == 200 && string(b) == "true"
}

// rawNaming is a plain nacos-sdk-go naming client, for writing what a
// Dubbo provider would not.
func rawNaming(t *testing.T, n *testenv.NacosServer) naming_client.INamingClient {
	t.Helper()
	c, err := clients.NewNamingClient(vo.NacosClientParam{
		ClientConfig: constant.NewClientConfig(constant.WithNotLoadCacheAtStart(true), constant.WithTimeoutMs(5000),
			constant.WithLogDir(filepath.Join(sdkFiles, "log")),
			constant.WithCacheDir(filepath.Join(sdkFiles, "cache", "raw-"+strconv.FormatInt(sdkClients.Add(1), 10)))),
		ServerConfigs: []constant.ServerConfig{*constant.NewServerConfig("127.0.0.1", uint64(n.HTTPPort))},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseClient)
	return c
}

func rawInstance(ip string, port int, md map[string]string) vo.RegisterInstanceParam {
	return vo.RegisterInstanceParam{Ip: ip, Port: uint64(port), Weight: 1, Enable: true, Healthy: true, Ephemeral: true, Metadata: md}
}

func rawBatch(t *testing.T, c naming_client.INamingClient, service string, ins ...vo.RegisterInstanceParam) {
	t.Helper()
	if ok, err := c.BatchRegisterInstance(vo.BatchRegisterInstanceParam{ServiceName: service, Instances: ins}); !ok || err != nil {
		t.Fatalf("batch register into %s: %v %v", service, ok, err)
	}
}

// Hostile and broken entries next to a good provider: hosts that are not
// addresses, placeholders, other protocols, groups and categories,
// disabled providers, oversized metadata, a mapping naming what Nacos
// cannot take, application instances whose metadata is not JSON or whose
// MetadataService answers garbage or a huge frame, or is not there. None
// panics; the good provider is still found, at each level.
func TestHostileEntries(t *testing.T) {
	n := testenv.Nacos(t)
	if !configWrite(t, n, http.MethodPost, url.Values{"dataId": {iface}, "group": {"mapping"},
		"content": {"bad@@app, ,good-app,ghost-app,good-app"}}) {
		t.Fatal("could not publish the mapping")
	}
	codec := newCodec()
	reg := newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo()))
	good, _ := kitexServer(t, reg, codec, "good-app")
	waitFor(t, "the good provider", 10*time.Second, func() bool { return slices.Equal(listedAddrs(t, n, plainService), []string{good}) })

	params := func(kv ...string) map[string]string {
		m := map[string]string{"protocol": "dubbo", "path": iface, "interface": iface, "category": "providers"}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	raw := rawNaming(t, n)
	rawBatch(t, raw, plainService,
		rawInstance("127.0.0.1", 1, params("protocol", "")),
		rawInstance("127.0.0.1", 2, params("protocol", "tri")),
		rawInstance("127.0.0.1", 3, params("group", "other")),
		rawInstance("127.0.0.1", 4, params("disabled", "true")),
		rawInstance("127.0.0.1", 5, params("category", "consumers")),
		rawInstance("127.0.0.1", 6, params("interface", "org.example.Other")),
		rawInstance("127.0.0.1", 7, params("huge", strings.Repeat("x", 70<<10))),
		rawInstance("[127.0.0.1", 8, params()),
		rawInstance("host/with/slash", 9, params()),
		func() vo.RegisterInstanceParam {
			in := rawInstance("127.0.0.1", 10, params())
			in.Enable = false
			return in
		}(),
	)

	garbage := garbageServer(t, []byte("\xda\xbb\x06\x14\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x03abc"))
	huge := garbageServer(t, []byte("\xda\xbb\x06\x14\x00\x00\x00\x00\x00\x00\x00\x01\x7f\xff\xff\xff"))
	notJSON := instanceMetadataAt(t, freeAddr(t))
	notJSON[registry.MetaServiceParams] = "{{{"
	noRevision := instanceMetadataAt(t, freeAddr(t))
	delete(noRevision, registry.MetaRevision)
	raw2 := rawNaming(t, n)
	rawBatch(t, raw2, "good-app",
		rawInstanceAt(t, garbage, instanceMetadataAt(t, garbage)),
		rawInstanceAt(t, huge, instanceMetadataAt(t, huge)),
		rawInstanceAt(t, freeAddr(t), instanceMetadataAt(t, freeAddr(t))),
		rawInstanceAt(t, freeAddr(t), notJSON),
		rawInstanceAt(t, freeAddr(t), noRevision),
	)
	// rnacos's HTTP list leaves the disabled instance out.
	for start := time.Now(); len(listed(t, n, plainService)) != 10 || len(listed(t, n, "good-app")) != 6; time.Sleep(100 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("rnacos lists %d and %d instances, want 10 and 6: %v, %v", len(listed(t, n, plainService)), len(listed(t, n, "good-app")),
				listedAddrs(t, n, plainService), listedAddrs(t, n, "good-app"))
		}
	}
	for _, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication} {
		res := newResolver(t, n, WithCodec(newCodec()), WithDiscovery(mode), WithFetchTimeout(time.Second))
		waitFor(t, mode.String()+": the good provider alone", 10*time.Second, func() bool {
			return slices.Equal(resolved(t, res), []string{good})
		})
	}
}

// garbageServer answers every connection with reply, then closes it.
func garbageServer(t *testing.T, reply []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	testenv.Serve(t, ln, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 4096)
		_, _ = c.Read(buf)
		_, _ = c.Write(reply)
	})
	return ln.Addr().String()
}

func freeAddr(t *testing.T) string {
	return fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t, "127.0.0.1"))
}

// instanceMetadataAt is the metadata of a good-app instance at addr, as a
// Dubbo provider writes it.
func instanceMetadataAt(t *testing.T, addr string) map[string]string {
	t.Helper()
	_, ps, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(ps)
	return registry.NewInstance("good-app", "127.0.0.1", port, "feedface", time.Now()).Payload.Metadata
}

func rawInstanceAt(t *testing.T, addr string, md map[string]string) vo.RegisterInstanceParam {
	t.Helper()
	host, ps, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(ps)
	return rawInstance(host, port, md)
}

// Kitex shares its default balancer cache among clients whose resolvers
// have the same name: each resolver has its own, so a client of a second
// resolver does not end up with the first one's (closed, and stale) view.
func TestResolversApart(t *testing.T) {
	n := testenv.Nacos(t)
	call := func(res discovery.Resolver) error {
		cli, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(newCodec()), client.WithRPCTimeout(2*time.Second))
		if err != nil {
			return err
		}
		_, err = cli.EchoString(context.Background(), "x")
		return err
	}
	codec := newCodec()
	first, stopFirst := kitexServer(t, newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo())), codec, "apart")
	res1, err := NewNacosResolver(at(n), sdkOptions(), WithCodec(newCodec()))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the first provider", 10*time.Second, func() bool { return slices.Equal(resolved(t, res1), []string{first}) })
	if err := call(res1); err != nil {
		t.Fatal(err)
	}
	_ = res1.(io.Closer).Close()

	codec2 := newCodec()
	second, _ := kitexServer(t, newRegistry(t, n, WithService(codec2, interopservice.NewServiceInfo())), codec2, "apart")
	stopFirst()
	res2 := newResolver(t, n, WithCodec(newCodec()))
	waitFor(t, "only the second provider", 10*time.Second, func() bool { return slices.Equal(resolved(t, res2), []string{second}) })
	if err := call(res2); err != nil {
		t.Fatalf("a client of the second resolver: %v", err)
	}
	if res1.Name() == res2.Name() {
		t.Errorf("both resolvers are named %q", res1.Name())
	}
}

// Without a server the constructors fail within the connect timeout,
// saying so; a malformed address fails at once.
func TestNoServer(t *testing.T) {
	start := time.Now()
	_, err := NewNacosRegistry(WithServerAddress(freeAddr(t)), sdkOptions(), WithConnectTimeout(time.Second))
	if err == nil || !strings.Contains(err.Error(), "no connection") {
		t.Fatalf("registry without a server: %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("failing took %v", took)
	}
	t.Logf("%v (after %v)", err, time.Since(start).Round(10*time.Millisecond))
	for _, addr := range []string{"no-port", "127.0.0.1:x", "127.0.0.1:65000", ":8848"} {
		if _, err := NewNacosResolver(WithServerAddress(addr)); err == nil {
			t.Errorf("resolver for %q: no error", addr)
		}
	}
}

// A server with server.WithCodec (no server factory) answers the
// MetadataService too, for its own application, version and revision only.
func TestMetadataWithCodecServer(t *testing.T) {
	n := testenv.Nacos(t)
	codec := newCodec(dubbo.WithServiceVersion("1.2.0"), dubbo.WithServiceGroup("blue"))
	reg := newRegistry(t, n, WithService(codec, interopservice.NewServiceInfo()), WithRegisterMode(RegisterInstance))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	ln.Close()
	svr := interopservice.NewServer(&tests.Handler{}, server.WithServiceAddr(tcp), server.WithExitWaitTime(time.Millisecond),
		server.WithCodec(codec), server.WithRegistry(reg),
		server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: "with-codec"}))
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	t.Cleanup(func() { _ = svr.Stop(); <-done })

	waitFor(t, "the instance", 10*time.Second, func() bool { return len(listed(t, n, "with-codec")) == 1 })
	h := listed(t, n, "with-codec")[0]
	in := &registry.Instance{Name: "with-codec", Address: h.IP, Port: &h.Port, Payload: &registry.InstancePayload{Metadata: h.Metadata}}
	md, err := registry.FetchMetadata(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	si := md.Find(iface, "blue", "1.2.0", "dubbo")
	if si == nil || md.Revision != in.Revision() || int(si.Port) != tcp.Port {
		t.Fatalf("metadata %+v for instance revision %s", md, in.Revision())
	}
	in.Payload.Metadata[registry.MetaRevision] = "stale"
	if _, err := registry.FetchMetadata(context.Background(), in); err == nil {
		t.Error("metadata for a stale revision")
	}
	in.Name = "someone-else"
	if _, err := registry.FetchMetadata(context.Background(), in); err == nil {
		t.Error("metadata for another application")
	}
	res := newResolver(t, n, WithCodec(newCodec(dubbo.WithServiceVersion("1.2.0"), dubbo.WithServiceGroup("blue"))), WithDiscovery(DiscoveryApplication))
	if got := resolved(t, res); !slices.Equal(got, []string{tcp.String()}) {
		t.Errorf("resolved %v, want %s", got, tcp)
	}
}

// Dubbo's registry group is the Nacos group of every service, and the
// namespace holds services and the mapping: a resolver of another group or
// namespace finds nothing.
func TestGroupAndNamespace(t *testing.T) {
	n := testenv.Nacos(t)
	where := []Option{WithGroup("blue-group"), WithNamespace("ns-a")}
	codec := newCodec()
	addr, _ := kitexServer(t, newRegistry(t, n, append(where, WithService(codec, interopservice.NewServiceInfo()))...), codec, "grouped")
	for _, s := range []string{plainService, "grouped"} {
		waitFor(t, s+" in blue-group of ns-a", 10*time.Second, func() bool {
			code, body := n.Get(t, "/nacos/v1/ns/instance/list", url.Values{"serviceName": {s}, "groupName": {"blue-group"}, "namespaceId": {"ns-a"}})
			return code == 200 && strings.Contains(string(body), strconv.Itoa(portOf(t, addr)))
		})
		if got := listed(t, n, s); len(got) != 0 {
			t.Errorf("%s in the default group and namespace: %+v", s, got)
		}
	}
	code, body := n.Get(t, "/nacos/v1/cs/configs", url.Values{"dataId": {iface}, "group": {"mapping"}, "tenant": {"ns-a"}})
	if code != 200 || string(body) != "grouped" {
		t.Errorf("mapping in ns-a: %d %q", code, body)
	}
	if got := config(t, n, iface, "mapping"); got != "" {
		t.Errorf("mapping in the default namespace: %q", got)
	}
	for _, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication} {
		if got := resolved(t, newResolver(t, n, append(where, WithCodec(newCodec()), WithDiscovery(mode))...)); !slices.Equal(got, []string{addr}) {
			t.Errorf("%s in blue-group of ns-a: %v, want [%s]", mode, got, addr)
		}
		for _, other := range [][]Option{{WithNamespace("ns-a")}, {WithGroup("blue-group")}} {
			if got := resolved(t, newResolver(t, n, append(other, WithCodec(newCodec()), WithDiscovery(mode))...)); len(got) != 0 {
				t.Errorf("%s elsewhere found %v", mode, got)
			}
		}
	}
}

func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, ps, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(ps)
	return p
}

// A call for which neither a codec nor the target names an interface is an
// error that says what to give, not a target watching nothing.
func TestResolveWithoutInterface(t *testing.T) {
	n := testenv.Nacos(t)
	res := newResolver(t, n)
	desc := res.Target(context.Background(), rpcinfo.NewEndpointInfo("", "", nil, nil))
	if _, err := res.Resolve(context.Background(), desc); err == nil || !strings.Contains(err.Error(), "WithCodec") {
		t.Fatalf("resolve %q: %v", desc, err)
	}
	if _, err := res.Resolve(context.Background(), "not|a|target"); err == nil {
		t.Fatal("resolved a description of no target")
	}
	// Without a codec the target's service name stands for the interface.
	desc = res.Target(context.Background(), rpcinfo.NewEndpointInfo(iface, "", nil, nil))
	if r, err := res.Resolve(context.Background(), desc); err != nil || len(r.Instances) != 0 {
		t.Fatalf("resolve %q: %v, %v", desc, r.Instances, err)
	}
}
