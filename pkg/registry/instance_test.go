package registry

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// The instance node a Dubbo-Java 3.3.6 provider wrote reads as Dubbo's
// consumer reads it.
func TestJavaInstance(t *testing.T) {
	data, err := os.ReadFile("testdata/java-instance.json")
	if err != nil {
		t.Fatal(err)
	}
	in, err := ParseInstance(data)
	if err != nil {
		t.Fatal(err)
	}
	if in.Host() != "::1" || *in.Port != 20991 || in.ID != "[::1]:20991" || in.Revision() != javaRevision ||
		in.StorageType() != StorageLocal || in.Meta(MetaVersion) != "1.0.0" {
		t.Errorf("instance %+v", in)
	}
	eps, err := in.Endpoints()
	if err != nil || len(eps) != 1 || eps[0] != (Endpoint{Port: 20991, Protocol: "dubbo"}) {
		t.Errorf("endpoints %v, %v", eps, err)
	}
	p, err := in.ServiceParams()
	if err != nil || p["version"] != "1.0.0" || p["port"] != "20991" || p["protocol"] != "dubbo" {
		t.Errorf("url-params %v, %v", p, err)
	}
}

// Ours has Java's fields in Java's order, the payload's @class, and the
// metadata a Java consumer needs.
func TestNewInstance(t *testing.T) {
	java, _ := os.ReadFile("testdata/java-instance.json")
	in := NewInstance("app", "::1", 20880, "abc", time.UnixMilli(1796152897290))
	ours, err := in.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonKeys(t, ours), jsonKeys(t, java); !slices.Equal(got, want) {
		t.Errorf("keys\n got %v\nwant %v", got, want)
	}
	back, err := ParseInstance(ours)
	if err != nil {
		t.Fatal(err)
	}
	if back.Address != "[::1]" || back.ID != "[::1]:20880" || back.Payload.Class != "org.apache.dubbo.registry.zookeeper.ZookeeperInstance" ||
		back.Revision() != "abc" || back.StorageType() != "local" || back.Meta("meta-v") != "1.0.0" {
		t.Errorf("instance %s", ours)
	}
	p, _ := back.ServiceParams()
	if p["version"] != "1.0.0" || p["port"] != "20880" || p["prefer.serialization"] != "hessian2" {
		t.Errorf("url-params %v", p)
	}
	if !strings.Contains(string(ours), `"sslPort":null`) || !strings.Contains(string(ours), `"uriSpec":null`) {
		t.Errorf("Curator's nulls missing: %s", ours)
	}
}

// jsonKeys lists an object's keys and its payload's, in order.
func jsonKeys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(data)))
	var keys []string
	depth := 0
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' {
				depth++
				expectKey = true
				continue
			}
			if v == '}' {
				depth--
			}
		case string:
			if expectKey && depth <= 2 {
				keys = append(keys, strings.Repeat(".", depth-1)+v)
				expectKey = false
				continue
			}
		}
		expectKey = dec.More() && depth > 0
	}
}

func TestParseInstanceErrors(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"not JSON", "{"},
		{"no address", `{"port":1,"payload":{"metadata":{}}}`},
		{"no port", `{"address":"h","payload":{"metadata":{}}}`},
		{"port out of range", `{"address":"h","port":70000,"payload":{"metadata":{}}}`},
		{"no payload", `{"address":"h","port":1}`},
		{"too large", strings.Repeat(" ", MaxDataLength+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseInstance([]byte(tc.data)); !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Errorf("error %v", err)
			}
		})
	}
	in, err := ParseInstance([]byte(`{"address":"h","port":1,"payload":{"metadata":{"dubbo.endpoints":"[{","dubbo.metadata-service.url-params":"7"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Endpoints(); !errors.Is(err, ErrMalformed) {
		t.Errorf("endpoints: %v", err)
	}
	if _, err := in.ServiceParams(); !errors.Is(err, ErrMalformed) {
		t.Errorf("url-params: %v", err)
	}
}

func TestMapping(t *testing.T) {
	for _, tc := range []struct {
		data, app string
		want      string
		changed   bool
	}{
		{"", "a", "a", true},
		{"a", "a", "a", false},
		{"a", "b", "a,b", true},
		{"a, b ,,", "b", "a, b ,,", false},
		{"  ", "a", "a", true},
	} {
		got, changed := AddToMapping([]byte(tc.data), tc.app)
		if string(got) != tc.want || changed != tc.changed {
			t.Errorf("AddToMapping(%q, %q) = %q, %v; want %q, %v", tc.data, tc.app, got, changed, tc.want, tc.changed)
		}
	}
	apps, err := ParseMapping([]byte(" a,b,,a , c"))
	if err != nil || !slices.Equal(apps, []string{"a", "b", "c"}) {
		t.Errorf("ParseMapping: %v, %v", apps, err)
	}
	if _, err := ParseMapping([]byte(strings.Repeat("x,", MaxParams+1))); err != nil {
		t.Errorf("repeats count once: %v", err)
	}
	many := strings.ReplaceAll(manyParams(MaxParams+1), "&", ",")
	if _, err := ParseMapping([]byte(many)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%d applications: %v, want ErrTooLarge", MaxParams+1, err)
	}
}

func FuzzParseInstance(f *testing.F) {
	java, _ := os.ReadFile("testdata/java-instance.json")
	f.Add(java)
	f.Add([]byte(`{"address":"h","port":1,"payload":{"metadata":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseInstance(data)
		if err != nil {
			return
		}
		_ = in.Host()
		_, _ = in.Endpoints()
		_, _ = in.ServiceParams()
		_ = in.Revision() + in.StorageType()
	})
}
