package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bytedance/gopkg/cloud/metainfo"
	"github.com/cloudwego/kitex/pkg/rpcinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop"
)

// JavaInterface is the Java interface idl/interop.thrift stands for.
const JavaInterface = "org.kitexdubbo.interop.InteropService"

// Handler is the Go implementation of InteropService: echoes, plus the
// methods whose answer says which overload or error path ran.
type Handler struct{}

var _ interop.InteropService = (*Handler)(nil)

func (*Handler) EchoBasic(ctx context.Context, v *interop.Basic) (*interop.Basic, error) {
	return v, nil
}
func (*Handler) EchoCollections(ctx context.Context, v *interop.Collections) (*interop.Collections, error) {
	return v, nil
}
func (*Handler) EchoContainers(ctx context.Context, v *interop.Containers) (*interop.Containers, error) {
	return v, nil
}
func (*Handler) EchoOptionals(ctx context.Context, v *interop.Optionals) (*interop.Optionals, error) {
	return v, nil
}
func (*Handler) EchoTree(ctx context.Context, v *interop.Tree) (*interop.Tree, error) { return v, nil }
func (*Handler) EchoJavaTypes(ctx context.Context, v *interop.JavaTypes) (*interop.JavaTypes, error) {
	return v, nil
}
func (*Handler) EchoUntyped(ctx context.Context, v *interop.Untyped) (*interop.Untyped, error) {
	return v, nil
}
func (*Handler) EchoBool(ctx context.Context, v bool) (bool, error)          { return v, nil }
func (*Handler) EchoByte(ctx context.Context, v int8) (int8, error)          { return v, nil }
func (*Handler) EchoShort(ctx context.Context, v int16) (int16, error)       { return v, nil }
func (*Handler) EchoInt(ctx context.Context, v int32) (int32, error)         { return v, nil }
func (*Handler) EchoLong(ctx context.Context, v int64) (int64, error)        { return v, nil }
func (*Handler) EchoDouble(ctx context.Context, v float64) (float64, error)  { return v, nil }
func (*Handler) EchoString(ctx context.Context, v string) (string, error)    { return v, nil }
func (*Handler) EchoBinary(ctx context.Context, v []byte) ([]byte, error)    { return v, nil }
func (*Handler) EchoFloat(ctx context.Context, v float64) (float64, error)   { return v, nil }
func (*Handler) EchoIntList(ctx context.Context, v []int32) ([]int32, error) { return v, nil }
func (*Handler) EchoStatus(ctx context.Context, v interop.Status) (interop.Status, error) {
	return v, nil
}
func (*Handler) EchoLevel(ctx context.Context, v interop.Level) (interop.Level, error) {
	return v, nil
}
func (*Handler) EchoStringSet(ctx context.Context, v []string) ([]string, error) { return v, nil }
func (*Handler) EchoBasicMap(ctx context.Context, v map[string]*interop.Basic) (map[string]*interop.Basic, error) {
	return v, nil
}
func (*Handler) EchoBasicList(ctx context.Context, v []*interop.Basic) ([]*interop.Basic, error) {
	return v, nil
}
func (*Handler) EchoObject(ctx context.Context, v java.Object) (java.Object, error) { return v, nil }
func (*Handler) EchoDate(ctx context.Context, v *java.Date) (*java.Date, error)     { return v, nil }
func (*Handler) EchoDecimal(ctx context.Context, v *java.BigDecimal) (*java.BigDecimal, error) {
	return v, nil
}

func (*Handler) EchoBigInteger(ctx context.Context, v *java.BigInteger) (*java.BigInteger, error) {
	return v, nil
}
func (*Handler) EchoLocalDateTime(ctx context.Context, v *java.LocalDateTime) (*java.LocalDateTime, error) {
	return v, nil
}
func (*Handler) EchoLocalDate(ctx context.Context, v *java.LocalDate) (*java.LocalDate, error) {
	return v, nil
}
func (*Handler) EchoInstant(ctx context.Context, v *java.Instant) (*java.Instant, error) {
	return v, nil
}
func (*Handler) EchoLongList(ctx context.Context, v []int64) ([]int64, error) { return v, nil }
func (*Handler) EchoBoxedInt(ctx context.Context, v int32) (int32, error)     { return v, nil }

func (*Handler) SumFloats(ctx context.Context, v []float64) (float64, error) {
	var s float64
	for _, x := range v {
		s += x
	}
	return s, nil
}

func (*Handler) SumShorts(ctx context.Context, v []int16) (int32, error) {
	var s int32
	for _, x := range v {
		s += int32(x)
	}
	return s, nil
}

// Primitives says what it received, each through its Java primitive type.
func (*Handler) Primitives(ctx context.Context, z bool, b int8, s int16, i int32, j int64, d float64) (string, error) {
	return fmt.Sprintf("boolean %t, byte %d, short %d, int %d, long %d, double %g", z, b, s, i, j, d), nil
}

func (*Handler) SumPrimitive(ctx context.Context, a int32, b int64, c []int32) (int64, error) {
	s := int64(a) + b
	for _, x := range c {
		s += int64(x)
	}
	return s, nil
}

func (*Handler) Average(ctx context.Context, v []float64) (float64, error) {
	if len(v) == 0 {
		return 0, errors.New("average of nothing")
	}
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v)), nil
}

func (*Handler) CountMap(ctx context.Context, m map[string]int32) (int32, error) {
	var s int32
	for _, v := range m {
		s += v
	}
	return s, nil
}

func (*Handler) CountSet(ctx context.Context, v []string) (int32, error) { return int32(len(v)), nil }

func (*Handler) OverloadString(ctx context.Context, s string) (string, error) {
	return "overload(String " + s + ")", nil
}
func (*Handler) OverloadInt(ctx context.Context, i int32) (string, error) {
	return fmt.Sprintf("overload(int %d)", i), nil
}
func (*Handler) OverloadTwo(ctx context.Context, s string, i int32) (string, error) {
	return fmt.Sprintf("overload(String %s, int %d)", s, i), nil
}

func (*Handler) Nothing(ctx context.Context) error { return nil }

func (*Handler) ThrowBiz(ctx context.Context, code string) error {
	return &interop.BizException{Code: code, Detail: int32(len(code))}
}

func (*Handler) ThrowRuntime(ctx context.Context, msg string) (string, error) {
	return "", errors.New(msg)
}

func (*Handler) Slow(ctx context.Context, millis int32) (string, error) {
	select {
	case <-time.After(time.Duration(millis) * time.Millisecond):
		return fmt.Sprintf("slept %dms", millis), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// EchoAttachments returns the request attachments named by keys, and sends
// each back as a response attachment with a "echo-" prefix. A key "tag:K" asks
// for the caller's Kitex tag K instead (what WithTagKeys maps).
func (*Handler) EchoAttachments(ctx context.Context, keys []string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		if tag, ok := strings.CutPrefix(k, "tag:"); ok {
			if v, ok := rpcinfo.GetRPCInfo(ctx).From().Tag(tag); ok {
				out[k] = v
			}
			continue
		}
		if v, ok := metainfo.GetValue(ctx, k); ok {
			out[k] = v
			metainfo.SendBackwardValue(ctx, "echo-"+k, v)
		}
	}
	return out, nil
}

func (*Handler) EchoJdkTypes(ctx context.Context, v *interop.JdkTypes) (*interop.JdkTypes, error) {
	return v, nil
}
func (*Handler) EchoTimestamp(ctx context.Context, v *java.Timestamp) (*java.Timestamp, error) {
	return v, nil
}
func (*Handler) EchoUUID(ctx context.Context, v *java.UUID) (*java.UUID, error) { return v, nil }
func (*Handler) EchoDuration(ctx context.Context, v *java.Duration) (*java.Duration, error) {
	return v, nil
}
func (*Handler) EchoZonedDateTime(ctx context.Context, v *java.ZonedDateTime) (*java.ZonedDateTime, error) {
	return v, nil
}
func (*Handler) EchoStatuses(ctx context.Context, v *java.EnumSet) (*java.EnumSet, error) {
	return v, nil
}
func (*Handler) EchoChar(ctx context.Context, c *java.Char) (*java.Char, error)      { return c, nil }
func (*Handler) EchoCharacter(ctx context.Context, c *java.Char) (*java.Char, error) { return c, nil }
func (*Handler) EchoChars(ctx context.Context, v string) (string, error)             { return v, nil }
func (*Handler) EchoBoxedInts(ctx context.Context, v []int32) ([]int32, error)       { return v, nil }
func (*Handler) EchoBoxedLongs(ctx context.Context, v []int64) ([]int64, error)      { return v, nil }
func (*Handler) EchoTreeMap(ctx context.Context, v map[string]int32) (map[string]int32, error) {
	return v, nil
}
func (*Handler) EchoLinkedHashMap(ctx context.Context, v *java.Map) (*java.Map, error) { return v, nil }
func (*Handler) EchoConcurrentMap(ctx context.Context, v map[string]int32) (map[string]int32, error) {
	return v, nil
}
func (*Handler) EchoLinkedList(ctx context.Context, v []string) ([]string, error) { return v, nil }
