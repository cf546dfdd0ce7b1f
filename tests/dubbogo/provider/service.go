package main

import (
	"context"
	"fmt"
	"time"

	"dubbo.apache.org/dubbo-go/v3/common/constant"
	"github.com/apache/dubbo-go-hessian2/java8_time"
	"github.com/apache/dubbo-go-hessian2/java_exception"
	big "github.com/dubbogo/gost/math/big"

	"github.com/kitexdubbo/kitexdubbo/tests/dubbogo/interop"
)

// InteropService implements org.kitexdubbo.interop.InteropService the way
// tests/handler.go does. dubbo-go exports each Go method under its name and
// under the name with the first letter's case swapped (EchoBasic is also
// echoBasic, the Java name).
//
// dubbo-go's provider calls a method with the values the Hessian decoder
// produced, unconverted: a Hessian int is an int32 whatever the Java
// parameter type (byte, short), a long an int64, a list []interface{} or a
// typed slice, a map map[interface{}]interface{}, a Java enum a pointer. A
// parameter whose decoded type varies is therefore an interface{}. A method
// whose only parameter is []interface{} receives all the arguments instead
// (Overload relies on that), so no list parameter is declared that way.
type InteropService struct{}

func (*InteropService) EchoBasic(ctx context.Context, v *interop.Basic) (*interop.Basic, error) {
	return v, nil
}

func (*InteropService) EchoCollections(ctx context.Context, v *interop.Collections) (*interop.Collections, error) {
	return v, nil
}

func (*InteropService) EchoContainers(ctx context.Context, v *interop.Containers) (*interop.Containers, error) {
	return v, nil
}

func (*InteropService) EchoOptionals(ctx context.Context, v *interop.Optionals) (*interop.Optionals, error) {
	return v, nil
}

func (*InteropService) EchoTree(ctx context.Context, v *interop.Tree) (*interop.Tree, error) {
	return v, nil
}

func (*InteropService) EchoJavaTypes(ctx context.Context, v *interop.JavaTypes) (*interop.JavaTypes, error) {
	return v, nil
}

// EchoUntyped gets the Untyped struct as the map it travels as.
func (*InteropService) EchoUntyped(ctx context.Context, v interface{}) (interface{}, error) {
	m, ok := interop.Deref(v).(map[interface{}]interface{})
	if !ok && interop.Deref(v) != nil {
		return nil, runtimeError("echoUntyped: want a map, got %T", v)
	}
	return m, nil
}

func (*InteropService) EchoBool(ctx context.Context, v bool) (bool, error) { return v, nil }

// EchoByte: a Java byte travels as a Hessian int, decoded as int32.
func (*InteropService) EchoByte(ctx context.Context, v int32) (int8, error) { return int8(v), nil }

// EchoShort: a Java short travels as a Hessian int, decoded as int32.
func (*InteropService) EchoShort(ctx context.Context, v int32) (int16, error) { return int16(v), nil }

func (*InteropService) EchoInt(ctx context.Context, v int32) (int32, error) { return v, nil }

func (*InteropService) EchoLong(ctx context.Context, v int64) (int64, error) { return v, nil }

func (*InteropService) EchoDouble(ctx context.Context, v float64) (float64, error) { return v, nil }

// EchoFloat: a Java float travels as a Hessian double.
func (*InteropService) EchoFloat(ctx context.Context, v float64) (float32, error) {
	return float32(v), nil
}

func (*InteropService) EchoString(ctx context.Context, v string) (string, error) { return v, nil }

// EchoBinary answers null for null: a nil []byte result would be written as an
// empty binary.
func (*InteropService) EchoBinary(ctx context.Context, v interface{}) (interface{}, error) {
	switch b := interop.Deref(v).(type) {
	case nil:
		return nil, nil
	case []byte:
		return b, nil
	default:
		return nil, runtimeError("echoBinary: want byte[], got %T", v)
	}
}

// EchoStatus: a Java enum decodes as a pointer to the registered Go type.
func (*InteropService) EchoStatus(ctx context.Context, v *interop.Status) (*interop.Status, error) {
	return v, nil
}

// EchoLevel: Level has no Java class, it is an int.
func (*InteropService) EchoLevel(ctx context.Context, v interface{}) (int32, error) {
	n, err := interop.Int64(v)
	if err != nil {
		return 0, runtimeError("echoLevel: %v", err)
	}
	return int32(n), nil
}

func (*InteropService) EchoIntList(ctx context.Context, v interface{}) (interface{}, error) {
	return echoList(v)
}

func (*InteropService) EchoStringSet(ctx context.Context, v interface{}) (interface{}, error) {
	return echoList(v)
}

func (*InteropService) EchoBasicMap(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoBasicList(ctx context.Context, v interface{}) (interface{}, error) {
	return echoList(v)
}

func (*InteropService) EchoObject(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoDate(ctx context.Context, v interface{}) (interface{}, error) {
	switch d := interop.Deref(v).(type) {
	case nil:
		return nil, nil
	case time.Time:
		return d, nil
	default:
		return nil, runtimeError("echoDate: want java.util.Date, got %T", v)
	}
}

func (*InteropService) EchoDecimal(ctx context.Context, v *big.Decimal) (*big.Decimal, error) {
	return v, nil
}

func (*InteropService) EchoBigInteger(ctx context.Context, v *big.Integer) (*big.Integer, error) {
	return v, nil
}

func (*InteropService) EchoLocalDateTime(ctx context.Context, v *java8_time.LocalDateTime) (*java8_time.LocalDateTime, error) {
	return v, nil
}

func (*InteropService) EchoLocalDate(ctx context.Context, v *java8_time.LocalDate) (*java8_time.LocalDate, error) {
	return v, nil
}

func (*InteropService) EchoInstant(ctx context.Context, v *java8_time.Instant) (*java8_time.Instant, error) {
	return v, nil
}

func (*InteropService) EchoLongList(ctx context.Context, v interface{}) (interface{}, error) {
	return echoList(v)
}

// EchoBoxedInt is echoBoxedInt(java.lang.Integer): null stays null.
func (*InteropService) EchoBoxedInt(ctx context.Context, v interface{}) (interface{}, error) {
	v = interop.Deref(v)
	if v == nil {
		return nil, nil
	}
	n, err := interop.Int64(v)
	if err != nil {
		return nil, runtimeError("echoBoxedInt: %v", err)
	}
	return int32(n), nil
}

// SumFloats is sumFloats(float[]): a "[float" array decodes as []float64.
func (*InteropService) SumFloats(ctx context.Context, v interface{}) (float64, error) {
	items, err := interop.Items(v)
	if err != nil {
		return 0, runtimeError("sumFloats: %v", err)
	}
	var s float64
	for _, x := range items {
		f, err := interop.Float64(x)
		if err != nil {
			return 0, runtimeError("sumFloats: %v", err)
		}
		s += f
	}
	return s, nil
}

// SumShorts is sumShorts(short[]): a "[short" array decodes as []int32.
func (*InteropService) SumShorts(ctx context.Context, v interface{}) (int32, error) {
	items, err := interop.Items(v)
	if err != nil {
		return 0, runtimeError("sumShorts: %v", err)
	}
	var s int32
	for _, x := range items {
		n, err := interop.Int64(x)
		if err != nil {
			return 0, runtimeError("sumShorts: %v", err)
		}
		s += int32(int16(n))
	}
	return s, nil
}

// Primitives is primitives(boolean, byte, short, int, long, double): the
// byte, short and int all arrive as Hessian ints (int32).
func (*InteropService) Primitives(ctx context.Context, z bool, b, s, i int32, j int64, d float64) (string, error) {
	return fmt.Sprintf("boolean %t, byte %d, short %d, int %d, long %d, double %g", z, int8(b), int16(s), i, j, d), nil
}

// SumPrimitive is sumPrimitive(int, long, int[]).
func (*InteropService) SumPrimitive(ctx context.Context, a int32, b int64, c interface{}) (int64, error) {
	items, err := interop.Items(c)
	if err != nil {
		return 0, runtimeError("sumPrimitive: %v", err)
	}
	s := int64(a) + b
	for _, x := range items {
		n, err := interop.Int64(x)
		if err != nil {
			return 0, runtimeError("sumPrimitive: %v", err)
		}
		s += n
	}
	return s, nil
}

// Average is average(double[]).
func (*InteropService) Average(ctx context.Context, v interface{}) (float64, error) {
	items, err := interop.Items(v)
	if err != nil {
		return 0, runtimeError("average: %v", err)
	}
	if len(items) == 0 {
		return 0, runtimeError("average of nothing")
	}
	var s float64
	for _, x := range items {
		f, err := interop.Float64(x)
		if err != nil {
			return 0, runtimeError("average: %v", err)
		}
		s += f
	}
	return s / float64(len(items)), nil
}

// CountMap is countMap(java.util.HashMap): the sum of the values.
func (*InteropService) CountMap(ctx context.Context, m interface{}) (int32, error) {
	mm, ok := interop.Deref(m).(map[interface{}]interface{})
	if !ok {
		return 0, runtimeError("countMap: want a map, got %T", m)
	}
	var s int32
	for _, v := range mm {
		n, err := interop.Int64(v)
		if err != nil {
			return 0, runtimeError("countMap: %v", err)
		}
		s += int32(n)
	}
	return s, nil
}

// CountSet is countSet(java.util.Set): the number of elements.
func (*InteropService) CountSet(ctx context.Context, v interface{}) (int32, error) {
	items, err := interop.Items(v)
	if err != nil {
		return 0, runtimeError("countSet: %v", err)
	}
	return int32(len(items)), nil
}

// Overload stands for the three Java overloads of overload. dubbo-go's
// provider does not see the parameter types of a request (its decoder drops
// them), and a Go type has one method per name, so the one method takes all
// the arguments (a sole []interface{} parameter) and tells the overloads
// apart by the arguments' decoded types.
func (*InteropService) Overload(ctx context.Context, args []interface{}) (string, error) {
	switch len(args) {
	case 1:
		switch a := args[0].(type) {
		case string:
			return "overload(String " + a + ")", nil
		case int32:
			return fmt.Sprintf("overload(int %d)", a), nil
		}
	case 2:
		s, ok1 := args[0].(string)
		i, ok2 := args[1].(int32)
		if ok1 && ok2 {
			return fmt.Sprintf("overload(String %s, int %d)", s, i), nil
		}
	}
	types := make([]string, len(args))
	for i, a := range args {
		types[i] = fmt.Sprintf("%T", a)
	}
	return "", runtimeError("no overload(%v)", types)
}

func (*InteropService) Nothing(ctx context.Context) error { return nil }

func (*InteropService) ThrowBiz(ctx context.Context, code string) error {
	return interop.NewBizException(code)
}

// ThrowRuntime throws java.lang.RuntimeException(msg). A plain Go error would
// reach the caller as java.lang.Throwable (dubbo-go's choice), so the
// exception is made explicitly.
func (*InteropService) ThrowRuntime(ctx context.Context, msg string) (string, error) {
	return "", java_exception.NewRuntimeException(msg)
}

func (*InteropService) Slow(ctx context.Context, millis int32) (string, error) {
	time.Sleep(time.Duration(millis) * time.Millisecond)
	return fmt.Sprintf("slept %dms", millis), nil
}

// EchoAttachments returns the request attachments named by keys ("tag:K"
// names attachment K) and sends each found one back as the response
// attachment "echo-"+key. The context's attachment map is the request's, and
// dubbo-go's provider answers with that same map, so what is added to it
// travels back.
func (*InteropService) EchoAttachments(ctx context.Context, keys interface{}) (map[string]string, error) {
	items, err := interop.Items(keys)
	if err != nil {
		return nil, runtimeError("echoAttachments: %v", err)
	}
	atts, _ := ctx.Value(constant.AttachmentKey).(map[string]interface{})
	out := make(map[string]string, len(items))
	for _, it := range items {
		key, ok := it.(string)
		if !ok {
			return nil, runtimeError("echoAttachments: key is %T", it)
		}
		name := key
		if tag, ok := cutPrefix(key, "tag:"); ok {
			name = tag
		}
		v, ok := atts[name]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			s = fmt.Sprint(v)
		}
		out[key] = s
		if atts != nil {
			atts["echo-"+key] = s
		}
	}
	return out, nil
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

// echoList answers a list as it was decoded (untyped lists stay untyped,
// typed arrays and sets keep their type).
func echoList(v interface{}) (interface{}, error) {
	v = interop.Deref(v)
	if _, err := interop.Items(v); err != nil {
		return nil, runtimeError("%v", err)
	}
	return v, nil
}

// runtimeError is a java.lang.RuntimeException, what a Java implementation
// would throw.
func runtimeError(format string, args ...interface{}) error {
	return java_exception.NewRuntimeException(fmt.Sprintf(format, args...))
}

// The JDK-type methods echo whatever dubbo-go-hessian2 decoded the argument
// into (its java_sql_time, java_util and java8_time types, typed slices,
// maps), as Java's would echo its own; echoJdkTypes has no POJO here.
func (*InteropService) EchoTimestamp(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoUUID(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoDuration(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoZonedDateTime(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoStatuses(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoChar(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoCharacter(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoChars(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoBoxedInts(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoBoxedLongs(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoTreeMap(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoLinkedHashMap(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoConcurrentMap(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}

func (*InteropService) EchoLinkedList(ctx context.Context, v interface{}) (interface{}, error) {
	return interop.Deref(v), nil
}
