package bridge

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
)

func TestAdvertised(t *testing.T) {
	for _, c := range []struct {
		addr     net.Addr
		host     string
		wantHost string
		wantPort int
		wantErr  bool
	}{
		{&net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 20880}, "", "10.0.0.7", 20880, false},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 20880}, "", "::1", 20880, false},
		{&net.TCPAddr{IP: net.IPv4(10, 0, 0, 7), Port: 20880}, "gw.example", "gw.example", 20880, false},
		{&net.TCPAddr{IP: net.IPv4(10, 0, 0, 7)}, "", "", 0, true},
		{&net.UnixAddr{Name: "/tmp/s", Net: "unix"}, "", "", 0, true},
	} {
		h, p, err := Advertised(c.addr, c.host)
		if (err != nil) != c.wantErr || h != c.wantHost || p != c.wantPort {
			t.Errorf("Advertised(%v, %q) = %q, %d, %v; want %q, %d, error %v", c.addr, c.host, h, p, err, c.wantHost, c.wantPort, c.wantErr)
		}
	}
	// An unspecified address is this machine's, or an error saying there is none.
	h, _, err := Advertised(&net.TCPAddr{IP: net.IPv4zero, Port: 1}, "")
	if err == nil && (h == "" || net.ParseIP(h).IsUnspecified() || net.ParseIP(h).IsLoopback()) {
		t.Errorf("0.0.0.0 advertised as %q", h)
	}
	if err != nil && !errors.Is(err, ErrNoAddress) {
		t.Errorf("0.0.0.0: %v", err)
	}
}

func TestKitexInstance(t *testing.T) {
	for _, c := range []struct {
		params map[string]string
		weight int
		tags   map[string]string
	}{
		{nil, DefaultWeight, map[string]string{}},
		{map[string]string{"weight": "7", "group": "g", "version": "1", "application": "a", "side": "provider"}, 7,
			map[string]string{"group": "g", "version": "1", "application": "a"}},
		{map[string]string{"weight": "-1"}, DefaultWeight, map[string]string{}},
		{map[string]string{"weight": "x"}, DefaultWeight, map[string]string{}},
		{map[string]string{"weight": "0"}, 0, map[string]string{}},
	} {
		in := KitexInstance("::1", 20880, c.params)
		if in.Address().String() != "[::1]:20880" || in.Weight() != c.weight {
			t.Errorf("%v: %s weight %d, want [::1]:20880 weight %d", c.params, in.Address(), in.Weight(), c.weight)
		}
		for k, v := range c.tags {
			if got, _ := in.Tag(k); got != v {
				t.Errorf("%v: tag %s=%q, want %q", c.params, k, got, v)
			}
		}
		if _, ok := in.Tag("side"); ok {
			t.Errorf("%v: tag side", c.params)
		}
	}
}

// The port a service is called on: its own, else the instance's Dubbo
// endpoint, else the instance's port; a service of another key, or one
// the subscription does not match, is none.
func TestFromMetadata(t *testing.T) {
	const iface = "org.example.Greeter"
	instance := func(endpoints string) *registry.Instance {
		p := 1000
		return &registry.Instance{Name: "app", Address: "[::1]", Port: &p,
			Payload: &registry.InstancePayload{Metadata: map[string]string{registry.MetaEndpoints: endpoints}}}
	}
	svc := func(port int32, group string) *registry.MetadataInfo {
		s := registry.NewServiceInfo(&registry.Service{Interface: iface, Group: group, Application: "app", Port: int(port)})
		s.Port = port
		return registry.NewMetadataInfo("app", s)
	}
	sub := (&registry.Service{Interface: iface}).Subscription()
	for _, c := range []struct {
		name string
		in   *registry.Instance
		md   *registry.MetadataInfo
		want string
	}{
		{"own port", instance(`[{"port":2000,"protocol":"dubbo"}]`), svc(3000, ""), "[::1]:3000"},
		{"endpoint", instance(`[{"port":2000,"protocol":"dubbo"}]`), svc(0, ""), "[::1]:2000"},
		{"out of range: endpoint", instance(`[{"port":2000,"protocol":"dubbo"}]`), svc(70000, ""), "[::1]:2000"},
		{"no endpoint", instance(`[{"port":99999,"protocol":"dubbo"},{"port":5,"protocol":"tri"}]`), svc(0, ""), "[::1]:1000"},
		{"endpoints not JSON", instance(`{{`), svc(0, ""), "[::1]:1000"},
		{"another group", instance(""), svc(3000, "other"), ""},
	} {
		got := FromMetadata(sub, iface, "", "", c.in, c.md)
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%s: %s, want none", c.name, got.Address())
		case c.want != "" && (got == nil || got.Address().String() != c.want):
			t.Errorf("%s: %v, want %s", c.name, got, c.want)
		}
	}
}

// Registrations of one application through one codec are each answered
// for their own revision until withdrawn; the last withdrawn, the codec
// answers none.
func TestMetadataServer(t *testing.T) {
	codec := dubbo.NewDubboCodec(dubbo.WithJavaClassName("org.example.Greeter"))
	md := func(port int) *registry.MetadataInfo {
		return registry.NewMetadataInfo("app", registry.NewServiceInfo(&registry.Service{Interface: "org.example.Greeter", Application: "app", Port: port}))
	}
	a, b := md(1), md(2)
	var s MetadataServer
	s.Serve(codec, a)
	s.Serve(codec, b)
	for _, c := range []struct {
		revision string
		want     *registry.MetadataInfo
	}{{a.Revision, a}, {b.Revision, b}, {"", b}, {"stale", nil}} {
		if got, _ := s.lookup(codec, "app", c.revision).(*registry.MetadataInfo); got != c.want {
			t.Errorf("revision %q: %v, want %v", c.revision, got, c.want)
		}
	}
	s.Withdraw(codec, b)
	if got := s.lookup(codec, "app", a.Revision); got != a {
		t.Errorf("after withdrawing b, a's revision: %v", got)
	}
	if got := s.lookup(codec, "app", b.Revision); got != nil {
		t.Errorf("after withdrawing b, b's revision: %v", got)
	}
	s.Withdraw(codec, a)
	s.Withdraw(codec, a) // again: nothing
	if len(s.m) != 0 {
		t.Errorf("left %v", s.m)
	}
}

func TestMetadataCacheRemote(t *testing.T) {
	p := 1
	in := &registry.Instance{Name: "app", Address: "127.0.0.1", Port: &p, Payload: &registry.InstancePayload{Metadata: map[string]string{
		registry.MetaRevision: "r1", registry.MetaStorageType: registry.StorageRemote}}}
	calls := 0
	mc := NewMetadataCache(time.Second, func(app, revision string) ([]byte, error) {
		calls++
		if app != "app" || revision != "r1" {
			return nil, errors.New("asked the wrong config")
		}
		return []byte(`{"app":"app","revision":"r1","services":{}}`), nil
	})
	for range 3 {
		got := mc.GetAll([]*registry.Instance{in, in})
		if got[0].Err != nil || got[0].Info.Revision != "r1" || got[1].Info != got[0].Info {
			t.Fatalf("GetAll: %+v", got)
		}
	}
	if calls != 1 {
		t.Errorf("read the remote store %d times, want once", calls)
	}
	if _, err := NewMetadataCache(time.Second, nil).Get(in); err == nil {
		t.Error("remote metadata without a store")
	}
	in.Payload.Metadata[registry.MetaRevision] = registry.EmptyRevision
	if _, err := mc.Get(in); err == nil {
		t.Error("metadata of the empty revision")
	}
}
