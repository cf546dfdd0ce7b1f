package java

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/allocs"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Each reader charges what it allocates: a long list of one type's values,
// its class definitions written once so each value is as short as Hessian
// makes it, decodes (into any or typed) allocating no more than about its
// budget, whether it fits the budget or fails with ErrBudget.
func TestJavaTypesStayInBudget(t *testing.T) {
	const n = 20_000
	cases := append(javaCases[:len(javaCases):len(javaCases)], struct {
		name, hex string
		v         any
	}{"an offset with seconds (a Location per value)", "", &OffsetDateTime{time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("", -19845))}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			list := reflect.MakeSlice(reflect.SliceOf(reflect.TypeOf(c.v)), n, n)
			for i := range n {
				list.Index(i).Set(reflect.ValueOf(c.v))
			}
			in, err := hessian2.Marshal(list.Interface())
			if err != nil {
				t.Fatal(err)
			}
			limit := uint64(2*hessian2.Budget(len(in))) + 1<<20
			for _, into := range []any{new(any), reflect.New(list.Type()).Interface()} {
				var err error
				got := allocs.Bytes(func() { err = hessian2.Unmarshal(in, into) })
				if err != nil && !errors.Is(err, hessian2.ErrBudget) {
					t.Fatalf("%T: %v", into, err)
				}
				if got > limit {
					t.Errorf("%T: allocated %d bytes for %d of input (err %v), want at most %d", into, got, len(in), err, limit)
				}
			}
		})
	}
}
