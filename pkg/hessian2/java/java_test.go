package java

import (
	"encoding/binary"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

type holder struct {
	Total  *BigDecimal    `thrift:"total,1"`
	Big    *BigInteger    `thrift:"big,2"`
	At     *LocalDateTime `thrift:"at,3"`
	Day    *LocalDate     `thrift:"day,4"`
	Moment *Instant       `thrift:"moment,5"`
	When   *Date          `thrift:"when,6"`
	Extra  Object         `thrift:"extra,7"`
	Err    *Exception     `thrift:"err,8"`
}

func (*holder) JavaClassName() string { return "org.example.Holder" }

func TestRoundTrip(t *testing.T) {
	at := time.Date(2024, 2, 29, 13, 45, 7, 123456789, time.UTC)
	when := time.UnixMilli(1700000000000)
	n, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	in := &holder{
		Total: NewBigDecimal("12345.678900"), Big: NewBigInteger(n),
		At: &LocalDateTime{at}, Day: &LocalDate{time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		Moment: &Instant{at}, When: &when, Extra: int64(9),
		Err: hessian2.NewJavaException("java.lang.Exception", "x"),
	}
	b, err := hessian2.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, class := range []string{"java.math.BigDecimal", "java.math.BigInteger", localDateTimeHandle, localDateHandle, localTimeHandle, instantHandle} {
		if !strings.Contains(string(b), class) {
			t.Errorf("no %s on the wire", class)
		}
	}
	var out holder
	if err := hessian2.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Total.Value != "12345.678900" || out.Big.Cmp(n) != 0 || !out.At.Equal(at) || !out.Moment.Equal(at) ||
		!out.When.Equal(when) || out.Extra != int64(9) || out.Day.Year() != 1999 || out.Err.Message != "x" {
		t.Fatalf("got %+v", out)
	}
	// Untyped targets get the registered types.
	var m map[string]any
	if err := hessian2.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["at"].(*LocalDateTime); !ok {
		t.Fatalf("at decoded as %T", m["at"])
	}
	if _, ok := m["big"].(*BigInteger); !ok {
		t.Fatalf("big decoded as %T", m["big"])
	}
}

func TestDescriptors(t *testing.T) {
	for v, want := range map[any]string{
		&BigDecimal{}: "Ljava/math/BigDecimal;", &LocalDateTime{}: "Ljava/time/LocalDateTime;",
		&Instant{}: "Ljava/time/Instant;", &BigInteger{}: "Ljava/math/BigInteger;",
	} {
		got, err := hessian2.TypeDescriptor(reflect.TypeOf(v), "")
		if err != nil || got != want {
			t.Errorf("%T: %q %v, want %q", v, got, err, want)
		}
	}
}

// dubboGoBigInteger is java.math.BigInteger as dubbo-go-hessian2 writes it:
// the magnitude's words as unsigned longs.
type dubboGoBigInteger struct {
	Signum int32   `hessian:"signum"`
	Mag    []int64 `hessian:"mag"`
}

func (*dubboGoBigInteger) JavaClassName() string { return "java.math.BigInteger" }

func TestBigIntegerFromDubboGo(t *testing.T) {
	want, _ := new(big.Int).SetString("-98765432109876543210987654321", 10)
	b := new(big.Int).Neg(want).Bytes()
	for len(b)%4 != 0 {
		b = append([]byte{0}, b...)
	}
	var mag []int64
	for i := 0; i < len(b); i += 4 {
		mag = append(mag, int64(binary.BigEndian.Uint32(b[i:])))
	}
	data, err := hessian2.Marshal(&dubboGoBigInteger{Signum: -1, Mag: mag})
	if err != nil {
		t.Fatal(err)
	}
	var got BigInteger
	if err := hessian2.Unmarshal(data, &got); err != nil || got.Cmp(want) != 0 {
		t.Fatalf("%v, %v", got.String(), err)
	}
	bad, _ := hessian2.Marshal(&dubboGoBigInteger{Signum: 1, Mag: []int64{1 << 33}})
	if err := hessian2.Unmarshal(bad, &got); err == nil || !strings.Contains(err.Error(), "mag[0] = 8589934592 is not a 32-bit word") {
		t.Fatalf("got %v", err)
	}
}
