package tests

import (
	"context"
	"io"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/server"
	"github.com/go-zookeeper/zk"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry/zookeeper"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// Service discovery through a real ZooKeeper, both ways, at both of Dubbo's
// levels: the Dubbo-Java consumer finds a Kitex provider, a Kitex client
// finds the Dubbo-Java provider.

// javaIn is `java -Duser.home=<temp> -cp <java-interop> main args...`: each
// JVM its own home, so Dubbo's file caches (registry and metadata caches
// under ~/.dubbo) carry nothing from one run to the next.
func javaIn(t *testing.T, main string, args ...string) *exec.Cmd {
	return exec.Command("java", append([]string{"-Duser.home=" + t.TempDir(), "-cp", testenv.JavaClasspath(t), main}, args...)...)
}

// startRegisteredServer runs the Go InteropService on a free port of [::1]
// (Dubbo-Java dials a registered 127.x as the machine's own address),
// registered in ZooKeeper as application app, until the test ends.
func startRegisteredServer(t *testing.T, zkAddr, app string, factory bool, opts ...zookeeper.Option) string {
	t.Helper()
	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName(JavaInterface))
	reg, err := zookeeper.NewZookeeperRegistry([]string{zkAddr},
		append([]zookeeper.Option{zookeeper.WithService(codec, interopservice.NewServiceInfo())}, opts...)...)
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
	waitRegistered(t, zkAddr, app)
	return addr
}

// waitRegistered waits (up to 10s) for Kitex to register the server, a
// second after it starts serving: for its instance under /services/<app>,
// or its interface-level entry.
func waitRegistered(t *testing.T, zkAddr, app string) {
	t.Helper()
	c, _, err := zk.Connect([]string{zkAddr}, 10*time.Second, zk.WithLogInfo(false))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		apps, _, _ := c.Children("/services/" + app)
		providers, _, _ := c.Children("/dubbo/" + JavaInterface + "/providers")
		if len(apps)+len(providers) > 0 {
			return
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("%s not registered in ZooKeeper after 10s", app)
		}
	}
}

// A Kitex provider registered only at application level, served with
// server.WithCodec (no server factory): a Java consumer can only reach it
// through its mapping, instance and the MetadataService the codec answers.
func TestDiscoveryJavaConsumerApplicationOnly(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	startRegisteredServer(t, zkAddr, "kitex-app-only", false, zookeeper.WithRegisterMode(zookeeper.RegisterInstance))
	results := runConsumer(t, "Dubbo-Java consumer", javaIn(t,
		"org.kitexdubbo.interop.Consumer", "-registry", "zookeeper://"+zkAddr, "-discovery", "application"))
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
}

// A Kitex client finds the Dubbo-Java provider through ZooKeeper and runs
// every case: by its interface-level entries, by application (mapping,
// instance, MetadataService over Dubbo), and application-first; the
// provider's gray/2.0.0 export by the codec's version and group.
func TestDiscoveryJavaProvider(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	port := testenv.FreePort(t, "::1")
	testenv.Start(t, "Dubbo-Java provider", javaIn(t, "org.kitexdubbo.interop.Provider",
		"-port", strconv.Itoa(port), "-registry", "zookeeper://"+zkAddr), 3*time.Minute)
	for _, mode := range []zookeeper.Discovery{zookeeper.DiscoveryInterface, zookeeper.DiscoveryApplication, zookeeper.DiscoveryApplicationFirst} {
		t.Run(mode.String(), func(t *testing.T) {
			runCases(t, "", discoveredClient(t, zkAddr, mode))
			got, err := discoveredClient(t, zkAddr, mode, dubbo.WithServiceVersion("2.0.0"), dubbo.WithServiceGroup("gray")).
				EchoString(context.Background(), "x")
			if err != nil || got != "gray 2.0.0: x" {
				t.Fatalf("gray/2.0.0: %q, %v", got, err)
			}
		})
	}
}

// The Dubbo-Java provider registered only at application level, its
// metadata in ZooKeeper (/dubbo/metadata/<app>/<revision>) rather than
// served: the default resolver finds it there.
func TestDiscoveryJavaProviderRemoteMetadata(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	port := testenv.FreePort(t, "::1")
	testenv.Start(t, "Dubbo-Java provider", javaIn(t, "org.kitexdubbo.interop.Provider",
		"-port", strconv.Itoa(port), "-registry", "zookeeper://"+zkAddr, "-app", "java-remote-md",
		"-register-mode", "instance", "-metadata-type", "remote"), 3*time.Minute)
	runCases(t, "", discoveredClient(t, zkAddr, zookeeper.DiscoveryApplicationFirst))
}

// discoveredClient is a Kitex client of InteropService that finds its
// providers in ZooKeeper.
func discoveredClient(t *testing.T, zkAddr string, mode zookeeper.Discovery, opts ...dubbo.Option) interopservice.Client {
	t.Helper()
	codec := dubbo.NewDubboCodec(append([]dubbo.Option{dubbo.WithJavaClassName(JavaInterface)}, opts...)...)
	res, err := zookeeper.NewZookeeperResolver([]string{zkAddr}, zookeeper.WithCodec(codec), zookeeper.WithDiscovery(mode))
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
