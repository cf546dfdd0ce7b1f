package tests

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/kerrors"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"
	"github.com/nacos-group/nacos-sdk-go/v2/common/constant"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	nacosreg "github.com/kitexdubbo/kitexdubbo/pkg/registry/nacos"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// Service discovery through a real Nacos (rnacos), both ways, at both of
// Dubbo's levels, as tests/discovery_test.go does through ZooKeeper: the
// Dubbo-Java consumer finds a Kitex provider, a Kitex client finds the
// Dubbo-Java provider in each of its register modes.

// adapterOptions points a registry or resolver at nacos, with the SDK's
// files in sdk's directory and a snapshot directory of its own.
func (s *nacosSDK) adapterOptions(opts ...nacosreg.Option) []nacosreg.Option {
	s.clients++
	return append([]nacosreg.Option{
		nacosreg.WithServerAddress(s.nacos.Addr),
		nacosreg.WithClientOptions(constant.WithLogDir(filepath.Join(s.dir, "log")),
			constant.WithCacheDir(filepath.Join(s.dir, "cache", strconv.Itoa(s.clients)))),
	}, opts...)
}

// startNacosRegisteredServer runs the Go InteropService on a free port of
// [::1] (Dubbo-Java dials a registered 127.x as the machine's own address),
// registered in Nacos as application app (in the default group and
// namespace unless opts say otherwise), until the test ends, and waits
// until Nacos lists it.
func startNacosRegisteredServer(t *testing.T, sdk *nacosSDK, app string, codec *dubbo.DubboCodec, factory bool, opts ...nacosreg.Option) string {
	t.Helper()
	reg, err := nacosreg.NewNacosRegistry(sdk.adapterOptions(append([]nacosreg.Option{
		nacosreg.WithService(codec, interopservice.NewServiceInfo())}, opts...)...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reg.(io.Closer).Close() })
	transport := server.WithCodec(codec)
	if factory {
		transport = server.WithTransHandlerFactory(dubbo.NewSvrTransHandlerFactory(codec))
	}
	addr := startServerOn(t, "::1", transport, server.WithRegistry(reg),
		server.WithServerBasicInfo(&rpcinfo.EndpointBasicInfo{ServiceName: app}))
	// Kitex registers a second after the server listens; the mapping
	// follows the application's instance. What is registered is looked at
	// through a resolver of the same group and namespace.
	res, err := nacosreg.NewNacosResolver(sdk.adapterOptions(append(opts, nacosreg.WithCodec(codec))...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer res.(io.Closer).Close()
	ri := rpcinfo.NewRPCInfo(rpcinfo.NewEndpointInfo("wait", "", nil, nil), nil, rpcinfo.NewInvocation("", ""), nil, nil)
	ri.Invocation().(rpcinfo.InvocationSetter).SetExtra(rpcinfo.InvocationServiceInfoKey, interopservice.NewServiceInfoForClient())
	ctx := rpcinfo.NewCtxWithRPCInfo(context.Background(), ri)
	desc := res.Target(ctx, rpcinfo.NewEndpointInfo("interop", "", nil, nil))
	waitNacos(t, app+" registered", 10*time.Second, func() bool {
		r, err := res.Resolve(ctx, desc)
		return err == nil && len(r.Instances) == 1 && r.Instances[0].Address().String() == addr
	})
	return addr
}

// through its mapping, its instance and the MetadataService the codec answers.
func TestNacosDiscoveryJavaConsumerApplicationOnly(t *testing.T) {
	nacos := testenv.Nacos(t)
	startNacosRegisteredServer(t, newNacosSDK(t, nacos), "kitex-app-only", dubbo.NewDubboCodec(dubbo.WithJavaClassName(JavaInterface)), false,
		nacosreg.WithRegisterMode(nacosreg.RegisterInstance))
	if got := httpPorts(t, nacos, "providers:"+JavaInterface+"::"); len(got) != 0 {
		t.Fatalf("register-mode instance wrote interface-level instances %v", got)
	}
	results := runConsumer(t, "Dubbo-Java consumer", javaWithHome(t,
		"org.kitexdubbo.interop.Consumer", "-registry", nacos.URL(), "-discovery", "application"))
	// One connection served a call at a time (server.WithCodec alone): the
	// cases that need calls served side by side are the server factory's.
	passed := 0
	for _, r := range results {
		switch {
		case r.Pass:
			passed++
		case r.Name == "slow(timeout)" || r.Name == "concurrent(64 calls)":
			t.Logf("%s failed, as expected of server.WithCodec: %s", r.Name, r.Reason)
		default:
			t.Errorf("%s: %s", r.Name, r.Reason)
		}
	}
	t.Logf("%d of %d cases passed", passed, len(results))
	if passed < len(results)-2 {
		t.Errorf("only %d of %d cases passed", passed, len(results))
	}
}

// A Kitex provider exporting version 2.0.0 in group gray: the Java consumer
// asking for that export finds it under
// providers:<iface>:2.0.0:gray and in the application's metadata.
func TestNacosDiscoveryJavaConsumerVersionGroup(t *testing.T) {
	nacos := testenv.Nacos(t)
	startNacosRegisteredServer(t, newNacosSDK(t, nacos), "kitex-gray", dubbo.NewDubboCodec(dubbo.WithJavaClassName(JavaInterface),
		dubbo.WithServiceVersion("2.0.0"), dubbo.WithServiceGroup("gray")), true)
	if got := httpPorts(t, nacos, "providers:"+JavaInterface+":2.0.0:gray"); len(got) != 1 {
		t.Fatalf("providers:%s:2.0.0:gray lists %v", JavaInterface, got)
	}
	for _, discovery := range []string{"interface", "application"} {
		t.Run(discovery, func(t *testing.T) {
			requirePassed(t, runConsumer(t, "Dubbo-Java consumer", javaWithHome(t,
				"org.kitexdubbo.interop.Consumer", "-registry", nacos.URL(), "-discovery", discovery, "-version", "2.0.0", "-group", "gray")))
		})
	}
}

// Dubbo's registry group (the group parameter of its registry URL) is the
// Nacos group of the services, and its namespace holds them and the
// mapping: a Kitex provider registered in both is found by a Java consumer
// told both.
func TestNacosDiscoveryJavaConsumerGroupNamespace(t *testing.T) {
	nacos := testenv.Nacos(t)
	startNacosRegisteredServer(t, newNacosSDK(t, nacos), "kitex-grouped", dubbo.NewDubboCodec(dubbo.WithJavaClassName(JavaInterface)), true,
		nacosreg.WithGroup("kitex-group"), nacosreg.WithNamespace("ns-a"))
	requirePassed(t, runConsumer(t, "Dubbo-Java consumer", javaWithHome(t,
		"org.kitexdubbo.interop.Consumer", "-registry", nacos.URL()+"?group=kitex-group&namespace=ns-a", "-discovery", "application")))
}

// A Kitex client finds the Dubbo-Java provider (register-mode all) through
// Nacos and runs every case: by its interface-level services, by
// application (mapping, instance, MetadataService over Dubbo), and
// application-first; the provider's gray/2.0.0 export by the codec's
// version and group.
func TestNacosDiscoveryJavaProvider(t *testing.T) {
	nacos := testenv.Nacos(t)
	port := testenv.FreePort(t, "::1")
	testenv.Start(t, "Dubbo-Java provider", javaWithHome(t, "org.kitexdubbo.interop.Provider",
		"-port", strconv.Itoa(port), "-registry", nacos.URL()), 3*time.Minute)
	waitJavaProviderInNacos(t, nacos, port, time.Minute)
	sdk := newNacosSDK(t, nacos)
	for _, mode := range []nacosreg.Discovery{nacosreg.DiscoveryInterface, nacosreg.DiscoveryApplication, nacosreg.DiscoveryApplicationFirst} {
		t.Run(mode.String(), func(t *testing.T) {
			runCases(t, "", nacosClient(t, sdk, mode))
			got, err := nacosClient(t, sdk, mode, dubbo.WithServiceVersion("2.0.0"), dubbo.WithServiceGroup("gray")).
				EchoString(context.Background(), "x")
			if err != nil || got != "gray 2.0.0: x" {
				t.Fatalf("gray/2.0.0: %q, %v", got, err)
			}
		})
	}
}

// The Dubbo-Java provider registered at one level only: register-mode
// interface (no mapping, no application instance) is found by
// interface-level discovery and application-first, not by application
// alone; register-mode instance by application-level discovery and
// application-first, not by interface alone.
func TestNacosDiscoveryJavaProviderModes(t *testing.T) {
	for _, c := range []struct {
		registerMode string
		services     []string // what it registers
		finds, not   []nacosreg.Discovery
	}{
		{"interface", []string{"providers:" + JavaInterface + "::", "providers:" + JavaInterface + ":2.0.0:gray"},
			[]nacosreg.Discovery{nacosreg.DiscoveryInterface, nacosreg.DiscoveryApplicationFirst}, []nacosreg.Discovery{nacosreg.DiscoveryApplication}},
		{"instance", []string{javaProviderApp},
			[]nacosreg.Discovery{nacosreg.DiscoveryApplication, nacosreg.DiscoveryApplicationFirst}, []nacosreg.Discovery{nacosreg.DiscoveryInterface}},
	} {
		t.Run(c.registerMode, func(t *testing.T) {
			nacos := testenv.Nacos(t)
			port := testenv.FreePort(t, "::1")
			testenv.Start(t, "Dubbo-Java provider", javaWithHome(t, "org.kitexdubbo.interop.Provider",
				"-port", strconv.Itoa(port), "-registry", nacos.URL(), "-register-mode", c.registerMode), 3*time.Minute)
			waitNacos(t, "the provider's services", time.Minute, func() bool {
				for _, s := range c.services {
					if !slices.Equal(httpPorts(t, nacos, s), []int{port}) {
						return false
					}
				}
				return c.registerMode == "interface" || nacosConfig(t, nacos, JavaInterface, "mapping") == javaProviderApp
			})
			if c.registerMode == "interface" {
				if got := nacosConfig(t, nacos, JavaInterface, "mapping"); got != "" {
					t.Errorf("register-mode interface wrote the mapping %q", got)
				}
				if got := httpPorts(t, nacos, javaProviderApp); len(got) != 0 {
					t.Errorf("register-mode interface wrote application instances %v", got)
				}
			} else if got := httpPorts(t, nacos, "providers:"+JavaInterface+"::"); len(got) != 0 {
				t.Errorf("register-mode instance wrote interface-level instances %v", got)
			}
			sdk := newNacosSDK(t, nacos)
			for _, mode := range c.finds {
				t.Run(mode.String(), func(t *testing.T) { runCases(t, "", nacosClient(t, sdk, mode)) })
			}
			for _, mode := range c.not {
				_, err := nacosClient(t, sdk, mode).EchoString(context.Background(), "x")
				if !errors.Is(err, kerrors.ErrNoMoreInstance) {
					t.Errorf("%s discovery of a provider registered with register-mode %s: %v, want no instance", mode, c.registerMode, err)
				}
			}
		})
	}
}

// The Dubbo-Java provider registered only at application level, its
// metadata in Nacos (the config dataId=<app>, group=<revision>, Dubbo's
// metadata report) rather than served: the default resolver finds it there.
func TestNacosDiscoveryJavaProviderRemoteMetadata(t *testing.T) {
	nacos := testenv.Nacos(t)
	port := testenv.FreePort(t, "::1")
	testenv.Start(t, "Dubbo-Java provider", javaWithHome(t, "org.kitexdubbo.interop.Provider",
		"-port", strconv.Itoa(port), "-registry", nacos.URL(), "-app", "java-remote-md",
		"-register-mode", "instance", "-metadata-type", "remote"), 3*time.Minute)
	var revision string
	waitNacos(t, "the instance and its metadata", time.Minute, func() bool {
		s, _ := nacosInstances(t, nacos, "java-remote-md")
		if len(s.Hosts) != 1 || nacosConfig(t, nacos, JavaInterface, "mapping") == "" {
			return false
		}
		md := s.Hosts[0].Metadata
		revision = md["dubbo.metadata.revision"]
		return md["dubbo.metadata.storage-type"] == "remote" && nacosConfig(t, nacos, "java-remote-md", revision) != ""
	})
	t.Logf("metadata config java-remote-md/%s: %.300s", revision, nacosConfig(t, nacos, "java-remote-md", revision))
	runCases(t, "", nacosClient(t, newNacosSDK(t, nacos), nacosreg.DiscoveryApplicationFirst))
}

// waitNacos polls cond every 200ms for up to limit.
func waitNacos(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	for start := time.Now(); !cond(); time.Sleep(200 * time.Millisecond) {
		if time.Since(start) > limit {
			t.Fatalf("%s: not in Nacos within %v", what, limit)
		}
	}
}

// nacosClient is a Kitex client of InteropService that finds its
// providers in Nacos.
func nacosClient(t *testing.T, sdk *nacosSDK, mode nacosreg.Discovery, opts ...dubbo.Option) interopservice.Client {
	t.Helper()
	codec := dubbo.NewDubboCodec(append([]dubbo.Option{dubbo.WithJavaClassName(JavaInterface)}, opts...)...)
	res, err := nacosreg.NewNacosResolver(sdk.adapterOptions(nacosreg.WithCodec(codec), nacosreg.WithDiscovery(mode))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = res.(io.Closer).Close() })
	c, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(codec),
		client.WithRPCTimeout(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
