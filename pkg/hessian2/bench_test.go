package hessian2

import "testing"

// BenchmarkEncode/order/reflect and BenchmarkDecode/order/reflect measure the
// reflective path on a ~700-byte order; the generated fast codec adds its own
// lines beside them (benchstat lines the codecs up by the last element).
func BenchmarkEncode(b *testing.B) {
	o := sampleOrder()
	b.Run("order/reflect", func(b *testing.B) {
		e := NewEncoder(nil)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			e.Reset(e.Bytes()[:0])
			if err := e.Encode(o); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(e.Bytes())))
	})
}

func BenchmarkDecode(b *testing.B) {
	data, err := Marshal(sampleOrder())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("order/reflect", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		d := NewDecoder(nil)
		for i := 0; i < b.N; i++ {
			d.Reset(data)
			var o testOrder
			if err := d.Decode(&o); err != nil {
				b.Fatal(err)
			}
		}
	})
}
