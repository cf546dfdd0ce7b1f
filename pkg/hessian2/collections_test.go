package hessian2

import (
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Java's typed collections, as hessian-lite 4.0.4 writes them (java-interop's
// HessianDump prints them, same names), read into `any` and written back byte
// for byte.
var javaCollections = []struct {
	name string
	hex  string
	v    any
}{
	{"Integer[] with a null", "73125b6a6176612e6c616e672e496e7465676572914e93", &JavaList{"[java.lang.Integer", []any{int32(1), nil, int32(3)}}},
	{"Long[]", "710f5b6a6176612e6c616e672e4c6f6e67e1", &JavaList{"[java.lang.Long", []any{int64(1)}}},
	{"LinkedList", "71146a6176612e7574696c2e4c696e6b65644c6973740178", &JavaList{"java.util.LinkedList", []any{"x"}}},
	{"HashSet", "71116a6176612e7574696c2e486173685365740178", &JavaList{"java.util.HashSet", []any{"x"}}},
	{"TreeMap", "4d116a6176612e7574696c2e547265654d61700161910162925a", &JavaMap{"java.util.TreeMap", []MapEntry{{"a", int32(1)}, {"b", int32(2)}}}},
	{"LinkedHashMap, z before a", "4d176a6176612e7574696c2e4c696e6b6564486173684d6170017a910161925a", &JavaMap{"java.util.LinkedHashMap", []MapEntry{{"z", int32(1)}, {"a", int32(2)}}}},
	{"ConcurrentHashMap", "4d30266a6176612e7574696c2e636f6e63757272656e742e436f6e63757272656e74486173684d6170016b915a", &JavaMap{"java.util.concurrent.ConcurrentHashMap", []MapEntry{{"k", int32(1)}}}},
}

func TestJavaCollectionsThroughAny(t *testing.T) {
	for _, c := range javaCollections {
		t.Run(c.name, func(t *testing.T) {
			in := unhex(t, c.hex)
			var x any
			if err := Unmarshal(in, &x); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(x, c.v) {
				t.Fatalf("read %#v, want %#v", x, c.v)
			}
			out, err := Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(out, in) {
				t.Fatalf("wrote %x, Java wrote %x", out, in)
			}
			g, err := GeneralizeLimit(x, 100)
			if err != nil || !reflect.DeepEqual(g, x) {
				t.Fatalf("generalized to %#v, %v", g, err)
			}
			// Attachments and other plain data keep the untyped forms.
			p, err := NewDecoder(in).DecodePlain()
			if err != nil {
				t.Fatal(err)
			}
			switch p.(type) {
			case []any, map[any]any:
			default:
				t.Fatalf("DecodePlain: %T", p)
			}
		})
	}
}

// A typed list that holds itself reads as one list, and writes back as a
// reference to itself.
func TestJavaListCycle(t *testing.T) {
	in := unhex(t, "71146a6176612e7574696c2e4c696e6b65644c6973745190") // LinkedList [ref 0]
	var x any
	if err := Unmarshal(in, &x); err != nil {
		t.Fatal(err)
	}
	l := x.(*JavaList)
	if l.Values[0] != any(l) {
		t.Fatalf("%#v", l)
	}
	out, err := Marshal(l)
	if err != nil || !reflect.DeepEqual(out, in) {
		t.Fatalf("%x %v", out, err)
	}
	g := Generalize(l).(*JavaList)
	if g.Values[0] != any(g) {
		t.Fatal("generalize broke the cycle")
	}
}

// A list bomb of typed lists stays as small as its stream through decoding,
// Generalize and encoding, and a flood of empty typed lists meets the budget.
func TestJavaListBudget(t *testing.T) {
	w := wire{}
	const levels = 60
	for range levels {
		w = append(w, 0x72) // typed list of two: the type, then both elements
		if len(w) == 1 {
			w = append(w, AppendString(nil, "java.util.LinkedList")...)
		} else {
			w = append(w, 0x90) // type reference 0
		}
	}
	w = append(w, 0x90, 0x90) // innermost: two ints
	for i := levels - 2; i >= 0; i-- {
		w = append(w, tagRef)
		w = AppendInt32(w, int32(i+1)) // the second element: a reference to the first
	}
	var x any
	if err := Unmarshal(w, &x); err != nil {
		t.Fatal(err)
	}
	g, err := GeneralizeLimit(x, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Marshal(g)
	if err != nil || len(out) > 2*len(w) {
		t.Fatalf("%d bytes from %d: %v", len(out), len(w), err)
	}
	flood := wire{}.varList()
	flood = append(flood, 0x70)
	flood = append(flood, AppendString(nil, "java.util.HashSet")...)
	for range 100_000 {
		flood = append(flood, 0x70, 0x90) // an empty HashSet, the type by reference
	}
	flood = flood.end()
	if err := Unmarshal(flood, &x); !errors.Is(err, ErrBudget) {
		t.Fatalf("100k empty typed lists into any: %v", err)
	}
}

func TestJavaMapGet(t *testing.T) {
	m := &JavaMap{Type: "java.util.LinkedHashMap", Entries: []MapEntry{{[]any{1}, "list key"}, {"k", 1}, {int64(2), "two"}}}
	if v, ok := m.Get("k"); !ok || v != 1 {
		t.Fatal(v, ok)
	}
	if _, ok := m.Get(int32(2)); ok {
		t.Fatal("int32 2 found the int64 key")
	}
	if _, ok := m.Get([]any{1}); ok {
		t.Fatal("an uncomparable key compared")
	}
}

func TestEncodeAsJavaTypes(t *testing.T) {
	cases := []struct {
		v        any
		javaType string
		hex      string
	}{
		{"x", "char", "0178"},
		{int32('x'), "char", "0178"},
		{int16('é'), "java.lang.Character", "01c3a9"},
		{"ab", "char[]", "026162"},
		{[]int32{'a', 'b'}, "char[]", "026162"},
		{[]int32{1, 2}, "java.lang.Integer[]", "72125b6a6176612e6c616e672e496e74656765729192"},
		{[]string{"x"}, "java.util.LinkedList", "71146a6176612e7574696c2e4c696e6b65644c6973740178"},
		{[]string{"x"}, "java.util.Queue", "71146a6176612e7574696c2e4c696e6b65644c6973740178"},
		{[]string{"x"}, "java.util.List", "7901" + "78"},
		{[]string{"x"}, "java.util.Collection", "790178"},
		{map[string]int32{"b": 2, "a": 1}, "java.util.TreeMap", "4d116a6176612e7574696c2e547265654d61700161910162925a"},
		{map[string]int32{"k": 1}, "java.util.concurrent.ConcurrentMap", "4d30266a6176612e7574696c2e636f6e63757272656e742e436f6e63757272656e74486173684d6170016b915a"},
		{map[string]int32{"k": 1}, "java.util.Map", "48016b915a"},
		{map[string]int32{"k": 1}, "java.util.Set", "48016b915a"}, // not a map type: as Encode writes it
	}
	for _, c := range cases {
		e := NewEncoder(nil)
		if err := e.EncodeAs(c.v, c.javaType); err != nil {
			t.Errorf("%v as %s: %v", c.v, c.javaType, err)
			continue
		}
		if got := hexOf(e.Bytes()); got != strings.ReplaceAll(c.hex, " ", "") {
			t.Errorf("%v as %s: %s, want %s", c.v, c.javaType, got, c.hex)
		}
	}
	for _, bad := range []any{int32(0x1f600), int32(0xd800), int32(-1)} {
		if err := NewEncoder(nil).EncodeAs(bad, "char"); !errors.Is(err, ErrType) {
			t.Errorf("%v as char: %v", bad, err)
		}
	}
}

type tagged struct {
	Queue   []string         `thrift:"queue,1" java:"java.util.LinkedList"`
	Sorted  map[string]int32 `thrift:"sorted,2" java:"java.util.TreeMap"`
	Initial string           `thrift:"initial,3" java:"char"`
	Plain   []string         `thrift:"plain,4"`
}

func (*tagged) JavaClassName() string { return "org.example.Tagged" }

// A field's java tag gives its value the form its Java type takes, and the
// value reads back into the plain Go field.
func TestJavaFieldTag(t *testing.T) {
	in := &tagged{Queue: []string{"a"}, Sorted: map[string]int32{"k": 1}, Initial: "x", Plain: []string{"b"}}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"java.util.LinkedList", "java.util.TreeMap"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %s in %q", want, b)
		}
	}
	var out tagged
	if err := Unmarshal(b, &out); err != nil || !reflect.DeepEqual(&out, in) {
		t.Fatalf("%+v %v", out, err)
	}
	var x any
	if err := Unmarshal(b, &x); err != nil {
		t.Fatal(err)
	}
}

// One fields slice shared by several classes (EnumSet elements of different
// enums share ["name"]) gives each class its own definition.
func TestSharedFieldsSliceTwoClasses(t *testing.T) {
	fields := []string{"name"}
	classes := []string{"org.example.A", "org.example.B", "org.example.A", "org.example.B"}
	e := NewEncoder(nil)
	e.WriteListStart("", len(classes))
	for _, c := range classes {
		e.WriteObjectStart(c, fields)
		e.WriteString("X")
	}
	var x []any
	if err := Unmarshal(e.Bytes(), &x); err != nil {
		t.Fatal(err)
	}
	for i, want := range classes {
		if got := x[i].(*JavaObject).Class; got != want {
			t.Errorf("%d: %s, want %s", i, got, want)
		}
	}
	for _, c := range classes[:2] {
		if n := strings.Count(string(e.Bytes()), c); n != 1 {
			t.Errorf("class %s defined %d times", c, n)
		}
	}
}

// Generated code writes every object through WriteObjectStart: finding the
// stream's class definition must not allocate.
func TestWriteObjectStartAllocs(t *testing.T) {
	fields := []string{"a", "b"}
	e := NewEncoder(make([]byte, 0, 1<<10))
	allocs := testing.AllocsPerRun(100, func() {
		e.Reset(e.Bytes()[:0])
		for range 3 {
			e.WriteObjectStart("org.example.A", fields)
			e.WriteInt32(1)
			e.WriteInt32(2)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per message", allocs)
	}
}

// hessian-lite writes a java.sql.Timestamp, Date or Time as an object with
// one field, value; Java reads any of them where a java.util.Date is
// declared, and so do we, including as a reference to one read before.
func TestSQLDateIntoTime(t *testing.T) {
	at := time.UnixMilli(1700000000123)
	e := NewEncoder(nil)
	e.WriteListStart("", 3)
	e.WriteObjectStart("java.sql.Timestamp", []string{"value"})
	e.WriteTime(at)
	e.b = append(e.b, tagRef, 0x91) // the same Timestamp again
	e.WriteObjectStart("java.sql.Time", []string{"value"})
	e.WriteNull()
	var got []time.Time
	if err := Unmarshal(e.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if !got[0].Equal(at) || !got[1].Equal(at) || !got[2].IsZero() {
		t.Fatalf("%v", got)
	}
	var ptrs []*time.Time // a java.Date field or parameter
	if err := Unmarshal(e.Bytes(), &ptrs); err != nil {
		t.Fatal(err)
	}
	if !ptrs[0].Equal(at) || !ptrs[1].Equal(at) || !ptrs[2].IsZero() {
		t.Fatalf("%v", ptrs)
	}
	e.Reset(nil)
	e.WriteObjectStart("java.util.UUID", []string{"value"})
	e.WriteString("x")
	var tm time.Time
	if err := Unmarshal(e.Bytes(), &tm); !errors.Is(err, ErrType) || !strings.Contains(err.Error(), "java.util.UUID where a java.util.Date") {
		t.Fatalf("%v", err)
	}
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }
