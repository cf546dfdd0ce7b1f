package registry

import (
	"bytes"
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/golden"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// javaRevision is what the Dubbo-Java 3.3.6 provider advertised for the
// metadata in java-metadata-response.golden.
const javaRevision = "1dbc2472d958927ac7e6562dd3363594"

// Dubbo-Java's answer to getMetadataInfo reads into MetadataInfo, and the
// revision computed from it is the one Java advertised: the same MD5 over
// the same text.
func TestJavaMetadata(t *testing.T) {
	body, err := golden.Read("testdata/java-metadata-response.golden")
	if err != nil {
		t.Fatal(err)
	}
	m, err := decodeMetadataResponse(body)
	if err != nil {
		t.Fatal(err)
	}
	if m.App != "kitexdubbo-interop-provider" || m.Revision != javaRevision {
		t.Errorf("app %q revision %q", m.App, m.Revision)
	}
	if got := m.CalRevision(); got != javaRevision {
		t.Errorf("computed revision %s, Java's %s", got, javaRevision)
	}
	plain := m.Find("org.kitexdubbo.interop.InteropService", "", "", "dubbo")
	gray := m.Find("org.kitexdubbo.interop.InteropService", "gray", "2.0.0", "dubbo")
	if plain == nil || gray == nil || plain == gray {
		t.Fatalf("services %v", m.Services)
	}
	if plain.Group != "" || plain.Version != "" || plain.Port != 20991 || gray.Params["group"] != "gray" {
		t.Errorf("plain %+v gray %+v", plain, gray)
	}
	if m.Find("org.kitexdubbo.interop.InteropService", "", "2.0.0", "dubbo") != nil {
		t.Error("found a service by version without its group")
	}
	// Cut anywhere, it fails, except where only the attachments map is
	// missing (old peers send none).
	d := hessian2.NewDecoder(body)
	if _, err := d.ReadInt32(); err != nil || d.Skip() != nil {
		t.Fatal("cannot skip the value")
	}
	for n := range len(body) {
		if _, err := decodeMetadataResponse(body[:n]); (err == nil) != (n == d.Offset()) {
			t.Fatalf("the body cut to %d of %d bytes (value ends at %d): %v", n, len(body), d.Offset(), err)
		}
	}
}

func TestRevision(t *testing.T) {
	svc := &Service{Interface: "org.Foo", Application: "app", Methods: []string{"a"}, Host: "::1", Port: 20880}
	a := NewMetadataInfo("app", NewServiceInfo(svc))
	b := NewMetadataInfo("app", NewServiceInfo(svc))
	if a.Revision == EmptyRevision || len(a.Revision) != 32 || a.Revision != b.Revision {
		t.Errorf("revisions %q and %q of the same metadata", a.Revision, b.Revision)
	}
	svc.Methods = []string{"a", "b"}
	if c := NewMetadataInfo("app", NewServiceInfo(svc)); c.Revision == a.Revision {
		t.Error("a new method kept the revision")
	}
	if d := NewMetadataInfo("other", NewServiceInfo(svc)); d.Revision == a.Revision {
		t.Error("another app kept the revision")
	}
	if e := NewMetadataInfo("app"); e.Revision != EmptyRevision {
		t.Errorf("no services: revision %q", e.Revision)
	}
}

// Our MetadataInfo reads back as it was written; an empty group and version
// go as null (Java compares service keys with Objects.equals).
func TestMetadataHessian(t *testing.T) {
	svc := &Service{Interface: "org.Foo", Application: "app", Methods: []string{"a"}, Host: "::1", Port: 20880, Timeout: time.Second}
	gray := &Service{Interface: "org.Foo", Group: "gray", Version: "2.0.0", Application: "app", Host: "::1", Port: 20880}
	m := NewMetadataInfo("app", NewServiceInfo(svc), NewServiceInfo(gray))
	b, err := hessian2.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got MetadataInfo
	if err := hessian2.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, m) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, *m)
	}
	v, err := hessian2.NewDecoder(b).DecodeValue()
	if _, ok := v.(*MetadataInfo); err != nil || !ok {
		t.Errorf("decoded as %T, %v: the class is not registered", v, err)
	}
	// name, then group and version: "org.Foo" N N for the plain service.
	if !bytes.Contains(b, append(hessian2.AppendString(nil, "org.Foo"), 'N', 'N')) {
		t.Error("the plain service's group and version are not null")
	}
}

func TestMetadataJSON(t *testing.T) {
	svc := &Service{Interface: "org.Foo", Application: "app", Host: "::1", Port: 20880}
	m := NewMetadataInfo("app", NewServiceInfo(svc))
	data, err := m.JSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseMetadataJSON(data)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Errorf("round trip %v: %+v", err, got)
	}
	for _, bad := range []string{"", "[]", `{"services":7}`, strings.Repeat(" ", MaxDataLength+1)} {
		if _, err := ParseMetadataJSON([]byte(bad)); !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%.20q: %v", bad, err)
		}
	}
}

// A MetadataService answer is whatever the instance's port sends back.
func FuzzDecodeMetadataResponse(f *testing.F) {
	// The golden answer whole is a seed only for go test: under -fuzz, Go's
	// engine stalls on it (a few executions in a minute; no input of it or
	// its mutations is slow to decode, 13us for the whole).
	if body, err := golden.Read("testdata/java-metadata-response.golden"); err == nil && !fuzzing() {
		f.Add(body)
	}
	f.Add([]byte{0x91, 'N'})
	f.Add(hessian2.AppendString([]byte{0x94}, "x"))
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := decodeMetadataResponse(body)
		if err != nil {
			return
		}
		_ = m.CalRevision()
		_ = m.Find("org.Foo", "", "", "dubbo")
	})
}

// fuzzing reports whether the test binary runs with -fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}
