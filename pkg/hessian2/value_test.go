package hessian2

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

type testItem struct {
	SKU   string            `thrift:"sku,1"`
	Qty   int32             `thrift:"qty,2"`
	Price float64           `thrift:"price,3"`
	Tags  []string          `thrift:"tags,4"`
	Attrs map[string]string `thrift:"attrs,5"`
}

func (*testItem) JavaClassName() string { return "org.example.Item" }

type testOrder struct {
	ID       int64
	Buyer    *string
	Items    []*testItem
	ByName   map[string]*testItem
	Created  time.Time
	Paid     *bool
	Raw      []byte
	Note     any
	Small    int8
	Medium   int16
	Ratio    float32
	Plain    *testPlain
	Renamed  string `hessian:"java_name"`
	Ignored  string `hessian:"-"`
	internal int
}

func (*testOrder) JavaClassName() string { return "org.example.Order" }

// testPlain has no Java class: written as a map.
type testPlain struct{ A string }

type testColor int64

const (
	colorRed   testColor = 1
	colorGreen testColor = 2
)

func (c testColor) String() string {
	switch c {
	case colorRed:
		return "RED"
	case colorGreen:
		return "GREEN"
	}
	return "<UNSET>"
}
func (testColor) JavaClassName() string { return "org.example.Color" }
func (c *testColor) FromJavaEnumName(name string) error {
	switch name {
	case "RED":
		*c = colorRed
	case "GREEN":
		*c = colorGreen
	default:
		return errors.New("unknown")
	}
	return nil
}

type testPalette struct {
	Main   testColor
	Others []testColor
}

func (*testPalette) JavaClassName() string { return "org.example.Palette" }

func init() { Register(&testItem{}, &testOrder{}, &testPalette{}, testColor(0)) }

func sampleOrder() *testOrder {
	buyer := "ann"
	paid := true
	shared := &testItem{SKU: "a-1", Qty: 2, Price: 9.5, Tags: []string{"x", "y"}, Attrs: map[string]string{"k": "v"}}
	return &testOrder{
		ID: 42, Buyer: &buyer, Items: []*testItem{shared, {SKU: "b-2", Qty: 1}, shared},
		ByName:  map[string]*testItem{"a": shared},
		Created: time.UnixMilli(1700000000123), Paid: &paid, Raw: []byte{0, 1, 2},
		Note: "free text", Small: -3, Medium: 300, Ratio: 0.5, Plain: &testPlain{A: "p"}, Renamed: "r",
		Ignored: "dropped",
	}
}

func TestStructRoundTrip(t *testing.T) {
	in := sampleOrder()
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out *testOrder
	if err := Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	in.Ignored = ""
	if !out.Created.Equal(in.Created) {
		t.Fatalf("created %v != %v", out.Created, in.Created)
	}
	out.Created = in.Created
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", out, in)
	}
	// An item shared by an acyclic type is written out each time, as the
	// generated codec and Kitex's Thrift write it: equal copies.
	if out.Items[0] == out.Items[2] {
		t.Fatal("an acyclic type's shared pointer came back shared")
	}
}

type testNode struct {
	Name string
	Next *testNode
	Any  any
}

// Types that can reach themselves, and values inside interfaces, keep their
// sharing as references both ways: only they can form cycles or expand.
func TestReferencesWhereNeeded(t *testing.T) {
	shared := &testNode{Name: "shared"}
	list := []any{"a", int32(1)}
	in := &testNode{Name: "head", Next: &testNode{Name: "mid", Next: shared, Any: list}, Any: []any{shared, list}}
	in.Next.Next.Next = in // a cycle
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out *testNode
	if err := Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Next.Next.Next != out {
		t.Fatal("the cycle was not kept")
	}
	if anys := out.Any.([]any); anys[0] != any(out.Next.Next) {
		t.Fatalf("the shared node came back as %p and %p", anys[0], out.Next.Next)
	}
	a, c := out.Any.([]any)[1].([]any), out.Next.Any.([]any)
	if &a[0] != &c[0] {
		t.Fatal("the shared list inside interfaces came back copied")
	}
}

func TestRegisteredClassDecodesIntoAny(t *testing.T) {
	b, err := Marshal(sampleOrder())
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewDecoder(b).DecodeValue()
	if err != nil {
		t.Fatal(err)
	}
	o, ok := v.(*testOrder)
	if !ok {
		t.Fatalf("got %T, want *testOrder", v)
	}
	if o.Items[0].SKU != "a-1" || o.Note != "free text" {
		t.Fatalf("bad order %+v", o)
	}
}

func TestEnum(t *testing.T) {
	in := &testPalette{Main: colorGreen, Others: []testColor{colorRed, colorGreen}}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "org.example.Color") || !strings.Contains(string(b), "GREEN") {
		t.Fatalf("enum not written as a Java enum constant: %q", b)
	}
	var out *testPalette
	if err := Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Fatalf("got %+v", out)
	}
}

// Java writes collections untyped; they must land in typed Go targets.
func TestUntypedIntoTyped(t *testing.T) {
	e := NewEncoder(nil)
	e.WriteListStart("", 2) // ArrayList<Integer>
	e.WriteInt32(7)
	e.WriteInt32(8)
	var ints []int32
	if err := Unmarshal(e.Bytes(), &ints); err != nil || !reflect.DeepEqual(ints, []int32{7, 8}) {
		t.Fatalf("[]int32: %v %v", ints, err)
	}
	var arr [2]int64
	if err := Unmarshal(e.Bytes(), &arr); err != nil || arr != [2]int64{7, 8} {
		t.Fatalf("[2]int64: %v %v", arr, err)
	}

	e.Reset(nil) // HashMap<String, Item> with an Item object
	e.WriteMapStart("")
	e.WriteString("a")
	e.WriteObjectStart("org.example.Item", []string{"sku", "qty"})
	e.WriteString("s")
	e.WriteInt32(3)
	e.WriteMapEnd()
	var m map[string]*testItem
	if err := Unmarshal(e.Bytes(), &m); err != nil || m["a"].SKU != "s" || m["a"].Qty != 3 {
		t.Fatalf("map[string]*testItem: %+v %v", m, err)
	}
	var generic map[string]any
	if err := Unmarshal(e.Bytes(), &generic); err != nil {
		t.Fatal(err)
	}
	if it, ok := generic["a"].(*testItem); !ok || it.SKU != "s" {
		t.Fatalf("map[string]any: %#v", generic)
	}
	// A map written for a struct with no Java class reads back into the struct.
	var p testPlain
	b, _ := Marshal(map[string]string{"A": "z", "unknown": "skipped"})
	if err := Unmarshal(b, &p); err != nil || p.A != "" {
		t.Fatalf("field names are Java names (lower first letter): %+v %v", p, err)
	}
	b, _ = Marshal(map[string]string{"a": "z"})
	if err := Unmarshal(b, &p); err != nil || p.A != "z" {
		t.Fatalf("map into struct: %+v %v", p, err)
	}
}

// An unregistered Java class keeps its class and field order, and writes back
// byte for byte.
func TestUnknownClassRoundTrip(t *testing.T) {
	e := NewEncoder(nil)
	e.WriteObjectStart("com.vendor.Thing", []string{"id", "label"})
	e.WriteInt64(5)
	e.WriteString("five")
	v, err := NewDecoder(e.Bytes()).DecodeValue()
	if err != nil {
		t.Fatal(err)
	}
	o, ok := v.(*JavaObject)
	if !ok || o.Class != "com.vendor.Thing" || o.Field("label") != "five" {
		t.Fatalf("got %#v", v)
	}
	back, err := Marshal(o)
	if err != nil || string(back) != string(e.Bytes()) {
		t.Fatalf("rewrite differs: %x vs %x (%v)", back, e.Bytes(), err)
	}
}

func TestTypeErrorsNameTheField(t *testing.T) {
	e := NewEncoder(nil)
	e.WriteObjectStart("org.example.Order", []string{"id", "items"})
	e.WriteInt64(1)
	e.WriteListStart("", 1)
	e.WriteObjectStart("org.example.Item", []string{"qty"})
	e.WriteString("not a number")
	var o testOrder
	err := Unmarshal(e.Bytes(), &o)
	if !errors.Is(err, ErrType) {
		t.Fatalf("err = %v, want ErrType", err)
	}
	for _, want := range []string{"items[0].qty", "org.example.Item", "found string, want int"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

func TestOverflowIsAnError(t *testing.T) {
	b, _ := Marshal(int32(300))
	var small int8
	if err := Unmarshal(b, &small); !errors.Is(err, ErrType) {
		t.Fatalf("err = %v, want ErrType", err)
	}
	b, _ = Marshal(int64(-1))
	var u uint32
	if err := Unmarshal(b, &u); !errors.Is(err, ErrType) {
		t.Fatalf("err = %v, want ErrType", err)
	}
}

func TestJavaException(t *testing.T) {
	in := &JavaException{Class: "java.lang.IllegalStateException", Message: "boom",
		StackTrace: []StackTraceElement{{DeclaringClass: "org.example.Svc", MethodName: "run", FileName: "Svc.java", LineNumber: 12}},
		Cause:      NewJavaException("java.io.IOException", "disk")}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewDecoder(b).DecodeValue()
	if err != nil {
		t.Fatal(err)
	}
	out, ok := v.(*JavaException)
	if !ok {
		t.Fatalf("got %T", v)
	}
	if out.Error() != "java.lang.IllegalStateException: boom" || out.Cause == nil || out.Cause.Message != "disk" ||
		len(out.StackTrace) != 1 || out.StackTrace[0].LineNumber != 12 {
		t.Fatalf("got %+v", out)
	}
	if !strings.Contains(out.StackTraceString(), "at org.example.Svc.run(Svc.java:12)") {
		t.Fatal(out.StackTraceString())
	}
	var target *JavaException
	if !errors.As(error(out), &target) || !errors.As(out.Unwrap(), &target) || target.Class != "java.io.IOException" {
		t.Fatal("errors.As through the cause chain")
	}
}

// Java writes Throwable.cause == this (no cause) as a reference to the exception itself.
func TestExceptionSelfCause(t *testing.T) {
	e := NewEncoder(nil)
	e.WriteObjectStart("java.lang.RuntimeException", []string{"detailMessage", "cause", "stackTrace", "suppressedExceptions"})
	e.WriteString("x")
	e.b = AppendInt32(append(e.b, tagRef), 0)
	e.WriteListStart(stackTraceType, 0)
	e.WriteNull()
	v, err := NewDecoder(e.Bytes()).DecodeValue()
	if err != nil {
		t.Fatal(err)
	}
	if ex := v.(*JavaException); ex.Cause != nil || ex.Message != "x" {
		t.Fatalf("got %+v", ex)
	}
}

type testIDLError struct {
	Code int32
}

func (*testIDLError) JavaClassName() string { return "org.example.BizException" }
func (e *testIDLError) Error() string       { return fmt.Sprintf("BizException(%+v)", *e) } // as Kitex generates it

type testIDLMessageError struct {
	Code    int32
	Message *string `thrift:"message,2"`
}

func (*testIDLMessageError) JavaClassName() string { return "org.example.OutOfStock" }
func (e *testIDLMessageError) Error() string       { return fmt.Sprintf("OutOfStock(%+v)", *e) }

// An IDL exception's Throwable.detailMessage reads as a Java exception's
// would: its message field, else (no field, or a null one) the class name;
// never Go's printing of the struct.
func TestIDLExceptionDetailMessage(t *testing.T) {
	msg := "only 3 left"
	for _, tc := range []struct {
		in   error
		want string
	}{
		{&testIDLError{Code: 7}, "org.example.BizException"},
		{&testIDLMessageError{Code: 7, Message: &msg}, "only 3 left"},
		{&testIDLMessageError{Code: 7}, "org.example.OutOfStock"},
	} {
		b, err := Marshal(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		v, err := NewDecoder(b).DecodeValue() // unregistered here: arrives as a Throwable
		if err != nil {
			t.Fatal(err)
		}
		ex, ok := v.(*JavaException)
		if !ok || ex.Message != tc.want || ex.Fields["code"] != int32(7) {
			t.Fatalf("%T: got %#v, want message %q", tc.in, v, tc.want)
		}
	}
}

func TestDescriptors(t *testing.T) {
	var s string
	cases := []struct {
		t        reflect.Type
		javaType string
		want     string
	}{
		{reflect.TypeOf(s), "", "Ljava/lang/String;"},
		{reflect.TypeOf(int32(0)), "", "Ljava/lang/Integer;"},
		{reflect.TypeOf(int32(0)), "int", "I"},
		{reflect.TypeOf([]int32{}), "int[]", "[I"},
		{reflect.TypeOf([]int32{}), "", "Ljava/util/List;"},
		{reflect.TypeOf(map[string]int32{}), "java.util.HashMap", "Ljava/util/HashMap;"},
		{reflect.TypeOf([]byte{}), "", "[B"},
		{reflect.TypeOf(&testItem{}), "", "Lorg/example/Item;"},
		{reflect.TypeOf(time.Time{}), "", "Ljava/util/Date;"},
		{reflect.TypeOf((*int64)(nil)), "", "Ljava/lang/Long;"},
		{reflect.TypeOf(colorRed), "", "Lorg/example/Color;"},
		{reflect.TypeOf([]string{}), "java.lang.String[]", "[Ljava/lang/String;"},
		{reflect.TypeOf(float64(0)), "float", "F"},
		{anyType, "", "Ljava/lang/Object;"},
		// Written as a map, so a Dubbo-Java provider declares it one (found against java-interop).
		{reflect.TypeOf(&testPlain{}), "", "Ljava/util/Map;"},
		{reflect.TypeOf([]float64{}), "float[]", "[F"},
		{reflect.TypeOf([]int16{}), "short[]", "[S"},
	}
	for _, c := range cases {
		got, err := TypeDescriptor(c.t, c.javaType)
		if err != nil || got != c.want {
			t.Errorf("TypeDescriptor(%v, %q) = %q, %v; want %q", c.t, c.javaType, got, err, c.want)
		}
	}
}

func TestEncodeAs(t *testing.T) {
	cases := []struct {
		v        any
		javaType string
		hex      string
	}{
		{[]int32{0, 1}, "int[]", "72045b696e749091"},
		{[]string{"a"}, "java.lang.String[]", "71075b737472696e670161"},
		{int64(5), "int", "95"},
		{float32(2), "float", "5d02"},
		{[]int32{1}, "java.util.Set", "71116a6176612e7574696c2e48617368536574 91"},
		{"s", "", "0173"},
	}
	for _, c := range cases {
		e := NewEncoder(nil)
		if err := e.EncodeAs(c.v, c.javaType); err != nil {
			t.Fatal(err)
		}
		if want := unhex(t, c.hex); string(e.Bytes()) != string(want) {
			t.Errorf("EncodeAs(%v, %q) = %x, want %x", c.v, c.javaType, e.Bytes(), want)
		}
	}
}

// Class definitions and type names are defined once per stream and referenced after.
func TestStreamTablesShared(t *testing.T) {
	e := NewEncoder(nil)
	for i := 0; i < 2; i++ {
		if err := e.Encode(&testItem{SKU: "s"}); err != nil {
			t.Fatal(err)
		}
		if err := e.EncodeAs([]int32{1}, "int[]"); err != nil {
			t.Fatal(err)
		}
	}
	b := e.Bytes()
	if n := strings.Count(string(b), "org.example.Item"); n != 1 {
		t.Fatalf("class defined %d times", n)
	}
	if n := strings.Count(string(b), "[int"); n != 1 {
		t.Fatalf("type written %d times", n)
	}
	d := NewDecoder(b)
	for i := 0; i < 2; i++ {
		var it testItem
		var ints []int32
		if err := d.Decode(&it); err != nil || it.SKU != "s" {
			t.Fatalf("item %d: %v", i, err)
		}
		if err := d.Decode(&ints); err != nil || len(ints) != 1 {
			t.Fatalf("ints %d: %v", i, err)
		}
	}
}

func TestJavaFieldNames(t *testing.T) {
	type s struct {
		ID      int
		URLPath string
		Name    string
		X       int
		Tagged  int `thrift:"user_name,1"`
		Hessian int `hessian:"h" thrift:"t,2"`
	}
	want := []string{"id", "urlPath", "name", "x", "user_name", "h"}
	si := getStructInfo(reflect.TypeOf(s{}))
	for i, f := range si.fields {
		if f.name != want[i] {
			t.Errorf("field %d: %q, want %q", i, f.name, want[i])
		}
	}
}

// Map keys go out in one order whatever Go's iteration order, also in an
// untyped map holding keys of several kinds (as generic calls carry), so
// the same value always makes the same bytes.
func TestMapKeyOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    any
		want []any // keys as they must appear
	}{
		{"strings", map[string]int32{"b": 1, "a": 2, "c": 3}, []any{"a", "b", "c"}},
		// Values of other types take writeMapEntries' reflective branch,
		// which keeps the entries of maps nested in values apart.
		{"strings to lists", map[string][]int32{"b": {1}, "a": nil, "c": {2, 3}}, []any{"a", "b", "c"}},
		{"strings to maps", map[string]any{"b": map[string]any{"z": int32(1), "y": map[string]any{"q": 1.5, "p": "x"}}, "a": int32(1), "c": nil},
			[]any{"a", "b", "c"}},
		{"ints", map[int64]string{3: "", -1: "", 2: ""}, []any{int64(-1), int64(2), int64(3)}},
		{"floats", map[float64]bool{2.5: true, -1: true}, []any{-1.0, 2.5}},
		{"mixed", map[any]any{"b": 1, true: 1, int32(2): 1, "a": 1, 1.5: 1, int32(-7): 1, nil: 1},
			[]any{nil, "a", "b", int32(-7), int32(2), 1.5, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, err := Marshal(tc.m)
			if err != nil {
				t.Fatal(err)
			}
			for range 20 {
				if b, _ := Marshal(tc.m); !bytes.Equal(b, first) {
					t.Fatalf("bytes differ between runs:\n% x\n% x", first, b)
				}
			}
			// An untyped map: 'H', key and value pairs, 'Z'.
			if first[0] != 'H' || first[len(first)-1] != 'Z' {
				t.Fatalf("not an untyped map: % x", first)
			}
			body := first[1 : len(first)-1]
			d := NewDecoder(body)
			var keys []any
			for d.Remaining() > 0 {
				k, err := d.DecodeValue()
				if err != nil {
					t.Fatal(err)
				}
				keys = append(keys, k)
				if err := d.Skip(); err != nil {
					t.Fatal(err)
				}
			}
			if fmt.Sprint(keys) != fmt.Sprint(tc.want) {
				t.Fatalf("keys in order %v, want %v", keys, tc.want)
			}
			// Read back untyped (maps of maps become map[any]any) and
			// written again by the other branch: the same bytes.
			var back any
			if err := Unmarshal(first, &back); err != nil {
				t.Fatal(err)
			}
			if again, err := Marshal(back); err != nil || !bytes.Equal(again, first) {
				t.Fatalf("written back as\n% x (%v), want\n% x", again, err, first)
			}
		})
	}
}

// StringEntries sorts into the buffer it is given while the entries fit, and
// past it as well.
func TestStringEntries(t *testing.T) {
	for _, n := range []int{0, 1, 2, 8, 9, 40} {
		m := map[string]int{}
		for i := range n {
			m[fmt.Sprintf("k%03d", (i*37)%n)] = i
		}
		var buf [8]Entry[int]
		got := StringEntries(m, buf[:0])
		if len(got) != len(m) {
			t.Fatalf("%d entries: got %d", n, len(got))
		}
		for i, en := range got {
			if m[en.Key] != en.Value || i > 0 && got[i-1].Key >= en.Key {
				t.Fatalf("%d entries: %v is not m in key order", n, got)
			}
		}
		if n > 0 && n <= len(buf) && &got[0] != &buf[0] {
			t.Errorf("%d entries did not stay in the buffer", n)
		}
	}
}
