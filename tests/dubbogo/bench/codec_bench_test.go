package bench

import (
	"testing"

	hessian "github.com/apache/dubbo-go-hessian2"
)

// BenchmarkEncode/<shape>/dubbogo-hessian2 and BenchmarkDecode/<shape>/dubbogo-hessian2
// line up with tests/bench's BenchmarkEncode/<shape>/{generated,reflect,thrift}
// (benchstat matches them by name). Both reuse what the API lets them reuse:
// one Encoder, cleaned with ReuseBufferClean (which keeps the buffer only
// while it is at most 512 bytes), and one Decoder, Reset onto the bytes. The
// decoder reads what dubbo-go-hessian2 wrote; golden_test.go checks that those
// bytes are the same values to kitexdubbo's decoder.
func BenchmarkEncode(b *testing.B) {
	for _, s := range Shapes() {
		b.Run(s.Name+"/dubbogo-hessian2", func(b *testing.B) {
			v := s.Value()
			e := hessian.NewEncoder()
			b.ReportAllocs()
			for b.Loop() {
				e.ReuseBufferClean()
				if err := e.Encode(v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(e.Buffer())), "wire-bytes")
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, s := range Shapes() {
		data := encode(b, s.Value())
		b.Run(s.Name+"/dubbogo-hessian2", func(b *testing.B) {
			d := hessian.NewDecoder(data)
			b.ReportAllocs()
			for b.Loop() {
				d.Reset(data)
				if _, err := d.Decode(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(data)), "wire-bytes")
		})
	}
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	e := hessian.NewEncoder()
	if err := e.Encode(v); err != nil {
		t.Fatal(err)
	}
	return e.Buffer()
}
