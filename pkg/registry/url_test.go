package registry

import (
	"errors"
	"maps"
	"os"
	"strings"
	"testing"
)

func TestEncode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"org.example.Greet_Provider-1", "org.example.Greet_Provider-1"},
		{"a b", "a+b"},
		{"*", "*"},      // Java keeps it; Go's QueryEscape does not
		{"~", "%7E"},    // Java escapes it; Go's QueryEscape does not
		{"é", "%C3%A9"}, // UTF-8 bytes, upper-case hex
		{"a&b=c", "a%26b%3Dc"},
		{"dubbo://[::1]:20880/x?a=b&c=d,e", "dubbo%3A%2F%2F%5B%3A%3A1%5D%3A20880%2Fx%3Fa%3Db%26c%3Dd%2Ce"},
		{"", ""},
	} {
		if got := Encode(tc.in); got != tc.want {
			t.Errorf("Encode(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back, err := Decode(tc.want); err != nil || back != tc.in {
			t.Errorf("Decode(%q) = %q, %v; want %q", tc.want, back, err, tc.in)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"%c3%a9", "é"}, // either case of hex
		{"a+b%20c", "a b c"},
	} {
		if got, err := Decode(tc.in); err != nil || got != tc.want {
			t.Errorf("Decode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"%", "%2", "a%zz", "%2g"} {
		if _, err := Decode(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%q): %v, want ErrMalformed", bad, err)
		}
	}
}

// The two providers entries a Dubbo-Java 3.3.6 provider wrote in ZooKeeper
// (java-interop's Provider: plain, and group gray version 2.0.0) parse, and
// encoding what was parsed gives the very node names back: parameter order,
// escapes and the bracketed IPv6 host are Java's.
func TestJavaProviderNodes(t *testing.T) {
	raw, err := os.ReadFile("testdata/java-providers.txt")
	if err != nil {
		t.Fatal(err)
	}
	nodes := strings.Fields(string(raw))
	if len(nodes) != 2 {
		t.Fatalf("%d nodes in the golden file", len(nodes))
	}
	for _, node := range nodes {
		u, err := ParseEncodedURL(node)
		if err != nil {
			t.Fatal(err)
		}
		if u.Protocol != "dubbo" || u.Host != "::1" || u.Port != 20991 || u.Path != "org.kitexdubbo.interop.InteropService" {
			t.Errorf("parsed %+v", u)
		}
		if u.Params["side"] != "provider" || u.Params["release"] != "3.3.6" || !strings.HasPrefix(u.Params["methods"], "average,countMap,") {
			t.Errorf("params %v", u.Params)
		}
		if got := u.Encoded(); got != node {
			t.Errorf("re-encoded:\n got %s\nwant %s", got, node)
		}
		_, hasGroup := u.Params["group"]
		if hasGroup != (u.Params["version"] == "2.0.0") {
			t.Errorf("group and version belong to the gray export only: %v", u.Params)
		}
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     URL
	}{
		{"Dubbo 3.3 IPv6", "dubbo://[::1]:20880/org.Foo?interface=org.Foo&side=provider",
			URL{Protocol: "dubbo", Host: "::1", Port: 20880, Path: "org.Foo", Params: map[string]string{"interface": "org.Foo", "side": "provider"}}},
		{"Dubbo 2.7 IPv6 without brackets", "dubbo://::1:20880/org.Foo?anyhost=false&pid=7",
			URL{Protocol: "dubbo", Host: "::1", Port: 20880, Path: "org.Foo", Params: map[string]string{"anyhost": "false", "pid": "7"}}},
		{"IPv4", "dubbo://10.0.0.7:20880/org.Foo",
			URL{Protocol: "dubbo", Host: "10.0.0.7", Port: 20880, Path: "org.Foo"}},
		{"bracketed IPv6 without a port", "dubbo://[fe80::1]/org.Foo",
			URL{Protocol: "dubbo", Host: "fe80::1", Path: "org.Foo"}},
		{"user and password", "zookeeper://admin:s3cret@zk1:2181/org.apache.dubbo.registry.RegistryService",
			URL{Protocol: "zookeeper", Username: "admin", Password: "s3cret", Host: "zk1", Port: 2181, Path: "org.apache.dubbo.registry.RegistryService"}},
		{"empty placeholder", "empty://0.0.0.0/org.Foo?category=providers",
			URL{Protocol: "empty", Host: "0.0.0.0", Path: "org.Foo", Params: map[string]string{"category": "providers"}}},
		{"Dubbo 2 default. keys; ; separators; a key without a value; value with =",
			"dubbo://h:1/p?default.timeout=3000;weight=5&flag&k=a=b",
			URL{Protocol: "dubbo", Host: "h", Port: 1, Path: "p", Params: map[string]string{"default.timeout": "3000", "timeout": "3000", "weight": "5", "flag": "", "k": "a=b"}}},
		{"fragment dropped", "dubbo://h:1/p#frag", URL{Protocol: "dubbo", Host: "h", Port: 1, Path: "p"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseURL(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want.Params == nil {
				tc.want.Params = got.Params
			}
			if got.Protocol != tc.want.Protocol || got.Username != tc.want.Username || got.Password != tc.want.Password ||
				got.Host != tc.want.Host || got.Port != tc.want.Port || got.Path != tc.want.Path || !maps.Equal(got.Params, tc.want.Params) {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"bad port", "dubbo://h:http/p", ErrMalformed},
		{"port out of range", "dubbo://h:70000/p", ErrMalformed},
		{"no protocol", "://h:1/p", ErrMalformed},
		{"bracket inside the host", "dubbo://]:1/p", ErrMalformed},
		{"port without host", "dubbo://[]:1/p", ErrMalformed},
		{"@ in the host", "@:", ErrMalformed},
		{"too long", "dubbo://h:1/p?a=" + strings.Repeat("x", MaxURLLength), ErrTooLarge},
		{"too many params", "dubbo://h:1/p?" + manyParams(MaxParams+1), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseEncodedURL(Encode(tc.in)); !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := ParseEncodedURL("dubbo%3A%2F%2Fh%3A1%2Fp%3Fa%3D%zz"); !errors.Is(err, ErrMalformed) {
		t.Errorf("a bad escape: %v, want ErrMalformed", err)
	}
}

func manyParams(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString("k")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(string(rune('a' + i/26%26)))
		b.WriteString(string(rune('a' + i/676%26)))
		b.WriteString("=v")
	}
	return b.String()
}

// Values Dubbo's separators would cut (&, ;), =, %, spaces and non-ASCII
// text come back as they were from a node name.
func TestURLRoundTrip(t *testing.T) {
	u := &URL{Protocol: "dubbo", Host: "::1", Port: 20880, Path: "org.Foo", Params: map[string]string{
		"amp":     "a&b",
		"eq":      "x=y=z",
		"semi":    "p;q",
		"pct":     "100%25 sure",
		"space":   "hello world",
		"unicode": "grüße, 世界",
		"k=ey":    "v",
		"empty":   "",
	}}
	got, err := ParseEncodedURL(u.Encoded())
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.Params, u.Params) || got.Host != u.Host || got.Port != u.Port || got.Path != u.Path {
		t.Errorf("round trip:\n got %+v\nwant %+v", *got, *u)
	}
	if s := u.String(); !strings.HasPrefix(s, "dubbo://[::1]:20880/org.Foo?amp=a%26b&empty=&eq=x=y=z&k%3Dey=v&pct=100%2525 sure&semi=p%3Bq&space=hello world&") {
		t.Errorf("String() = %s", s)
	}
}

func FuzzParseEncodedURL(f *testing.F) {
	raw, _ := os.ReadFile("testdata/java-providers.txt")
	for _, n := range strings.Fields(string(raw)) {
		f.Add(n)
	}
	f.Add("dubbo%3A%2F%2F%3A%3A1%3A20880%2Fp%3Fa%3D1%3Bb")
	f.Add("%3F%26%3D%")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseEncodedURL(s)
		if err != nil {
			return
		}
		// What parsed must survive writing and reading again.
		v, err := ParseEncodedURL(u.Encoded())
		if err != nil {
			t.Fatalf("re-parse of %q (from %q): %v", u.Encoded(), s, err)
		}
		if v.Port != u.Port {
			t.Fatalf("port %d became %d", u.Port, v.Port)
		}
	})
}
