package registry

import (
	"maps"
	"testing"
	"time"
)

func TestProviderURL(t *testing.T) {
	now := time.UnixMilli(1796152896498)
	base := map[string]string{
		"interface": "org.Foo", "application": "app", "side": "provider", "dubbo": "2.0.2",
		"release": Release, "methods": "a,b,c", "timestamp": "1796152896498",
		"serialization": "hessian2", "prefer.serialization": "hessian2",
		"deprecated": "false", "dynamic": "true", "generic": "false",
	}
	with := func(kv ...string) map[string]string {
		m := maps.Clone(base)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		name string
		svc  Service
		want map[string]string
	}{
		{"no group or version: neither written", Service{}, base},
		{"group and version", Service{Group: "gray", Version: "2.0.0"}, with("group", "gray", "version", "2.0.0", "revision", "2.0.0")},
		{"weight and timeout when set", Service{Weight: 50, Timeout: 3 * time.Second}, with("weight", "50", "timeout", "3000")},
		{"extra params", Service{Params: map[string]string{"token": "t"}}, with("token", "t")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.svc
			s.Interface, s.Application, s.Host, s.Port = "org.Foo", "app", "::1", 20880
			s.Methods = []string{"c", "a", "b", "a"} // overloads repeat a name
			u := s.ProviderURL(now)
			if !maps.Equal(u.Params, tc.want) {
				t.Errorf("params\n got %v\nwant %v", u.Params, tc.want)
			}
			if u.Protocol != "dubbo" || u.Address() != "[::1]:20880" || u.Path != "org.Foo" {
				t.Errorf("URL %s", u)
			}
		})
	}
}

func TestConsumerURL(t *testing.T) {
	s := Service{Interface: "org.Foo", Application: "cli", Host: "10.0.0.8", Version: "1.0.0"}
	u := s.ConsumerURL(time.UnixMilli(1))
	if u.Protocol != "consumer" || u.Params["category"] != "consumers" || u.Params["side"] != "consumer" ||
		u.Params["check"] != "false" || u.Params["version"] != "1.0.0" || u.Port != 0 {
		t.Errorf("consumer URL %s", u)
	}
	if _, ok := u.Params["group"]; ok {
		t.Errorf("an empty group is written: %s", u)
	}
	if got := u.String(); got[:len("consumer://10.0.0.8/org.Foo?")] != "consumer://10.0.0.8/org.Foo?" {
		t.Errorf("String() = %s", got)
	}
}

func TestServiceKey(t *testing.T) {
	for _, tc := range []struct{ iface, group, version, want string }{
		{"org.Foo", "", "", "org.Foo"},
		{"org.Foo", "g", "", "g/org.Foo"},
		{"org.Foo", "", "1.0", "org.Foo:1.0"},
		{"org.Foo", "g", "1.0", "g/org.Foo:1.0"},
	} {
		if got := ServiceKey(tc.iface, tc.group, tc.version); got != tc.want {
			t.Errorf("ServiceKey(%q, %q, %q) = %q, want %q", tc.iface, tc.group, tc.version, got, tc.want)
		}
		si := &ServiceInfo{Name: tc.iface, Group: tc.group, Version: tc.version, Protocol: "dubbo"}
		if got := si.MatchKey(); got != tc.want+":dubbo" {
			t.Errorf("MatchKey %q", got)
		}
	}
}
