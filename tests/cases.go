package tests

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/bytedance/gopkg/cloud/metainfo"
	"github.com/cloudwego/kitex/client/callopt"
	"github.com/cloudwego/kitex/pkg/kerrors"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// Case is one call against an InteropService and the check of its answer.
type Case struct {
	Name string
	Run  func(ctx context.Context, c interopservice.Client) error
}

// echo makes a case that sends v through call and expects it back unchanged.
func echo[T any](name string, v T, call func(interopservice.Client, context.Context, T, ...callopt.Option) (T, error)) Case {
	return Case{Name: name, Run: func(ctx context.Context, c interopservice.Client) error {
		got, err := call(c, ctx, v)
		if err != nil {
			return err
		}
		return same(got, v)
	}}
}

func same(got, want any) error {
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("got %s, want %s", show(got), show(want))
	}
	return nil
}

func show(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
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
		Strings: []string{"", "a", strings.Repeat("z", 40)}, Bins: [][]byte{{}, {1, 2, 3}},
		IntSet: []int32{3, 1, 2}, StrSet: []string{"x", "y"},
		StrInt: map[string]int32{"one": 1, "two": 2}, LongStr: map[int64]string{1 << 40: "big", -1: "neg"},
		ByName: map[string]*interop.Basic{"a": sampleBasic(1), "b": sampleBasic(2)},
		Basics: []*interop.Basic{sampleBasic(3), sampleBasic(4)},
		Nested: [][]int32{{1}, {}, {2, 3}}, Multi: map[string][]string{"k": {"v1", "v2"}},
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

// sortSets puts a Containers' sets in order: a Java HashSet keeps its own.
func sortSets(c *interop.Containers) *interop.Containers {
	if c != nil {
		slices.SortFunc(c.BoolSet, func(a, b bool) int {
			if a == b {
				return 0
			} else if a {
				return 1
			}
			return -1
		})
		slices.Sort(c.ByteSet)
		slices.Sort(c.ShortSet)
		slices.Sort(c.LongSet)
		slices.Sort(c.DoubleSet)
	}
	return c
}

func sampleTree() *interop.Tree {
	leaf := &interop.Tree{Name: "leaf", Status: interop.Status_SUSPENDED, Level: interop.Level_LOW, Children: []*interop.Tree{}}
	return &interop.Tree{Name: "root", Left: leaf, Right: &interop.Tree{Name: "right", Left: leaf, Status: interop.Status_ACTIVE,
		Level: interop.Level_HIGH, Children: []*interop.Tree{leaf}}, Status: interop.Status_ACTIVE, Level: interop.Level_HIGH,
		Children: []*interop.Tree{leaf, leaf}}
}

func sampleJavaTypes() *interop.JavaTypes {
	n, _ := new(big.Int).SetString("-98765432109876543210987654321", 10)
	at := time.Date(2024, 2, 29, 13, 45, 7, 123456789, time.UTC)
	return &interop.JavaTypes{
		Obj: sampleBasic(5), Date: ptr(time.UnixMilli(1700000000123)), Decimal: java.NewBigDecimal("-12345.678900"),
		BigInt: java.NewBigInteger(n), LocalDateTime: &java.LocalDateTime{Time: at},
		LocalDate: &java.LocalDate{Time: time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		Instant:   &java.Instant{Time: time.Unix(1700000000, 999).UTC()},
		Objects:   []java.Object{int32(1), int64(2), 2.5, "s", true, []byte{9}, nil, []any{int32(7)}, map[any]any{"k": "v"}},
	}
}

// Cases is every case, in a stable order.
func Cases() []Case {
	cases := []Case{
		echo("echoBasic", sampleBasic(7), interopservice.Client.EchoBasic),
		echo("echoBasic/zero", &interop.Basic{Bin: []byte{}}, interopservice.Client.EchoBasic),
		{Name: "echoCollections", Run: func(ctx context.Context, c interopservice.Client) error {
			want := sampleCollections()
			got, err := c.EchoCollections(ctx, want)
			if err != nil {
				return err
			}
			// A Java HashSet keeps its own order.
			if got != nil {
				slices.Sort(got.IntSet)
				slices.Sort(got.StrSet)
			}
			want.IntSet = []int32{1, 2, 3}
			return same(got, want)
		}},
		echo("echoCollections/empty", &interop.Collections{}, interopservice.Client.EchoCollections),
		{Name: "echoContainers", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.EchoContainers(ctx, sampleContainers())
			if err != nil {
				return err
			}
			return same(sortSets(got), sampleContainers())
		}},
		echo("echoContainers/empty", &interop.Containers{}, interopservice.Client.EchoContainers),
		echo("echoOptionals/unset", &interop.Optionals{}, interopservice.Client.EchoOptionals),
		echo("echoOptionals/set", &interop.Optionals{Flag: ptr(false), I: ptr(int32(0)), L: ptr(int64(-1)), D: ptr(0.5),
			S: ptr(""), Bin: []byte{}, Basic: sampleBasic(8), Ints: []int32{}, M: map[string]string{}, Status: ptr(interop.Status_SUSPENDED)},
			interopservice.Client.EchoOptionals),
		echo("echoTree", sampleTree(), interopservice.Client.EchoTree),
		echo("echoJavaTypes", sampleJavaTypes(), interopservice.Client.EchoJavaTypes),
		echo("echoJavaTypes/nulls", &interop.JavaTypes{}, interopservice.Client.EchoJavaTypes),
		echo("echoUntyped", &interop.Untyped{Key: "k", Value: 3}, interopservice.Client.EchoUntyped),
		echo("echoBool", true, interopservice.Client.EchoBool),
		echo("echoByte", int8(-128), interopservice.Client.EchoByte),
		echo("echoShort", int16(math.MaxInt16), interopservice.Client.EchoShort),
		echo("echoInt/min", int32(math.MinInt32), interopservice.Client.EchoInt),
		echo("echoInt/compact", int32(-2048), interopservice.Client.EchoInt),
		echo("echoLong/max", int64(math.MaxInt64), interopservice.Client.EchoLong),
		echo("echoLong/int32", int64(math.MaxInt32), interopservice.Client.EchoLong),
		echo("echoDouble", -0.1, interopservice.Client.EchoDouble),
		echo("echoDouble/inf", math.Inf(1), interopservice.Client.EchoDouble),
		echo("echoFloat", 1.5, interopservice.Client.EchoFloat),
		echo("echoString/unicode", "héllo 世界 😀 \u0000 end", interopservice.Client.EchoString),
		echo("echoString/empty", "", interopservice.Client.EchoString),
		echo("echoString/1MiB", strings.Repeat("0123456789abcdef", 1<<16), interopservice.Client.EchoString),
		echo("echoBinary", []byte{0, 1, 2, 0xfe, 0xff}, interopservice.Client.EchoBinary),
		echo("echoBinary/nil", []byte(nil), interopservice.Client.EchoBinary),
		echo("echoStatus", interop.Status_SUSPENDED, interopservice.Client.EchoStatus),
		echo("echoLevel", interop.Level_HIGH, interopservice.Client.EchoLevel),
		echo("echoIntList", []int32{1, -1, 1 << 30}, interopservice.Client.EchoIntList),
		echo("echoIntList/100k", bigList(100000), interopservice.Client.EchoIntList),
		echo("echoStringSet", []string{"a", "b"}, interopservice.Client.EchoStringSet),
		echo("echoBasicMap", map[string]*interop.Basic{"x": sampleBasic(9)}, interopservice.Client.EchoBasicMap),
		echo("echoBasicList", []*interop.Basic{sampleBasic(10), sampleBasic(11)}, interopservice.Client.EchoBasicList),
		echo("echoDate", ptr(time.UnixMilli(-1)), interopservice.Client.EchoDate),
		echo("echoDecimal", java.NewBigDecimal("3.14159265358979323846264338327950288"), interopservice.Client.EchoDecimal),
		echo("echoBigInteger", java.NewBigInteger(new(big.Int).Lsh(big.NewInt(3), 100)), interopservice.Client.EchoBigInteger),
		echo("echoBigInteger/negative", java.NewBigInteger(big.NewInt(-1)), interopservice.Client.EchoBigInteger),
		echo("echoLocalDateTime", &java.LocalDateTime{Time: time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)}, interopservice.Client.EchoLocalDateTime),
		echo("echoLocalDate", &java.LocalDate{Time: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)}, interopservice.Client.EchoLocalDate),
		echo("echoInstant", &java.Instant{Time: time.Unix(-1, 5).UTC()}, interopservice.Client.EchoInstant),
		echo("echoLongList", []int64{math.MinInt64, -1, 0, 1 << 33}, interopservice.Client.EchoLongList),
		echo("echoBoxedInt(Integer)", int32(123456), interopservice.Client.EchoBoxedInt),
		echo("echoInt/max", int32(math.MaxInt32), interopservice.Client.EchoInt),
		echo("echoLong/min", int64(math.MinInt64), interopservice.Client.EchoLong),
		echo("echoIntList/empty", []int32{}, interopservice.Client.EchoIntList),
		echo("echoBasicList/empty", []*interop.Basic{}, interopservice.Client.EchoBasicList),
		{Name: "sumFloats(float[])", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.SumFloats(ctx, []float64{0.5, 0.25, 2})
			if err != nil {
				return err
			}
			return same(got, 2.75)
		}},
		{Name: "sumShorts(short[])", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.SumShorts(ctx, []int16{-300, 32767, 1})
			if err != nil {
				return err
			}
			return same(got, int32(32468))
		}},
		{Name: "primitives(boolean,byte,short,int,long,double)", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.Primitives(ctx, true, -1, 2, 3, 4, 5.5)
			if err != nil {
				return err
			}
			return same(got, "boolean true, byte -1, short 2, int 3, long 4, double 5.5")
		}},
		{Name: "sumPrimitive(int,long,int[])", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.SumPrimitive(ctx, 1, 1<<40, []int32{2, 3})
			if err != nil {
				return err
			}
			return same(got, int64(1<<40+6))
		}},
		{Name: "average(double[])", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.Average(ctx, []float64{1, 2, 4.5})
			if err != nil {
				return err
			}
			return same(got, 2.5)
		}},
		{Name: "countMap(HashMap)", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.CountMap(ctx, map[string]int32{"a": 1, "b": 41})
			if err != nil {
				return err
			}
			return same(got, int32(42))
		}},
		{Name: "countSet(Set)", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.CountSet(ctx, []string{"a", "b", "c"})
			if err != nil {
				return err
			}
			return same(got, int32(3))
		}},
		{Name: "overload(String)", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.OverloadString(ctx, "s")
			if err != nil {
				return err
			}
			return same(got, "overload(String s)")
		}},
		{Name: "overload(int)", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.OverloadInt(ctx, 5)
			if err != nil {
				return err
			}
			return same(got, "overload(int 5)")
		}},
		{Name: "overload(String,int)", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.OverloadTwo(ctx, "s", 6)
			if err != nil {
				return err
			}
			return same(got, "overload(String s, int 6)")
		}},
		{Name: "nothing(void)", Run: func(ctx context.Context, c interopservice.Client) error { return c.Nothing(ctx) }},
		{Name: "throwBiz(IDL exception)", Run: func(ctx context.Context, c interopservice.Client) error {
			err := c.ThrowBiz(ctx, "E42")
			var be *interop.BizException
			if !errors.As(err, &be) {
				return fmt.Errorf("want *interop.BizException, got %T %v", err, err)
			}
			return same(be, &interop.BizException{Code: "E42", Detail: 3})
		}},
		{Name: "throwRuntime(Java exception)", Run: func(ctx context.Context, c interopservice.Client) error {
			_, err := c.ThrowRuntime(ctx, "it broke")
			var je *hessian2.JavaException
			if !errors.As(err, &je) {
				return fmt.Errorf("want *hessian2.JavaException, got %T %v", err, err)
			}
			if je.Class != "java.lang.RuntimeException" || je.Message != "it broke" {
				return fmt.Errorf("got %s: %q", je.Class, je.Message)
			}
			return nil
		}},
		{Name: "slow(timeout)", Run: func(ctx context.Context, c interopservice.Client) error {
			_, err := c.Slow(ctx, 2000, callopt.WithRPCTimeout(100*time.Millisecond))
			if !errors.Is(err, kerrors.ErrRPCTimeout) {
				return fmt.Errorf("want a timeout, got %v", err)
			}
			got, err := c.Slow(ctx, 10)
			if err != nil {
				return err
			}
			return same(got, "slept 10ms")
		}},
		// Calls in flight together, slow ones among them: each answer must
		// reach its own caller (Dubbo matches them by request id).
		{Name: "concurrent(64 calls)", Run: func(ctx context.Context, c interopservice.Client) error {
			errs := make(chan error, 64)
			for i := range 64 {
				go func() {
					var got, want string
					var err error
					if i%4 == 0 {
						got, err = c.Slow(ctx, 30)
						want = "slept 30ms"
					} else {
						want = fmt.Sprintf("c-%d", i)
						got, err = c.EchoString(ctx, want)
					}
					if err == nil && got != want {
						err = fmt.Errorf("call %d got %q, want %q", i, got, want)
					}
					errs <- err
				}()
			}
			var all []error
			for range 64 {
				all = append(all, <-errs)
			}
			return errors.Join(all...)
		}},
		{Name: "echoAttachments", Run: func(ctx context.Context, c interopservice.Client) error {
			ctx = metainfo.WithBackwardValues(ctx)
			ctx = metainfo.WithValue(ctx, "tenant", "acme")
			ctx = metainfo.WithPersistentValue(ctx, "trace", "t-1")
			got, err := c.EchoAttachments(ctx, []string{"tenant", "trace", "absent"})
			if err != nil {
				return err
			}
			if err := same(got, map[string]string{"tenant": "acme", "trace": "t-1"}); err != nil {
				return err
			}
			back, _ := metainfo.RecvBackwardValue(ctx, "echo-tenant")
			return same(back, "acme")
		}},
		{Name: "echoAttachments(tag)", Run: func(ctx context.Context, c interopservice.Client) error {
			got, err := c.EchoAttachments(ctx, []string{"tag:dubbo.tag", "dubbo.tag"}, callopt.WithTag("dubbo.tag", "gray"))
			if err != nil {
				return err
			}
			return same(got, map[string]string{"tag:dubbo.tag": "gray", "dubbo.tag": "gray"})
		}},
	}
	// Named by the Java class each value arrives as.
	for _, o := range []struct {
		java string
		v    java.Object
	}{
		{"Integer", int32(-5)}, {"Long", int64(1 << 50)}, {"Double", 0.25}, {"String", "str"}, {"Boolean", false},
		{"byte[]", []byte{1}}, {"Basic", sampleBasic(12)}, {"List", []any{"a", int32(1)}}, {"null", nil},
		{"Map", map[any]any{"k": int32(1)}},
	} {
		cases = append(cases, echo("echoObject("+o.java+")", o.v, interopservice.Client.EchoObject))
	}
	return append(cases, jdkTypeCases()...)
}

func bigList(n int) []int32 {
	l := make([]int32, n)
	for i := range l {
		l[i] = int32(i * 7919)
	}
	return l
}
