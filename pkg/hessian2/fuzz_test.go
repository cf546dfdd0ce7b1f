package hessian2

import (
	"errors"
	"testing"
)

// FuzzUnmarshal feeds arbitrary bytes to both decoding paths. Any input may fail,
// but only with one of the package's sentinels, and never by panicking.
func FuzzUnmarshal(f *testing.F) {
	for _, c := range wireCases {
		f.Add(unhex(f, c.hex))
	}
	for _, v := range []any{sampleOrder(), &testPalette{Main: colorRed}, NewJavaException("java.lang.Exception", "x")} {
		b, err := Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var o testOrder
		check(t, Unmarshal(data, &o))
		var m map[string][]int32
		check(t, Unmarshal(data, &m))
		_, err := NewDecoder(data).DecodePlain()
		check(t, err)
		var x any
		if err := Unmarshal(data, &x); err == nil {
			// What decodes must encode again.
			if _, err := Marshal(x); err != nil {
				t.Fatalf("re-encode of %T: %v", x, err)
			}
		} else {
			check(t, err)
		}
	})
}

func check(t *testing.T, err error) {
	if err == nil {
		return
	}
	for _, s := range []error{ErrShortBuffer, ErrTooLarge, ErrType, ErrSyntax} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error without a sentinel: %v", err)
}
