package tests

// Differential tests of the two Hessian2 paths: kitexdubbo-gen's generated
// methods and pkg/hessian2's reflection. Random values of every IDL type are
// written by each and read by each, and all four readings must equal the
// value; FuzzCodecPaths feeds arbitrary bytes to both readers, which must
// agree on what they make of them.

import (
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop"
)

// pathTypes are the IDL's structs, each as a fresh pointer.
var pathTypes = []func() any{
	func() any { return new(interop.Basic) }, func() any { return new(interop.Collections) },
	func() any { return new(interop.Containers) }, func() any { return new(interop.Optionals) },
	func() any { return new(interop.Tree) }, func() any { return new(interop.JavaTypes) },
	func() any { return new(interop.Untyped) }, func() any { return new(interop.BizException) },
}

func TestCodecPathsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(20261201, 1))
	for round := range 300 {
		for _, fresh := range pathTypes {
			v := fresh()
			fill(r, reflect.ValueOf(v).Elem(), 0)
			var bodies [2][]byte
			for i, reflectOnly := range []bool{false, true} {
				e := hessian2.NewEncoder(nil)
				e.SetReflectOnly(reflectOnly)
				if err := e.Encode(v); err != nil {
					t.Fatalf("round %d, %T, reflect %v: %v", round, v, reflectOnly, err)
				}
				bodies[i] = e.Bytes()
				for _, readReflect := range []bool{false, true} {
					got := fresh()
					d := hessian2.NewDecoder(bodies[i])
					d.SetReflectOnly(readReflect)
					if err := d.Decode(got); err != nil {
						t.Fatalf("round %d, %T written reflect=%v, read reflect=%v: %v", round, v, reflectOnly, readReflect, err)
					}
					if !reflect.DeepEqual(got, v) {
						t.Fatalf("round %d, %T written reflect=%v, read reflect=%v:\n got %#v\nwant %#v", round, v, reflectOnly, readReflect, got, v)
					}
				}
			}
			// Values without shared pointers write the same bytes either way.
			if string(bodies[0]) != string(bodies[1]) {
				t.Fatalf("round %d, %T: the paths wrote different bytes", round, v)
			}
		}
	}
}

// fill sets v to a random value of its type, as Java could send it back:
// times to the millisecond (a Hessian date), java.time values in UTC,
// nothing that is not equal to itself (NaN).
func fill(r *rand.Rand, v reflect.Value, depth int) {
	switch x := v.Addr().Interface().(type) {
	case *java.Object:
		*x = []any{nil, int32(r.Int32()), r.Int64(), "s" + randString(r), true, r.Float64()}[r.IntN(6)]
		return
	case **time.Time:
		if r.IntN(4) > 0 {
			tm := time.UnixMilli(r.Int64N(1 << 42)).Local()
			*x = &tm
		}
		return
	case **java.BigDecimal:
		if r.IntN(4) > 0 {
			*x = java.NewBigDecimal(big.NewFloat(r.NormFloat64()).Text('f', 6))
		}
		return
	case **java.BigInteger:
		if r.IntN(4) > 0 {
			*x = java.NewBigInteger(new(big.Int).Lsh(big.NewInt(r.Int64N(1<<40)-1<<39), uint(r.IntN(100))))
		}
		return
	case **java.LocalDateTime:
		if r.IntN(4) > 0 {
			*x = &java.LocalDateTime{Time: time.Unix(r.Int64N(1<<34), r.Int64N(1e9)).UTC()}
		}
		return
	case **java.LocalDate:
		if r.IntN(4) > 0 {
			*x = &java.LocalDate{Time: time.Date(1900+r.IntN(300), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)}
		}
		return
	case **java.Instant:
		if r.IntN(4) > 0 {
			*x = &java.Instant{Time: time.Unix(r.Int64N(1<<34), r.Int64N(1e9)).UTC()}
		}
		return
	case *java.Char: // one UTF-16 unit, not a surrogate
		*x = java.Char([]rune{'a', 'é', '中'}[r.IntN(3)])
		return
	case *interop.Status:
		*x = interop.Status(1 + r.IntN(2))
		return
	case *interop.Level:
		*x = interop.Level(1 + r.IntN(2))
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 1)
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := v.Type().Bits()
		n := r.Int64() >> (64 - bits)
		if r.IntN(3) == 0 {
			n = int64(r.IntN(200)) - 100 // the compact forms
		}
		v.SetInt(n)
	case reflect.Float64:
		f := r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10))
		if r.IntN(4) == 0 {
			f = float64(r.IntN(1000)) // the compact forms
		}
		v.SetFloat(f)
	case reflect.String:
		v.SetString(randString(r))
	case reflect.Pointer:
		if r.IntN(3) == 0 || depth > 3 {
			v.SetZero()
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(r, v.Elem(), depth+1)
	case reflect.Slice:
		if r.IntN(4) == 0 || depth > 3 {
			v.SetZero()
			return
		}
		n := r.IntN(5)
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, n*7)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			v.SetBytes(b)
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(r, v.Index(i), depth+1)
		}
	case reflect.Map:
		if r.IntN(4) == 0 || depth > 3 {
			v.SetZero()
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		n := r.IntN(5)
		if r.IntN(4) == 0 { // past what generated writers sort on their stack
			n = 8 + r.IntN(12)
		}
		for range n {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(r, k, depth+1)
			fill(r, e, depth+1)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i), depth+1)
			}
		}
	}
}

// randString mixes ASCII, other BMP characters and ones beyond it (Java
// writes those as surrogate pairs), and sometimes a string long enough to
// be chunked.
func randString(r *rand.Rand) string {
	var b strings.Builder
	n := r.IntN(12)
	if r.IntN(50) == 0 {
		n = 40000
	}
	for range n {
		switch r.IntN(6) {
		case 0:
			b.WriteRune(rune(0x80 + r.IntN(0x700)))
		case 1:
			b.WriteRune(rune(0x10000 + r.IntN(0x1000)))
		default:
			b.WriteByte(byte('a' + r.IntN(26)))
		}
	}
	return b.String()
}

// FuzzCodecPaths reads arbitrary bytes into each IDL type with both paths:
// they must both fail, or both succeed with equal values.
func FuzzCodecPaths(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, fresh := range pathTypes {
		v := fresh()
		fill(r, reflect.ValueOf(v).Elem(), 0)
		b, err := hessian2.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fresh := range pathTypes {
			gen, refl := fresh(), fresh()
			d := hessian2.NewDecoder(data)
			errGen := d.Decode(gen)
			d.Reset(data)
			d.SetReflectOnly(true)
			errRefl := d.Decode(refl)
			if (errGen == nil) != (errRefl == nil) {
				t.Fatalf("%T: generated: %v; reflective: %v", gen, errGen, errRefl)
			}
			if errGen == nil && !equalNaN(gen, refl) {
				t.Fatalf("%T: generated read %#v, reflective %#v", gen, gen, refl)
			}
		}
	})
}

// equalNaN is reflect.DeepEqual with every NaN equal to every NaN.
func equalNaN(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ba, errA := hessian2.Marshal(a)
	bb, errB := hessian2.Marshal(b)
	return errA == nil && errB == nil && string(ba) == string(bb)
}
