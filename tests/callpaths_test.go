package tests

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
	"github.com/kitexdubbo/kitexdubbo/tests/kitex_gen/interop/interopservice"
)

// What pkg/dubbo asks of the Args and Result types kitexdubbo-gen gives
// methods (its argsCodec and resultCodec).
type (
	genArgs interface {
		MarshalHessian2Arg(e *hessian2.Encoder, i int) error
		UnmarshalHessian2Arg(d *hessian2.Decoder, i int) error
	}
	genResult interface {
		Hessian2Outcome() (exception any, value bool)
		MarshalHessian2Value(e *hessian2.Encoder) error
		UnmarshalHessian2Value(d *hessian2.Decoder) error
	}
)

// TestCallPathsAgree holds the generated Args and Result methods to what the
// codec does by reflection with the same structs: for random arguments and
// results of every method of the interop service, each argument and return
// value is written to the same bytes both ways and read back the same both
// ways, and the outcome (exception, value or nothing) is the one reflection
// finds.
func TestCallPathsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(20261203, 1))
	methods := interopservice.NewServiceInfo().Methods
	names := slices.Sorted(maps.Keys(methods))
	for round := range 100 {
		for _, name := range names {
			mi := methods[name]
			args := mi.NewArgs()
			if _, ok := args.(genArgs); !ok {
				t.Fatalf("%s: %T has no generated methods", name, args)
			}
			av := reflect.ValueOf(args).Elem()
			fill(r, av, 0)
			arg := 0
			for i := range av.NumField() {
				if !av.Type().Field(i).IsExported() {
					continue
				}
				samePaths(t, name, av.Field(i), mi.NewArgs,
					func(x any, e *hessian2.Encoder) error { return x.(genArgs).MarshalHessian2Arg(e, arg) },
					func(x any, d *hessian2.Decoder) error { return x.(genArgs).UnmarshalHessian2Arg(d, arg) }, i)
				arg++
			}
			if mi.OneWay() {
				continue
			}
			res := mi.NewResult()
			gen, ok := res.(genResult)
			if !ok {
				t.Fatalf("%s: %T has no generated methods", name, res)
			}
			rv := reflect.ValueOf(res).Elem()
			fill(r, rv, 0)
			var wantExc any
			wantValue, success := false, -1
			for i := range rv.NumField() {
				f := rv.Field(i)
				switch {
				case rv.Type().Field(i).Name == "Success":
					success = i
				case wantExc == nil && !f.IsNil():
					wantExc = f.Interface()
				}
			}
			if success >= 0 {
				wantValue = wantExc == nil && !isNilValue(rv.Field(success))
				samePaths(t, name+" result", rv.Field(success), mi.NewResult,
					func(x any, e *hessian2.Encoder) error { return x.(genResult).MarshalHessian2Value(e) },
					func(x any, d *hessian2.Decoder) error { return x.(genResult).UnmarshalHessian2Value(d) }, success)
			}
			if exc, value := gen.Hessian2Outcome(); exc != wantExc || value != wantValue {
				t.Fatalf("round %d, %s: outcome (%v, %v), reflection finds (%v, %v)", round, name, exc, value, wantExc, wantValue)
			}
		}
	}
}

// samePaths writes field (field i of a struct made by fresh) with the
// generated method and by reflection, which must write the same bytes, and
// reads them into field i of fresh structs both ways, which must give equal
// values. (That they are the values written is TestCodecPathsAgree's part,
// for the IDL's structs, and the interop suite's, for every method.)
func samePaths(t *testing.T, what string, field reflect.Value, fresh func() any,
	write func(any, *hessian2.Encoder) error, read func(any, *hessian2.Decoder) error, i int) {
	t.Helper()
	holder := fresh()
	reflect.ValueOf(holder).Elem().Field(i).Set(field)
	eg := hessian2.NewEncoder(nil)
	errGen := write(holder, eg)
	er := hessian2.NewEncoder(nil)
	er.SetReflectOnly(true)
	errRefl := er.Encode(field.Interface())
	if errGen != nil || errRefl != nil {
		// A value Java could not take (random values may be): both refuse it alike.
		if errGen == nil || errRefl == nil || errGen.Error() != errRefl.Error() {
			t.Fatalf("%s, field %d: generated: %v; reflection: %v", what, i, errGen, errRefl)
		}
		return
	}
	if !bytes.Equal(eg.Bytes(), er.Bytes()) {
		t.Fatalf("%s, field %d (%s): generated and reflection wrote different bytes (%d and %d)", what, i, field.Type(), len(eg.Bytes()), len(er.Bytes()))
	}
	gen, refl := fresh(), fresh()
	if err := read(gen, hessian2.NewDecoder(eg.Bytes())); err != nil {
		t.Fatalf("%s, field %d: generated read: %v", what, i, err)
	}
	d := hessian2.NewDecoder(eg.Bytes())
	d.SetReflectOnly(true)
	if err := d.Decode(reflect.ValueOf(refl).Elem().Field(i).Addr().Interface()); err != nil {
		t.Fatalf("%s, field %d: reflective read: %v", what, i, err)
	}
	g, rf := reflect.ValueOf(gen).Elem().Field(i).Interface(), reflect.ValueOf(refl).Elem().Field(i).Interface()
	if !reflect.DeepEqual(g, rf) {
		t.Fatalf("%s, field %d (%T): the generated and the reflective reads differ", what, i, g)
	}
}

func isNilValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return v.IsNil()
	}
	return false
}

// FuzzCallPaths reads arbitrary bytes as each argument of every method with
// the generated methods and by reflection: both must fail, or both succeed
// with equal values.
func FuzzCallPaths(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	methods := interopservice.NewServiceInfo().Methods
	names := slices.Sorted(maps.Keys(methods))
	for _, name := range names {
		args := methods[name].NewArgs()
		av := reflect.ValueOf(args).Elem()
		fill(r, av, 0)
		for i := range av.NumField() {
			if av.Type().Field(i).IsExported() {
				if b, err := hessian2.Marshal(av.Field(i).Interface()); err == nil {
					f.Add(b)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range names {
			gen, refl := methods[name].NewArgs(), methods[name].NewArgs()
			rv := reflect.ValueOf(refl).Elem()
			arg := 0
			for i := range rv.NumField() {
				if !rv.Type().Field(i).IsExported() {
					continue
				}
				errGen := gen.(genArgs).UnmarshalHessian2Arg(hessian2.NewDecoder(data), arg)
				d := hessian2.NewDecoder(data)
				d.SetReflectOnly(true)
				errRefl := d.Decode(rv.Field(i).Addr().Interface())
				if (errGen == nil) != (errRefl == nil) {
					t.Fatalf("%s, argument %d: generated: %v; reflective: %v", name, arg, errGen, errRefl)
				}
				if g := reflect.ValueOf(gen).Elem().Field(i).Interface(); errGen == nil && !equalNaN(g, rv.Field(i).Interface()) {
					t.Fatalf("%s, argument %d: the generated and the reflective reads differ", name, arg)
				}
				arg++
			}
		}
	})
}
