package zookeeper

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/loadbalance"
	"github.com/cloudwego/kitex/pkg/loadbalance/lbcache"
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

// A resolver watching before any provider exists sees one come and go
// through its watches, and a Kitex client with a 1s balancer refresh calls
// it soon after. The delays are measured from the moment ZooKeeper holds
// (or no longer holds) the entry, and logged; the bounds are loose, in
// seconds.
func TestWatchDelay(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	zc := zkConn(t, zkAddr)
	for i, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication, DiscoveryApplicationFirst} {
		t.Run(mode.String(), func(t *testing.T) {
			app := fmt.Sprintf("delay-%d", i)
			codec := newCodec()
			clientCodec := newCodec()
			res := newResolver(t, zkAddr, WithCodec(clientCodec), WithDiscovery(mode))
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

			reg := newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo()))
			addr, stop := kitexServer(t, reg, codec, app)
			entry := "/services/" + app + "/" + addr
			if mode == DiscoveryInterface {
				entry = "" // the provider node's name is long; watch the directory
			}
			waitFor(t, "the entry in ZooKeeper", 10*time.Second, func() bool { return hasEntry(zc, entry) })
			seen := waitFor(t, "the resolver to see the provider", 3*time.Second, func() bool {
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
			waitFor(t, "the entry to go", 10*time.Second, func() bool { return !hasEntry(zc, entry) })
			gone := waitFor(t, "the resolver to drop the provider", 3*time.Second, func() bool {
				return len(resolved(t, res)) == 0
			})
			t.Logf("%s: the resolver saw the provider %v after its entry appeared; a client with a 1s refresh called it %v later, one with the default 5s refresh %v after that; the resolver dropped it %v after the entry went",
				mode, seen.Round(time.Millisecond), called.Round(time.Millisecond), calledDefault.Round(time.Millisecond), gone.Round(time.Millisecond))
		})
	}
}

// hasEntry: p exists, or with p "", some provider of iface is registered.
func hasEntry(zc *zk.Conn, p string) bool {
	if p == "" {
		kids, _, _ := zc.Children("/dubbo/" + iface + "/providers")
		return len(kids) > 0
	}
	ok, _, _ := zc.Exists(p)
	return ok
}

// A session that expires takes every ephemeral entry with it. Here it is
// made to expire as Curator's tests do: a second connection takes the
// session over (same id and password) and closes it. The registry writes
// its entries again on its next session, and the resolver's watches, ended
// by the expiry, are set again: a provider that registers afterwards is
// seen, and the client calls both.
func TestSessionExpiry(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	codec := newCodec()
	reg := newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo()))
	addr, _ := kitexServer(t, reg, codec, "expiring")
	res := newResolver(t, zkAddr, WithCodec(codec))
	waitFor(t, "the provider", 10*time.Second, func() bool { return slices.Equal(resolved(t, res), []string{addr}) })
	zc := zkConn(t, zkAddr)
	instance := "/services/expiring/" + addr
	_, st, err := zc.Get(instance)
	if err != nil {
		t.Fatal(err)
	}
	regConn, resConn := reg.(*zookeeperRegistry).c.conn, res.(*zookeeperResolver).c.conn
	killSession(t, zkAddr, regConn)
	killSession(t, zkAddr, resConn)

	waitFor(t, "the entries written again", 20*time.Second, func() bool {
		_, st2, err := zc.Get(instance)
		providers, _, _ := zc.Children("/dubbo/" + iface + "/providers")
		return err == nil && st2.EphemeralOwner != st.EphemeralOwner && st2.EphemeralOwner == regConn.SessionID() && len(providers) == 1
	})
	codec2 := newCodec()
	reg2 := newRegistry(t, zkAddr, WithService(codec2, interopservice.NewServiceInfo()))
	addr2, _ := kitexServer(t, reg2, codec2, "expiring")
	want := []string{addr, addr2}
	slices.Sort(want)
	waitFor(t, "both providers", 15*time.Second, func() bool { return slices.Equal(resolved(t, res), want) })
	if kids, _, _ := zc.Children("/dubbo/" + iface + "/consumers"); len(kids) != 1 {
		t.Errorf("consumer entries %v, want the resolver's one, written again", kids)
	}
	clientCodec := newCodec()
	cli, err := interopservice.NewClient("interop", client.WithResolver(res), client.WithCodec(clientCodec), client.WithRPCTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := cli.EchoString(context.Background(), "after expiry"); err != nil || got != "after expiry" {
		t.Fatalf("call: %q, %v", got, err)
	}
}

// A ZooKeeper restart (same data) is a reconnect, not an expiry: the
// sessions and their entries survive, and so do the resolver's watches.
func TestReconnectKeepsWatches(t *testing.T) {
	z := testenv.StartZooKeeper(t)
	codec := newCodec()
	res := newResolver(t, z.Addr, WithCodec(codec), WithDiscovery(DiscoveryInterface))
	if got := resolved(t, res); len(got) != 0 {
		t.Fatalf("resolved %v", got)
	}
	session := res.(*zookeeperResolver).c.conn.SessionID()
	z.Restart(t)
	reg := newRegistry(t, z.Addr, WithService(codec, interopservice.NewServiceInfo()))
	addr, _ := kitexServer(t, reg, codec, "after-restart")
	waitFor(t, "the provider registered after the restart", 15*time.Second, func() bool {
		return slices.Equal(resolved(t, res), []string{addr})
	})
	if got := res.(*zookeeperResolver).c.conn.SessionID(); got != session {
		t.Errorf("session %#x became %#x: the restart expired it", session, got)
	}
}

// A registration made while ZooKeeper is down waits for it (up to the
// connect timeout) instead of failing the server that asked for it: its
// writes are made again on the connection that follows.
func TestRegisterWaitsOutReconnect(t *testing.T) {
	z := testenv.StartZooKeeper(t)
	reg := newRegistry(t, z.Addr, WithService(newCodec(), interopservice.NewServiceInfo()))
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		z.Restart(t)
	}()
	waitFor(t, "ZooKeeper to go down", 15*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", z.Addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 20999}
	err := reg.Register(&kregistry.Info{ServiceName: "waiting", Addr: addr})
	<-restarted // before any Fatal: the restart reports to t too
	if err != nil {
		t.Fatalf("register while ZooKeeper restarts: %v", err)
	}
	zc := zkConn(t, z.Addr)
	if ok, _, err := zc.Exists("/services/waiting/" + addr.String()); !ok || err != nil {
		t.Fatalf("instance entry: %v, %v", ok, err)
	}
	if kids, _, err := zc.Children("/dubbo/" + iface + "/providers"); len(kids) != 1 || err != nil {
		t.Fatalf("provider entries %v, %v", kids, err)
	}
}

// killSession expires conn's session: it connects with the session's id and
// password (go-zookeeper keeps the password unexported; reflection reads it),
// which moves the session to this connection, then closes the session.
func killSession(t *testing.T, addr string, conn *zk.Conn) {
	t.Helper()
	id := conn.SessionID()
	passwd := reflect.ValueOf(conn).Elem().FieldByName("passwd").Bytes()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	// ConnectRequest: protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly.
	req := binary.BigEndian.AppendUint32(nil, 0)
	req = binary.BigEndian.AppendUint64(req, 0)
	req = binary.BigEndian.AppendUint32(req, 10000)
	req = binary.BigEndian.AppendUint64(req, uint64(id))
	req = binary.BigEndian.AppendUint32(req, uint32(len(passwd)))
	req = append(req, passwd...)
	req = append(req, 0)
	if _, err := c.Write(append(binary.BigEndian.AppendUint32(nil, uint32(len(req))), req...)); err != nil {
		t.Fatal(err)
	}
	resp := readPacket(t, c)
	if len(resp) < 16 || int64(binary.BigEndian.Uint64(resp[8:16])) != id {
		t.Fatalf("connect response %x: the session was not taken over", resp)
	}
	// RequestHeader{xid, type closeSession (-11)}.
	closeReq := binary.BigEndian.AppendUint32(nil, 1)
	closeReq = binary.BigEndian.AppendUint32(closeReq, uint32(0xFFFFFFF5))
	if _, err := c.Write(append(binary.BigEndian.AppendUint32(nil, 8), closeReq...)); err != nil {
		t.Fatal(err)
	}
	if r := readPacket(t, c); len(r) < 16 || binary.BigEndian.Uint32(r[12:16]) != 0 {
		t.Fatalf("close session reply %x", r)
	}
}

func readPacket(t *testing.T, c net.Conn) []byte {
	t.Helper()
	var n [4]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		t.Fatal(err)
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > 1<<20 {
		t.Fatalf("a %d-byte packet", size)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(c, b); err != nil {
		t.Fatal(err)
	}
	return b
}

// Providers of several applications starting at once all end up in the
// mapping: each update is a compare-and-set on the node's version.
func TestMappingCompareAndSet(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	zc := zkConn(t, zkAddr)
	if _, err := zc.Create("/dubbo", nil, 0, acl); err != nil {
		t.Fatal(err)
	}
	if _, err := zc.Create("/dubbo/mapping", nil, 0, acl); err != nil {
		t.Fatal(err)
	}
	if _, err := zc.Create("/dubbo/mapping/"+iface, []byte("java-app"), 0, acl); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		codec := newCodec()
		reg := newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo()), WithRegisterMode(RegisterInstance))
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 30000 + i}
			errs <- reg.Register(&kregistry.Info{ServiceName: fmt.Sprintf("app-%d", i), Addr: addr})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	data, st, err := zc.Get("/dubbo/mapping/" + iface)
	if err != nil {
		t.Fatal(err)
	}
	apps, _ := registry.ParseMapping(data)
	slices.Sort(apps)
	want := []string{"app-0", "app-1", "app-2", "app-3", "app-4", "app-5", "app-6", "app-7", "java-app"}
	if !slices.Equal(apps, want) {
		t.Fatalf("mapping %q, want %v", data, want)
	}
	if st.Version != n || st.EphemeralOwner != 0 {
		t.Errorf("mapping version %d (want one update per app, %d), ephemeral owner %#x (want persistent)", st.Version, n, st.EphemeralOwner)
	}
	if kids, _, _ := zc.Children("/dubbo/" + iface + "/providers"); len(kids) != 0 {
		t.Errorf("RegisterInstance wrote providers entries: %v", kids)
	}
}

// Hostile and broken entries next to a good provider: bad escapes, bad
// ports, placeholders, other groups, disabled providers, instance JSON that
// is not one, an instance whose MetadataService answers garbage or a huge
// frame. None panics; the good provider is still found.
func TestHostileEntries(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	zc := zkConn(t, zkAddr)
	codec := newCodec()
	reg := newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo()))
	addr, _ := kitexServer(t, reg, codec, "good-app")

	c := &zkClient{conn: zc}
	providers := "/dubbo/" + iface + "/providers/"
	junk := []string{
		"%zz%",
		"dubbo%3A%2F%2Fh%3Ahttp%2Fp",
		"empty%3A%2F%2F0.0.0.0%2F" + iface + "%3Fcategory%3Dproviders",
		(&registry.URL{Protocol: "dubbo", Host: "127.0.0.1", Port: 1, Path: iface, Params: map[string]string{"interface": iface, "group": "other"}}).Encoded(),
		(&registry.URL{Protocol: "dubbo", Host: "127.0.0.1", Port: 2, Path: iface, Params: map[string]string{"interface": iface, "disabled": "true"}}).Encoded(),
		(&registry.URL{Protocol: "tri", Host: "127.0.0.1", Port: 3, Path: iface}).Encoded(),
	}
	for _, j := range junk {
		if err := c.ensurePath(providers + j); err != nil {
			t.Fatal(err)
		}
	}
	garbage := garbageServer(t, []byte("\xda\xbb\x06\x14\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x03abc"))
	huge := garbageServer(t, []byte("\xda\xbb\x06\x14\x00\x00\x00\x00\x00\x00\x00\x01\x7f\xff\xff\xff"))
	if err := c.ensurePath("/services/good-app"); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"not-json":  []byte("{{{"),
		"bad-port":  []byte(`{"name":"good-app","address":"127.0.0.1","port":99999,"payload":{"metadata":{}}}`),
		"garbage":   instanceAt(t, garbage),
		"huge":      instanceAt(t, huge),
		"no-server": instanceAt(t, freeAddr(t)),
	} {
		if _, err := zc.Create("/services/good-app/"+name, data, 0, acl); err != nil {
			t.Fatal(err)
		}
	}
	for _, mode := range []Discovery{DiscoveryInterface, DiscoveryApplication} {
		res := newResolver(t, zkAddr, WithCodec(codec), WithDiscovery(mode), WithFetchTimeout(time.Second))
		waitFor(t, mode.String()+": the good provider", 10*time.Second, func() bool {
			return slices.Equal(resolved(t, res), []string{addr})
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

// instanceAt is an instance node of good-app at addr, as a Dubbo provider writes it.
func instanceAt(t *testing.T, addr string) []byte {
	t.Helper()
	host, ps, _ := net.SplitHostPort(addr)
	var port int
	fmt.Sscan(ps, &port)
	data, err := registry.NewInstance("good-app", host, port, "feedface", time.Now()).JSON()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A server with server.WithCodec (no server factory) answers the
// MetadataService too: the codec answers it in Decode.
func TestMetadataWithCodecServer(t *testing.T) {
	zkAddr := testenv.ZooKeeper(t)
	codec := newCodec(dubbo.WithServiceVersion("1.2.0"), dubbo.WithServiceGroup("blue"))
	reg := newRegistry(t, zkAddr, WithService(codec, interopservice.NewServiceInfo()), WithRegisterMode(RegisterInstance))
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

	zc := zkConn(t, zkAddr)
	var data []byte
	waitFor(t, "the instance", 10*time.Second, func() bool {
		data, _, _ = zc.Get("/services/with-codec/" + tcp.String())
		return len(data) > 0
	})
	in, err := registry.ParseInstance(data)
	if err != nil {
		t.Fatal(err)
	}
	md, err := registry.FetchMetadata(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	si := md.Find(iface, "blue", "1.2.0", "dubbo")
	if si == nil || md.Revision != in.Revision() {
		t.Fatalf("metadata %+v for instance revision %s", md, in.Revision())
	}
	if si.Params["group"] != "blue" || si.Params["version"] != "1.2.0" || int(si.Port) != tcp.Port {
		t.Errorf("service %+v", si)
	}
	// Another revision, or another application, gets no metadata.
	in.Payload.Metadata[registry.MetaRevision] = "stale"
	if _, err := registry.FetchMetadata(context.Background(), in); err == nil {
		t.Error("metadata for a stale revision")
	}
	in.Name = "someone-else"
	if _, err := registry.FetchMetadata(context.Background(), in); err == nil {
		t.Error("metadata for another application")
	}
}
