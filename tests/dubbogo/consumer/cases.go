package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	mathbig "math/big"
	"sort"
	"strings"
	"time"

	"dubbo.apache.org/dubbo-go/v3/client"
	"github.com/apache/dubbo-go-hessian2/java8_time"
	"github.com/apache/dubbo-go-hessian2/java_exception"
	"github.com/apache/dubbo-go-hessian2/java_sql_time"
	"github.com/apache/dubbo-go-hessian2/java_util"
	big "github.com/dubbogo/gost/math/big"
	perrors "github.com/pkg/errors"

	"github.com/kitexdubbo/kitexdubbo/tests/dubbogo/interop"
)

// Case is one call against an InteropService and the check of its answer.
// Names are those of tests/cases.go where the case is the same.
type Case struct {
	Name string
	Run  func(ctx context.Context, c *caller) error
}

// caller makes generic dubbo-go calls: the method's Java name, the arguments
// (their Go types decide the parameter descriptor dubbo-go sends), and a
// pointer the answer is copied into.
type caller struct {
	conn    *client.Connection
	timeout time.Duration
}

func (c *caller) call(ctx context.Context, method string, reply interface{}, args ...interface{}) error {
	return c.callWithin(ctx, c.timeout, method, reply, args...)
}

func (c *caller) callWithin(ctx context.Context, timeout time.Duration, method string, reply interface{}, args ...interface{}) error {
	if args == nil {
		args = []interface{}{}
	}
	if reply == nil {
		// dubbo-go's dubbo invoker refuses a call without a reply holder,
		// even for a void method.
		reply = new(interface{})
	}
	return c.conn.CallUnary(ctx, args, reply, method, client.WithCallRequestTimeout(timeout))
}

// echo makes a case that sends v and expects it back; reply is a new holder
// of the answer's Go type.
func echo[T any](name, method string, v T, want T) Case {
	return Case{Name: name, Run: func(ctx context.Context, c *caller) error {
		var got T
		if err := c.call(ctx, method, &got, v); err != nil {
			return err
		}
		return same(got, want)
	}}
}

// echoAny makes a case whose answer is read as a java.lang.Object (what
// dubbo-go decodes it to); norm turns it into the form want has.
func echoAny(name, method string, v interface{}, want interface{}, norm func(interface{}) (interface{}, error)) Case {
	return Case{Name: name, Run: func(ctx context.Context, c *caller) error {
		var got interface{}
		if err := c.call(ctx, method, &got, v); err != nil {
			return err
		}
		if norm != nil {
			var err error
			if got, err = norm(got); err != nil {
				return err
			}
		}
		return same(got, want)
	}}
}

// asList reads a list answer: dubbo-go decodes an untyped list (what Java
// and Kitex write for a java.util.List) as []interface{}, a typed array as a
// typed slice. A reply of type *[]int32 would fail on the former
// (hessian.CopySlice does not convert elements).
func asList(v interface{}) (interface{}, error) {
	if v == nil {
		return nil, nil
	}
	return interop.Items(v)
}

// asSortedStrings reads a set of strings in a stable order.
func asSortedStrings(v interface{}) (interface{}, error) {
	items, err := interop.Items(v)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, x := range items {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("set element is %T", x)
		}
		out[i] = s
	}
	sort.Strings(out)
	return out, nil
}

func ptr[T any](v T) *T { return &v }

func sampleBasic(i int32) *interop.Basic {
	return &interop.Basic{Flag: i%2 == 0, B: int8(i), S: int16(-300 * i), I: 70000 * i, L: math.MaxInt64 - int64(i),
		D: 3.25 * float64(i), Str: fmt.Sprintf("basic-%d héllo 世界 😀", i), Bin: []byte{0, byte(i), 0xff}}
}

func sampleCollections() *interop.Collections {
	return &interop.Collections{
		Bools: []bool{true, false}, Shorts: []int16{-1, 300}, Ints: []int32{0, -16, 47, 48, 262144},
		Longs: []int64{0, math.MinInt64, math.MaxInt64}, Doubles: []float64{0, 1, -128, 12.25, math.Pi},
		Strings: []string{"", "a", strings.Repeat("z", 40)}, Bins: []interface{}{[]byte{}, []byte{1, 2, 3}},
		IntSet: []int32{3, 1, 2}, StrSet: []string{"x", "y"},
		StrInt: map[string]int32{"one": 1, "two": 2}, LongStr: map[int64]string{1 << 40: "big", -1: "neg"},
		ByName: map[string]*interop.Basic{"a": sampleBasic(1), "b": sampleBasic(2)},
		Basics: []*interop.Basic{sampleBasic(3), sampleBasic(4)},
		Nested: []interface{}{[]interface{}{int32(1)}, []interface{}{}, []interface{}{int32(2), int32(3)}},
		Multi:  map[string]interface{}{"k": []interface{}{"v1", "v2"}},
	}
}

func sampleContainers() *interop.Containers {
	return &interop.Containers{
		Bytes: []int8{math.MinInt8, 0, math.MaxInt8}, BoolSet: []bool{false, true}, ByteSet: []int8{-1, 7},
		ShortSet: []int16{math.MinInt16, 2}, LongSet: []int64{math.MinInt64, 1 << 33}, DoubleSet: []float64{-0.5, 1e300},
		StrBool: map[string]bool{"t": true, "f": false}, StrByte: map[string]int8{"min": math.MinInt8},
		StrShort: map[string]int16{"max": math.MaxInt16}, StrLong: map[string]int64{"big": 1 << 62},
		StrDouble: map[string]float64{"pi": math.Pi}, StrBin: map[string][]byte{"b": {0, 0xff}},
		IntStr: map[int32]string{-7: "neg", 1 << 20: "wide"}, ShortDouble: map[int16]float64{-2: 0.125},
	}
}

func sampleTree() *interop.Tree {
	leaf := &interop.Tree{Name: "leaf", Status: interop.StatusSuspended, Level: 1, Children: []*interop.Tree{}}
	return &interop.Tree{Name: "root", Left: leaf, Right: &interop.Tree{Name: "right", Left: leaf, Status: interop.StatusActive,
		Level: 2, Children: []*interop.Tree{leaf}}, Status: interop.StatusActive, Level: 2,
		Children: []*interop.Tree{leaf, leaf}}
}

func bigInteger(v *mathbig.Int) *big.Integer {
	i := &big.Integer{}
	i.SetValue(v)
	return i
}

func decimal(s string) *big.Decimal {
	d, err := big.NewDecFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}

func localDateTime(t time.Time) *java8_time.LocalDateTime {
	return &java8_time.LocalDateTime{
		Date: java8_time.LocalDate{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())},
		Time: java8_time.LocalTime{Hour: int32(t.Hour()), Minute: int32(t.Minute()), Second: int32(t.Second()), Nano: int32(t.Nanosecond())},
	}
}

func sampleJavaTypes() *interop.JavaTypes {
	n, _ := new(mathbig.Int).SetString("-98765432109876543210987654321", 10)
	return &interop.JavaTypes{
		Obj: sampleBasic(5), Date: ptr(time.UnixMilli(1700000000123)), Decimal: decimal("-12345.678900"),
		BigInt:        bigInteger(n),
		LocalDateTime: localDateTime(time.Date(2024, 2, 29, 13, 45, 7, 123456789, time.UTC)),
		LocalDate:     &java8_time.LocalDate{Year: 1999, Month: 12, Day: 31},
		Instant:       &java8_time.Instant{Seconds: 1700000000, Nanos: 999},
		Objects: []interface{}{int32(1), int64(2), 2.5, "s", true, []byte{9}, nil, []interface{}{int32(7)},
			map[interface{}]interface{}{"k": "v"}},
	}
}

func bigList(n int) []interface{} {
	l := make([]interface{}, n)
	for i := range l {
		l[i] = int32(i * 7919)
	}
	return l
}

// ints makes the []interface{} a java.util.List of Integer is sent and read as.
func ints(v ...int32) []interface{} {
	out := make([]interface{}, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

func value[T any](want T) func(ctx context.Context, c *caller, method string, args ...interface{}) error {
	return func(ctx context.Context, c *caller, method string, args ...interface{}) error {
		var got T
		if err := c.call(ctx, method, &got, args...); err != nil {
			return err
		}
		return same(got, want)
	}
}

// returns makes a case calling method with args and expecting want.
func returns[T any](name, method string, want T, args ...interface{}) Case {
	return Case{Name: name, Run: func(ctx context.Context, c *caller) error {
		return value(want)(ctx, c, method, args...)
	}}
}

// asErr finds a T in err's chain, through both errors.As and pkg/errors causes.
func asErr[T any](err error) (T, bool) {
	var t T
	if errors.As(err, &t) {
		return t, true
	}
	if c, ok := perrors.Cause(err).(T); ok {
		return c, true
	}
	return t, false
}

// Cases is every case, in the order of tests/cases.go.
func Cases() []Case {
	statusSuspended := interop.StatusSuspended
	cases := []Case{
		echo("echoBasic", "echoBasic", sampleBasic(7), sampleBasic(7)),
		echo("echoBasic/zero", "echoBasic", &interop.Basic{Bin: []byte{}}, &interop.Basic{Bin: []byte{}}),
		{Name: "echoCollections", Run: func(ctx context.Context, c *caller) error {
			var got *interop.Collections
			if err := c.call(ctx, "echoCollections", &got, sampleCollections()); err != nil {
				return err
			}
			// A Java HashSet keeps its own order.
			if got != nil {
				sort.Slice(got.IntSet, func(i, j int) bool { return got.IntSet[i] < got.IntSet[j] })
				sort.Strings(got.StrSet)
			}
			want := sampleCollections()
			want.IntSet = []int32{1, 2, 3}
			return same(got, want)
		}},
		echo("echoCollections/empty", "echoCollections", &interop.Collections{}, &interop.Collections{}),
		{Name: "echoContainers", Run: func(ctx context.Context, c *caller) error {
			var got *interop.Containers
			if err := c.call(ctx, "echoContainers", &got, sampleContainers()); err != nil {
				return err
			}
			// A Java HashSet keeps its own order.
			if got != nil {
				sort.Slice(got.BoolSet, func(i, j int) bool { return !got.BoolSet[i] && got.BoolSet[j] })
				sort.Slice(got.ByteSet, func(i, j int) bool { return got.ByteSet[i] < got.ByteSet[j] })
				sort.Slice(got.ShortSet, func(i, j int) bool { return got.ShortSet[i] < got.ShortSet[j] })
				sort.Slice(got.LongSet, func(i, j int) bool { return got.LongSet[i] < got.LongSet[j] })
				sort.Float64s(got.DoubleSet)
			}
			return same(got, sampleContainers())
		}},
		echo("echoContainers/empty", "echoContainers", &interop.Containers{}, &interop.Containers{}),
		echo("echoOptionals/unset", "echoOptionals", &interop.Optionals{}, &interop.Optionals{}),
		echo("echoOptionals/set", "echoOptionals", &interop.Optionals{Flag: ptr(false), I: ptr(int32(0)), L: ptr(int64(-1)),
			D: ptr(0.5), S: ptr(""), Bin: []byte{}, Basic: sampleBasic(8), Ints: []int32{}, M: map[string]string{},
			Status: &statusSuspended},
			&interop.Optionals{Flag: ptr(false), I: ptr(int32(0)), L: ptr(int64(-1)), D: ptr(0.5), S: ptr(""), Bin: []byte{},
				Basic: sampleBasic(8), Ints: []int32{}, M: map[string]string{}, Status: &statusSuspended}),
		echo("echoTree", "echoTree", sampleTree(), sampleTree()),
		echo("echoJavaTypes", "echoJavaTypes", sampleJavaTypes(), sampleJavaTypes()),
		echo("echoJavaTypes/nulls", "echoJavaTypes", &interop.JavaTypes{}, &interop.JavaTypes{}),
		{Name: "echoUntyped", Run: func(ctx context.Context, c *caller) error {
			in := interop.Untyped{Key: "k", Value: 3}
			var got map[interface{}]interface{}
			if err := c.call(ctx, "echoUntyped", &got, in.ToMap()); err != nil {
				return err
			}
			u, err := interop.UntypedFromMap(got)
			if err != nil {
				return err
			}
			return same(u, in)
		}},
		echo("echoBool", "echoBool", true, true),
		echo("echoByte", "echoByte", int8(-128), int8(-128)),
		echo("echoShort", "echoShort", int16(math.MaxInt16), int16(math.MaxInt16)),
		echo("echoInt/min", "echoInt", int32(math.MinInt32), int32(math.MinInt32)),
		echo("echoInt/compact", "echoInt", int32(-2048), int32(-2048)),
		echo("echoLong/max", "echoLong", int64(math.MaxInt64), int64(math.MaxInt64)),
		echo("echoLong/int32", "echoLong", int64(math.MaxInt32), int64(math.MaxInt32)),
		echo("echoDouble", "echoDouble", -0.1, -0.1),
		echo("echoDouble/inf", "echoDouble", math.Inf(1), math.Inf(1)),
		// float32 is what makes dubbo-go declare the parameter F (Java float).
		returns("echoFloat", "echoFloat", 1.5, float32(1.5)),
		echo("echoString/unicode", "echoString", "héllo 世界 😀 \u0000 end", "héllo 世界 😀 \u0000 end"),
		echo("echoString/empty", "echoString", "", ""),
		echo("echoString/1MiB", "echoString", strings.Repeat("0123456789abcdef", 1<<16), strings.Repeat("0123456789abcdef", 1<<16)),
		echo("echoBinary", "echoBinary", []byte{0, 1, 2, 0xfe, 0xff}, []byte{0, 1, 2, 0xfe, 0xff}),
		// A nil []byte is written as an empty binary; only an untyped nil is
		// null, and dubbo-go then declares the parameter "V".
		echoAny("echoBinary/nil", "echoBinary", nil, nil, nil),
		echo("echoStatus", "echoStatus", interop.StatusSuspended, interop.StatusSuspended),
		returns("echoLevel", "echoLevel", int32(2), int32(2)),
		echoAny("echoIntList", "echoIntList", ints(1, -1, 1<<30), ints(1, -1, 1<<30), asList),
		echoAny("echoIntList/100k", "echoIntList", bigList(100000), bigList(100000), asList),
		echoAny("echoStringSet", "echoStringSet", interop.NewHashSet("a", "b"), []string{"a", "b"}, asSortedStrings),
		echoAny("echoBasicMap", "echoBasicMap", map[string]*interop.Basic{"x": sampleBasic(9)},
			map[interface{}]interface{}{"x": sampleBasic(9)}, nil),
		echoAny("echoBasicList", "echoBasicList", []*interop.Basic{sampleBasic(10), sampleBasic(11)},
			[]interface{}{sampleBasic(10), sampleBasic(11)}, asList),
		echo("echoDate", "echoDate", time.UnixMilli(-1), time.UnixMilli(-1)),
		echo("echoDecimal", "echoDecimal", decimal("3.14159265358979323846264338327950288"),
			decimal("3.14159265358979323846264338327950288")),
		echo("echoBigInteger", "echoBigInteger", bigInteger(new(mathbig.Int).Lsh(mathbig.NewInt(3), 100)),
			bigInteger(new(mathbig.Int).Lsh(mathbig.NewInt(3), 100))),
		echo("echoBigInteger/negative", "echoBigInteger", bigInteger(mathbig.NewInt(-1)), bigInteger(mathbig.NewInt(-1))),
		echo("echoLocalDateTime", "echoLocalDateTime", localDateTime(time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)),
			localDateTime(time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC))),
		echo("echoLocalDate", "echoLocalDate", &java8_time.LocalDate{Year: 1970, Month: 1, Day: 1},
			&java8_time.LocalDate{Year: 1970, Month: 1, Day: 1}),
		echo("echoInstant", "echoInstant", &java8_time.Instant{Seconds: -1, Nanos: 5}, &java8_time.Instant{Seconds: -1, Nanos: 5}),
		echoAny("echoLongList", "echoLongList", []interface{}{int64(math.MinInt64), int64(-1), int64(0), int64(1 << 33)},
			[]interface{}{int64(math.MinInt64), int64(-1), int64(0), int64(1 << 33)}, asList),
		// *int32 is what makes dubbo-go declare java.lang.Integer.
		returns("echoBoxedInt(Integer)", "echoBoxedInt", int32(123456), ptr(int32(123456))),
		echo("echoInt/max", "echoInt", int32(math.MaxInt32), int32(math.MaxInt32)),
		echo("echoLong/min", "echoLong", int64(math.MinInt64), int64(math.MinInt64)),
		echoAny("echoIntList/empty", "echoIntList", []interface{}{}, []interface{}{}, asList),
		echoAny("echoBasicList/empty", "echoBasicList", []*interop.Basic{}, []interface{}{}, asList),
		returns("sumFloats(float[])", "sumFloats", 2.75, []float32{0.5, 0.25, 2}),
		returns("sumShorts(short[])", "sumShorts", int32(32468), []int16{-300, 32767, 1}),
		returns("primitives(boolean,byte,short,int,long,double)", "primitives",
			"boolean true, byte -1, short 2, int 3, long 4, double 5.5", true, int8(-1), int16(2), int32(3), int64(4), 5.5),
		returns("sumPrimitive(int,long,int[])", "sumPrimitive", int64(1<<40+6), int32(1), int64(1<<40), []int32{2, 3}),
		returns("average(double[])", "average", 2.5, []float64{1, 2, 4.5}),
		returns("countMap(HashMap)", "countMap", int32(42), &interop.HashMap{Entries: map[string]int32{"a": 1, "b": 41}}),
		returns("countSet(Set)", "countSet", int32(3), interop.NewHashSet("a", "b", "c")),
		returns("overload(String)", "overload", "overload(String s)", "s"),
		returns("overload(int)", "overload", "overload(int 5)", int32(5)),
		returns("overload(String,int)", "overload", "overload(String s, int 6)", "s", int32(6)),
		{Name: "nothing(void)", Run: func(ctx context.Context, c *caller) error {
			return c.call(ctx, "nothing", nil)
		}},
		{Name: "throwBiz(IDL exception)", Run: func(ctx context.Context, c *caller) error {
			err := c.call(ctx, "throwBiz", nil, "E42")
			be, ok := asErr[*interop.BizException](err)
			if !ok {
				return fmt.Errorf("want *interop.BizException, got %T %v", perrors.Cause(err), err)
			}
			if be.Code != "E42" || be.Detail != 3 {
				return fmt.Errorf("got code %q detail %d, want E42 3", be.Code, be.Detail)
			}
			return nil
		}},
		{Name: "throwRuntime(Java exception)", Run: func(ctx context.Context, c *caller) error {
			err := c.call(ctx, "throwRuntime", new(string), "it broke")
			je, ok := asErr[java_exception.Throwabler](err)
			if !ok {
				return fmt.Errorf("want a Java exception, got %T %v", perrors.Cause(err), err)
			}
			if je.JavaClassName() != "java.lang.RuntimeException" || je.Error() != "it broke" {
				return fmt.Errorf("got %s: %q", je.JavaClassName(), je.Error())
			}
			return nil
		}},
		{Name: "slow(timeout)", Run: func(ctx context.Context, c *caller) error {
			var got string
			start := time.Now()
			err := c.callWithin(ctx, 100*time.Millisecond, "slow", &got, int32(2000))
			if err == nil || !strings.Contains(err.Error(), "timeout") {
				return fmt.Errorf("want a timeout, got %q, %v", got, err)
			}
			if d := time.Since(start); d > 1500*time.Millisecond {
				return fmt.Errorf("timed out after %v, want about 100ms", d)
			}
			got = ""
			if err := c.call(ctx, "slow", &got, int32(10)); err != nil {
				return err
			}
			return same(got, "slept 10ms")
		}},
		{Name: "echoAttachments", Run: func(ctx context.Context, c *caller) error {
			ctx = withAttachments(ctx, map[string]interface{}{"tenant": "acme", "trace": "t-1"})
			ctx, back := withResponseAttachments(ctx)
			var got map[interface{}]interface{}
			if err := c.call(ctx, "echoAttachments", &got, []interface{}{"tenant", "trace", "absent"}); err != nil {
				return err
			}
			if err := same(got, map[interface{}]interface{}{"tenant": "acme", "trace": "t-1"}); err != nil {
				return err
			}
			return same(back.m["echo-tenant"], "acme")
		}},
		{Name: "echoAttachments(tag)", Run: func(ctx context.Context, c *caller) error {
			// Dubbo's tag routing attachment (what Kitex's tag maps to).
			ctx = withAttachments(ctx, map[string]interface{}{"dubbo.tag": "gray"})
			var got map[interface{}]interface{}
			if err := c.call(ctx, "echoAttachments", &got, []interface{}{"tag:dubbo.tag", "dubbo.tag"}); err != nil {
				return err
			}
			return same(got, map[interface{}]interface{}{"tag:dubbo.tag": "gray", "dubbo.tag": "gray"})
		}},
	}
	// Named by the Java class each value arrives as. dubbo-go derives the
	// parameter descriptor from the Go value (I, J, D, ...), it cannot
	// declare java.lang.Object.
	for _, o := range []struct {
		java string
		v    interface{}
	}{
		{"Integer", int32(-5)}, {"Long", int64(1 << 50)}, {"Double", 0.25}, {"String", "str"}, {"Boolean", false},
		{"byte[]", []byte{1}}, {"Basic", sampleBasic(12)}, {"List", []interface{}{"a", int32(1)}}, {"null", nil},
		{"Map", map[interface{}]interface{}{"k": int32(1)}},
	} {
		cases = append(cases, echoAny("echoObject("+o.java+")", "echoObject", o.v, o.v, nil))
	}
	// The JDK types dubbo-go-hessian2 has Go types for (it has none for
	// java.sql.Timestamp, EnumSet, BitSet, Calendar, Currency, the atomics).
	uuid := &java_util.UUID{Value: "00112233-4455-6677-8899-aabbccddeeff"}
	duration := &java8_time.Duration{Seconds: -90061, Nanos: 5}
	sqlDate := &java_sql_time.Date{Time: time.UnixMilli(1700000000000)}
	cases = append(cases,
		echoAny("echoUUID", "echoUUID", uuid, uuid, nil),
		echoAny("echoDuration", "echoDuration", duration, duration, nil),
		echoAny("echoObject(UUID)", "echoObject", uuid, uuid, nil),
		echoAny("echoObject(Duration)", "echoObject", duration, duration, nil),
		echoAny("echoObject(SQLDate)", "echoObject", sqlDate, sqlDate, nil))
	return cases
}
