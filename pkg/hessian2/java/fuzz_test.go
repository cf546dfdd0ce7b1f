package java

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// FuzzJavaTypes feeds arbitrary bytes to the Java types' own readers (the
// java.time handles, BigInteger's words, BigDecimal), typed and untyped. Any
// input may fail, but only with one of hessian2's sentinels, never by panicking.
func FuzzJavaTypes(f *testing.F) {
	at := time.Date(2024, 2, 29, 13, 45, 7, 123456789, time.UTC)
	when := time.UnixMilli(1700000000000)
	n, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	for _, v := range []any{
		&holder{Total: NewBigDecimal("1.5"), Big: NewBigInteger(n), At: &LocalDateTime{at},
			Day: &LocalDate{at}, Moment: &Instant{at}, When: &when, Extra: &LocalTime{at}},
		NewBigInteger(big.NewInt(-1)), &LocalTime{at},
	} {
		b, err := hessian2.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var h holder
		check(t, hessian2.Unmarshal(data, &h))
		var x any
		if err := hessian2.Unmarshal(data, &x); err == nil {
			if _, err := hessian2.Marshal(x); err != nil {
				t.Fatalf("re-encode of %T: %v", x, err)
			}
		} else {
			check(t, err)
		}
	})
}

func check(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []error{hessian2.ErrShortBuffer, hessian2.ErrTooLarge, hessian2.ErrType, hessian2.ErrSyntax} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error without a sentinel: %v", err)
}
