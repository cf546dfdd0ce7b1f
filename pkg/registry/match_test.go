package registry

import (
	"testing"
)

func TestIsMatch(t *testing.T) {
	const foo = "org.Foo"
	consumer := func(kv ...string) *URL {
		return url("consumer", foo, append([]string{"category", "providers"}, kv...)...)
	}
	provider := func(kv ...string) *URL { return url("dubbo", foo, kv...) }
	for _, tc := range []struct {
		name string
		c, p *URL
		want bool
	}{
		{"plain", consumer(), provider(), true},
		{"other interface", consumer(), url("dubbo", "org.Bar"), false},
		{"interface param wins over path", consumer(), url("dubbo", "org.Bar", "interface", foo), true},
		{"consumer *", url("consumer", "*", "category", "providers"), url("dubbo", "org.Bar"), true},
		{"provider *", consumer(), url("dubbo", "*"), true},
		{"empty placeholder", consumer(), url("empty", foo, "category", "providers"), false},
		{"consumer without category takes providers", url("consumer", foo), provider(), true},
		{"provider of configurators", consumer(), provider("category", "configurators"), false},
		{"categories list", consumer("category", "providers,routers"), provider("category", "routers"), true},
		{"categories *", consumer("category", "*"), provider("category", "routers"), true},
		{"categories exclusion", consumer("category", "-routers"), provider(), true},
		{"categories exclusion hits", consumer("category", "-providers"), provider(), false},
		{"enabled=false", consumer(), provider("enabled", "false"), false},
		{"enabled=false, consumer enabled=*", consumer("enabled", "*"), provider("enabled", "false"), true},
		{"enabled empty is the default", consumer(), provider("enabled", ""), true},
		{"enabled=xyz is not true", consumer(), provider("enabled", "xyz"), false},
		{"disabled=true", consumer(), provider("disabled", "true"), false},
		{"disabled=false wins over enabled=false", consumer(), provider("disabled", "false", "enabled", "false"), true},
		{"group equal", consumer("group", "g"), provider("group", "g"), true},
		{"group missing on provider", consumer("group", "g"), provider(), false},
		{"group missing on consumer", consumer(), provider("group", "g"), false},
		{"group * on consumer", consumer("group", "*"), provider("group", "g"), true},
		{"group * on consumer, none on provider", consumer("group", "*"), provider(), true},
		{"group list", consumer("group", "a, g ,b"), provider("group", "g"), true},
		{"group list miss", consumer("group", "a,b"), provider("group", "g"), false},
		// Dubbo keeps "" as a value: an empty group= is not "no group".
		{"empty group on provider", consumer(), provider("group", ""), false},
		{"empty group on both", consumer("group", ""), provider("group", ""), true},
		{"version equal", consumer("version", "1.0.0"), provider("version", "1.0.0"), true},
		{"version differs", consumer("version", "1.0.0"), provider("version", "2.0.0"), false},
		{"version missing on consumer", consumer(), provider("version", "1.0.0"), false},
		{"version * on consumer", consumer("version", "*"), provider("version", "1.0.0"), true},
		{"empty version on provider", consumer(), provider("version", ""), false},
		{"classifier set on provider only", consumer(), provider("classifier", "x"), true},
		{"classifier equal", consumer("classifier", "x"), provider("classifier", "x"), true},
		{"classifier differs", consumer("classifier", "x"), provider("classifier", "y"), false},
		{"classifier * on consumer", consumer("classifier", "*"), provider("classifier", "y"), true},
		{"protocol checked when the consumer names one", url("dubbo", foo, "category", "providers"), url("tri", foo), false},
		{"protocol not checked for consumer://", consumer(), url("tri", foo), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsMatch(tc.c, tc.p); got != tc.want {
				t.Errorf("IsMatch(%s, %s) = %v, want %v", tc.c, tc.p, got, tc.want)
			}
		})
	}
}

func url(protocol, path string, kv ...string) *URL {
	u := &URL{Protocol: protocol, Host: "10.0.0.7", Port: 20880, Path: path, Params: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		u.Params[kv[i]] = kv[i+1]
	}
	return u
}
