package hessian2

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/allocs"
)

// testBig is a registered class whose Go value is large: a class definition
// with no fields makes each instance one byte on the wire.
type testBig struct {
	A, B, C, D, E, F, G, H [16]int64
}

func (*testBig) JavaClassName() string { return "org.example.Big" }

func init() { Register(&testBig{}) }

// Input that would become far more memory than its size fails with
// ErrBudget, having allocated no more than about its budget.
func TestBudgetRefusesAmplification(t *testing.T) {
	const n = 200_000
	for _, tc := range []struct {
		name string
		in   wire
		into func() any
	}{
		{"empty lists into any", wire{}.varList().repeat(n, tagListDirect).end(), func() any { return new(any) }},
		{"empty maps into any", wire{}.varList().repeat(n, tagMap, tagEnd).end(), func() any { return new(any) }},
		{"empty objects of a registered class", wire{}.varList().classDef("org.example.Big").repeat(n, tagObjectDirect).end(),
			func() any { return new(any) }},
		{"empty objects into typed structs", wire{}.varList().classDef("org.example.Big").repeat(n, tagObjectDirect).end(),
			func() any { return new([]*testBig) }},
		{"unknown classes into any", wire{}.varList().classDef("org.example.Unknown").repeat(n, tagObjectDirect).end(),
			func() any { return new(any) }},
		{"nested empty lists into typed slices", wire{}.varList().repeat(n, tagListDirect).end(), func() any { return new([][]int32) }},
		{"null strings into a string map", wire{}.raw(tagMap).repeat(n/2, 0x01, 'a'+0, tagNull).end(), func() any { return new(map[string]*testBig) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			got := allocs.Bytes(func() { err = Unmarshal(tc.in, tc.into()) })
			if !errors.Is(err, ErrBudget) || !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrBudget", err)
			}
			if !strings.Contains(err.Error(), "budget of") {
				t.Errorf("error does not name the budget: %v", err)
			}
			if limit := uint64(2*Budget(len(tc.in))) + 1<<20; got > limit {
				t.Errorf("allocated %d bytes for %d bytes of input, want at most %d", got, len(tc.in), limit)
			}
		})
	}
}

// What Java writes stays well inside the default budget.
func TestBudgetAllowsJavaData(t *testing.T) {
	ints := make([]int32, 100_000)
	for i := range ints {
		ints[i] = int32(i % 2000)
	}
	items := make([]*testItem, 5000)
	for i := range items {
		items[i] = &testItem{SKU: "sku", Qty: int32(i)}
	}
	for _, tc := range []struct {
		name string
		v    any
		into func() any
	}{
		{"small ints into any", ints, func() any { return new(any) }},
		{"small ints typed", ints, func() any { return new([]int32) }},
		{"objects into any", items, func() any { return new(any) }},
		{"objects typed", items, func() any { return new([]*testItem) }},
		{"an order", sampleOrder(), func() any { return new(testOrder) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			d := NewDecoder(b)
			if err := d.Decode(tc.into()); err != nil {
				t.Fatal(err)
			}
			if d.Spent() > Budget(len(b))*3/4 {
				t.Errorf("spent %d of %d for %d bytes", d.Spent(), Budget(len(b)), len(b))
			}
		})
	}
}

// SetBudget changes the limit: lower refuses what the default allows, 0 lifts it.
func TestSetBudget(t *testing.T) {
	b, _ := Marshal(sampleOrder())
	d := NewDecoder(b)
	d.SetBudget(64)
	if err := d.Decode(new(testOrder)); !errors.Is(err, ErrBudget) {
		t.Fatalf("budget 64: %v", err)
	}
	in := wire{}.varList().repeat(100_000, tagListDirect).end()
	d.Reset(in)
	d.SetBudget(0)
	var v any
	if err := d.Decode(&v); err != nil || len(v.([]any)) != 100_000 {
		t.Fatalf("no budget: %v", err)
	}
}

// A list header says how many elements follow, checked against the bytes
// left; but one byte may become a large Go value, so the header alone must
// not reserve memory for them all.
func TestListHeaderDoesNotPreallocate(t *testing.T) {
	const n = 1 << 20
	in := wire{}.typedList("[big", n).repeat(n, tagTrue) // a bool is no struct: fails at element 0
	var err error
	got := allocs.Bytes(func() { err = Unmarshal(in, new([]testBig)) })
	if !errors.Is(err, ErrType) {
		t.Fatalf("err = %v", err)
	}
	if got > 1<<20 {
		t.Errorf("allocated %d bytes before the first element failed", got)
	}
	// The same header with real elements still decodes whole.
	ok := wire{}.typedList("[int", 3).int32(1).int32(2).int32(3)
	var ints []int32
	if err := Unmarshal(ok, &ints); err != nil || !reflect.DeepEqual(ints, []int32{1, 2, 3}) || cap(ints) != 3 {
		t.Fatalf("%v %v cap %d", ints, err, cap(ints))
	}
}

// Back-references keep sharing through decoding and Generalize: the list
// bomb stays as small as its stream.
func TestSharedReferencesStayShared(t *testing.T) {
	in := sharedChain(60)
	var v any
	if err := Unmarshal(in, &v); err != nil {
		t.Fatal(err)
	}
	g, err := GeneralizeLimit(v, 1000)
	if err != nil {
		t.Fatalf("generalize: %v", err)
	}
	l := g.([]any)
	for range 59 {
		a, b := l[0].([]any), l[1].([]any)
		if &a[0] != &b[0] {
			t.Fatal("a back-reference became a copy")
		}
		l = a
	}
	// And it encodes back as references: about as long as it came.
	out, err := Marshal(g)
	if err != nil || len(out) > 2*len(in) {
		t.Fatalf("re-encoded to %d bytes from %d: %v", len(out), len(in), err)
	}
	if _, err := GeneralizeLimit(v, 50); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("node limit: %v", err)
	}
}

// A cycle a handler builds stays a cycle instead of running away.
func TestGeneralizeCycle(t *testing.T) {
	type node struct{ Next *node }
	n := &node{}
	n.Next = n
	m, ok := Generalize(n).(map[string]any)
	if !ok || reflect.ValueOf(m["next"]).UnsafePointer() != reflect.ValueOf(m).UnsafePointer() {
		t.Fatalf("got %#v", Generalize(n))
	}
}

// Keys that are not strings or numbers sort by a printed form made once per
// key and cut short: a key holding a widely shared value (the list bomb,
// which %v would print 2^60 times over) costs no more than a small one.
func TestMapKeysOfAnyKind(t *testing.T) {
	var bomb any
	if err := Unmarshal(sharedChain(60), &bomb); err != nil {
		t.Fatal(err)
	}
	big := &JavaObject{Class: "org.example.K", Fields: []string{"v"}, Values: []any{bomb}}
	at := time.UnixMilli(1_700_000_000_000).UTC()
	m := map[any]any{"s": 1, int32(2): 2, at: 3, at.Add(time.Hour): 4, big: 5, nil: 6, true: 7}
	a, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 { // map iteration order varies; the bytes must not
		if b, _ := Marshal(m); string(a) != string(b) {
			t.Fatal("encoding is not deterministic")
		}
	}
	if form := appendSortForm(nil, reflect.ValueOf(big)); len(form) > 2*maxSortForm {
		t.Errorf("sort form of %d bytes", len(form))
	}
}

// Attachments and the like read plain: an object of any class, registered
// or not, becomes nil and builds nothing.
func TestDecodePlain(t *testing.T) {
	in := wire{}.raw(tagMap).str("s").str("v").
		str("obj").classDef("org.example.Big").object(0).
		str("list").list(2).int32(1).object(0).
		str("exc").classDef("java.lang.RuntimeException", "detailMessage").object(1).str("boom").
		end()
	d := NewDecoder(in)
	v, err := d.DecodePlain()
	if err != nil {
		t.Fatal(err)
	}
	want := map[any]any{"s": "v", "obj": nil, "list": []any{int32(1), nil}, "exc": nil}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %#v", v)
	}
	// The same decoder reads registered classes again afterwards.
	d.Reset(wire{}.classDef("org.example.Big").object(0))
	if v, err := d.DecodeValue(); err != nil || reflect.TypeOf(v) != reflect.TypeFor[*testBig]() {
		t.Fatalf("%T %v", v, err)
	}
}

// Caucho Hessian writes an Object's Short, Byte and Float as handle objects.
func TestNumberHandles(t *testing.T) {
	short := wire{}.classDef("com.caucho.hessian.io.ShortHandle", "_value").object(0).int32(-300)
	byteH := wire{}.classDef("com.caucho.hessian.io.ByteHandle", "_value").object(0).int32(7)
	float := wire{}.classDef("com.caucho.hessian.io.FloatHandle", "_value").object(0).raw(tagDoubleShort, 0x01, 0x00)
	for _, tc := range []struct {
		name string
		in   wire
		into any
		want any
	}{
		{"short into any", short, new(any), int16(-300)},
		{"short into int16", short, new(int16), int16(-300)},
		{"short into int64", short, new(int64), int64(-300)},
		{"byte into any", byteH, new(any), int8(7)},
		{"byte into int8", byteH, new(int8), int8(7)},
		{"float into any", float, new(any), float32(256)},
		{"float into float64", float, new(float64), float64(256)},
		{"in a list", wire{}.list(2).raw(short...).object(0).int32(5), new([]int32), []int32{-300, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := Unmarshal(tc.in, tc.into); err != nil {
				t.Fatal(err)
			}
			if got := reflect.ValueOf(tc.into).Elem().Interface(); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
		})
	}
	if err := Unmarshal(short, new(int8)); !errors.Is(err, ErrType) || !strings.Contains(err.Error(), "_value") {
		t.Fatalf("overflow: %v", err)
	}
	other := wire{}.classDef("org.example.Other", "_value").object(0).int32(1)
	if err := Unmarshal(other, new(int32)); !errors.Is(err, ErrType) || !strings.Contains(err.Error(), "org.example.Other") {
		t.Fatalf("other class: %v", err)
	}
}

// A generic caller passes an enum by its constant's name.
func TestEnumByName(t *testing.T) {
	var c testColor
	if err := Unmarshal(wire{}.str("GREEN"), &c); err != nil || c != colorGreen {
		t.Fatalf("%v %v", c, err)
	}
	if err := Unmarshal(wire{}.str("PINK"), &c); !errors.Is(err, ErrType) || !strings.Contains(err.Error(), "PINK") {
		t.Fatalf("unknown constant: %v", err)
	}
}

// ReadListStart and ReadListNext read a list element by element, fixed or
// 'Z'-terminated, with the nesting level left at the end.
func TestReadList(t *testing.T) {
	for _, in := range []wire{
		wire{}.list(2).int32(1).int32(2),
		wire{}.varList().int32(1).int32(2).end(),
	} {
		d := NewDecoder(in)
		_, n, err := d.ReadListStart()
		if err != nil {
			t.Fatal(err)
		}
		var got []int32
		for i := 0; ; i++ {
			more, err := d.ReadListNext(n, i)
			if err != nil {
				t.Fatal(err)
			}
			if !more {
				break
			}
			v, err := d.ReadInt32()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, v)
		}
		if !reflect.DeepEqual(got, []int32{1, 2}) || d.Remaining() != 0 || d.depth != 0 {
			t.Fatalf("%x: %v, %d left, depth %d", []byte(in), got, d.Remaining(), d.depth)
		}
	}
	if _, _, err := NewDecoder(wire{}.int32(1)).ReadListStart(); !errors.Is(err, ErrType) {
		t.Fatalf("not a list: %v", err)
	}
	d := NewDecoder(wire{}.varList())
	_, n, _ := d.ReadListStart()
	if _, err := d.ReadListNext(n, 0); !errors.Is(err, ErrShortBuffer) {
		t.Fatalf("cut list: %v", err)
	}
}

// SetMaxSize stops an encoder that a value's sharing would make write far
// more than it holds.
func TestEncoderMaxSize(t *testing.T) {
	type level struct{ A, B *level }
	var root *level
	for range 40 { // 2^40 nodes when written out
		root = &level{A: root, B: root}
	}
	e := NewEncoder(nil)
	e.SetMaxSize(1 << 20)
	if err := e.Encode(root); err != nil {
		t.Fatalf("a recursive type is written by reference: %v", err)
	}
	type tree struct{ Kids []*tree }
	wide := &tree{}
	for range 1000 {
		wide.Kids = append(wide.Kids, &tree{Kids: make([]*tree, 100)})
	}
	e = NewEncoder(nil)
	e.SetMaxSize(10_000)
	if err := e.Encode(wide); !errors.Is(err, ErrTooLarge) || len(e.Bytes()) > 20_000 {
		t.Fatalf("err %v with %d bytes written", err, len(e.Bytes()))
	}
}

// NewIn hands out a list's structs from chunks: 8 at first, then as many as
// were handed out, never more than the header says are left, each chunk
// charged whole.
func TestNewIn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n, use int   // header's count (-1: none), elements taken
		chunks []int // the capacities of the chunks allocated
	}{
		{"header of 3", 3, 3, []int{3}},
		{"header of 10", 10, 10, []int{8, 2}},
		{"header of 100", 100, 100, []int{8, 8, 16, 32, 36}},
		{"no header", -1, 20, []int{8, 8, 16}},
		{"header says more than come", 1000, 5, []int{8}},
		{"header says fewer than come", 2, 4, []int{2, 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDecoder(make([]byte, 1<<16))
			var chunk []testBig
			var caps []int
			seen := map[*testBig]bool{}
			for i := range tc.use {
				p, err := NewIn(d, &chunk, tc.n, i)
				if err != nil {
					t.Fatal(err)
				}
				if len(chunk) == 1 { // a new chunk
					caps = append(caps, cap(chunk))
				}
				if seen[p] || *p != (testBig{}) {
					t.Fatalf("element %d: reused or not zero", i)
				}
				seen[p] = true
				p.A[0] = int64(i)
			}
			if !reflect.DeepEqual(caps, tc.chunks) {
				t.Errorf("chunks %v, want %v", caps, tc.chunks)
			}
		})
	}
	d := NewDecoder([]byte{0})
	d.SetBudget(4 << 10)
	var chunk []testBig
	if _, err := NewIn(d, &chunk, 1000, 0); !errors.Is(err, ErrBudget) {
		t.Errorf("a chunk of 8 KiB within a budget of 4 KiB: err = %v, want ErrBudget", err)
	}
}

// A reference to a list the reflective path read into a typed slice (it
// keeps the slice's address, not a boxed copy) yields that list, also when
// the list it sits in has grown since.
func TestReferencedTypedLists(t *testing.T) {
	type pair struct {
		A []string `hessian:"a"`
		B []string `hessian:"b"`
	}
	var p pair
	// Object 0, its list a is reference 1.
	in := wire{}.classDef("org.example.Pair", "a", "b").object(0).list(2).str("x").str("y").ref(1)
	if err := Unmarshal(in, &p); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p.B, []string{"x", "y"}) || &p.A[0] != &p.B[0] {
		t.Fatalf("got %+v", p)
	}
	// An untyped list of 6 lists, the last a reference to the first: the
	// outer slice grows (4, then 6) after the first is read.
	w := wire{}.varList().list(1).str("first")
	for i := range 4 {
		w = w.list(1).str(string(rune('a' + i)))
	}
	w = w.ref(1).end()
	var ll [][]string
	if err := Unmarshal(w, &ll); err != nil {
		t.Fatal(err)
	}
	if len(ll) != 6 || !reflect.DeepEqual(ll[5], []string{"first"}) {
		t.Fatalf("got %v", ll)
	}
}

// A reference to a list or an object read as a map's value yields that
// value, not whatever the next entry left where it was read.
func TestReferencedMapValues(t *testing.T) {
	type lists struct {
		M map[string][]string `hessian:"m"`
		R []string            `hessian:"r"`
	}
	// Object 0, map 1, list "a" 2, list "b" 3.
	in := wire{}.classDef("org.example.Lists", "m", "r").object(0).
		raw(tagMap).str("a").list(1).str("x").str("b").list(1).str("y").end().ref(2)
	var l lists
	if err := Unmarshal(in, &l); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(l.R, []string{"x"}) || !reflect.DeepEqual(l.M["b"], []string{"y"}) {
		t.Fatalf("got %+v", l)
	}
	type point struct {
		X int32 `hessian:"x"`
	}
	type points struct {
		M map[string]point `hessian:"m"`
		R point            `hessian:"r"`
	}
	// Object 0, map 1, point "a" 2, point "b" 3.
	in = wire{}.classDef("org.example.Points", "m", "r").object(0).raw(tagMap).
		str("a").classDef("org.example.Point", "x").object(1).int32(1).str("b").object(1).int32(2).end().ref(2)
	var p points
	if err := Unmarshal(in, &p); err != nil {
		t.Fatal(err)
	}
	if p.R.X != 1 || p.M["b"].X != 2 {
		t.Fatalf("got %+v", p)
	}
}
