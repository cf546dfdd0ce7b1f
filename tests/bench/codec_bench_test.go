package bench

import (
	"reflect"
	"testing"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
	h "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes"
	t "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/thriftshapes"
)

// thriftCodec is what Kitex's generated Thrift types offer (gopkg's fast codec).
type thriftCodec interface {
	BLength() int
	FastWrite(buf []byte) int
	FastRead(buf []byte) (int, error)
}

type shape struct {
	name   string
	value  any                // a Dubbo-side value
	fresh  func() any         // an empty one to decode into
	thrift func() thriftCodec // the same value in Thrift types
	empty  func() thriftCodec
}

func shapes() []shape {
	return []shape{
		{"small", Small(), func() any { return new(h.Small) },
			func() thriftCodec { return ThriftSmall() }, func() thriftCodec { return new(thriftSmall) }},
		{"medium", Order(), func() any { return new(h.Order) },
			func() thriftCodec { return ThriftOrder() }, func() thriftCodec { return new(thriftOrder) }},
		{"large", Batch(), func() any { return new(h.Batch) },
			func() thriftCodec { return ThriftBatch() }, func() thriftCodec { return new(thriftBatch) }},
	}
}

// BenchmarkEncode/<shape>/<codec>: generated is kitexdubbo-gen's code,
// reflect the same types through pkg/hessian2's reflective path, thrift
// Kitex's Thrift fast codec on the same values (the ceiling). Each reports
// the bytes on the wire.
func BenchmarkEncode(b *testing.B) {
	for _, s := range shapes() {
		for _, reflectOnly := range []bool{false, true} {
			b.Run(s.name+"/"+codecName(reflectOnly), func(b *testing.B) {
				e := hessian2.NewEncoder(nil)
				e.SetReflectOnly(reflectOnly)
				b.ReportAllocs()
				for b.Loop() {
					e.Reset(e.Bytes()[:0])
					if err := e.Encode(s.value); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(e.Bytes())), "wire-bytes")
			})
		}
		b.Run(s.name+"/thrift", func(b *testing.B) {
			v := s.thrift()
			buf := make([]byte, v.BLength())
			b.ReportAllocs()
			for b.Loop() {
				buf = buf[:v.BLength()]
				v.FastWrite(buf)
			}
			b.ReportMetric(float64(len(buf)), "wire-bytes")
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, s := range shapes() {
		data, err := hessian2.Marshal(s.value)
		if err != nil {
			b.Fatal(err)
		}
		for _, reflectOnly := range []bool{false, true} {
			b.Run(s.name+"/"+codecName(reflectOnly), func(b *testing.B) {
				d := hessian2.NewDecoder(nil)
				b.ReportAllocs()
				for b.Loop() {
					d.Reset(data)
					d.SetReflectOnly(reflectOnly)
					if err := d.Decode(s.fresh()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(data)), "wire-bytes")
			})
		}
		b.Run(s.name+"/thrift", func(b *testing.B) {
			v := s.thrift()
			buf := make([]byte, v.BLength())
			v.FastWrite(buf)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.empty().FastRead(buf); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(buf)), "wire-bytes")
		})
	}
}

func codecName(reflectOnly bool) string {
	if reflectOnly {
		return "reflect"
	}
	return "generated"
}

// The generated and the reflective path agree on the benchmarks' values: what
// one writes, the other reads back equal, and both write the same bytes (the
// values share no pointers, where the two may differ).
func TestShapesBothPaths(t *testing.T) {
	for _, s := range shapes() {
		var out [2][]byte
		for i, reflectOnly := range []bool{false, true} {
			e := hessian2.NewEncoder(nil)
			e.SetReflectOnly(reflectOnly)
			if err := e.Encode(s.value); err != nil {
				t.Fatal(err)
			}
			out[i] = e.Bytes()
			for _, readReflect := range []bool{false, true} {
				d := hessian2.NewDecoder(out[i])
				d.SetReflectOnly(readReflect)
				got := s.fresh()
				if err := d.Decode(got); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if !reflect.DeepEqual(got, s.value) {
					t.Fatalf("%s written reflect=%v, read reflect=%v: %+v", s.name, reflectOnly, readReflect, got)
				}
			}
		}
		if string(out[0]) != string(out[1]) {
			t.Errorf("%s: the generated and reflective bytes differ", s.name)
		}
	}
}

type (
	thriftSmall = t.Small
	thriftOrder = t.Order
	thriftBatch = t.Batch
)
