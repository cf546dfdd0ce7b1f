package bench

import (
	"reflect"
	"strings"
	"testing"

	h "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes"
)

// BenchmarkHold/<shape> builds a copy of each shape by hand (every string,
// slice, map and struct anew, maps sized up front): its allocs/op is what
// the result holds, the bar for a decoder's allocations (DESIGN.md section 5:
// decode "allocates only what the result holds"). BENCHMARKS.md compares
// BenchmarkDecode/<shape>/generated with it.
func BenchmarkHold(b *testing.B) {
	for _, s := range []struct {
		name string
		copy func() any
	}{
		{"small", func() any { return copySmall(Small()) }},
		{"medium", func() any { return copyOrder(Order()) }},
		{"large", func() any { return copyBatch(Batch()) }},
	} {
		b.Run(s.name, func(b *testing.B) {
			orig := s.copy()
			var v any
			b.ReportAllocs()
			for b.Loop() {
				switch o := orig.(type) {
				case *h.Small:
					v = copySmall(o)
				case *h.Order:
					v = copyOrder(o)
				case *h.Batch:
					v = copyBatch(o)
				}
			}
			_ = v
		})
	}
}

// The copies are the values themselves: the benchmark copies what a decoder makes.
func TestHoldCopies(t *testing.T) {
	if !reflect.DeepEqual(copySmall(Small()), Small()) || !reflect.DeepEqual(copyOrder(Order()), Order()) ||
		!reflect.DeepEqual(copyBatch(Batch()), Batch()) {
		t.Fatal("a copy differs from its shape")
	}
}

func copySmall(s *h.Small) *h.Small {
	c := *s
	c.Name = strings.Clone(s.Name)
	return &c
}

func copyOrder(o *h.Order) *h.Order {
	c := *o
	c.Customer = strings.Clone(o.Customer)
	c.Items = copyItems(o.Items)
	c.Notes = make(map[string]string, len(o.Notes))
	for k, v := range o.Notes {
		c.Notes[strings.Clone(k)] = strings.Clone(v)
	}
	c.Total = copyMoney(o.Total)
	return &c
}

func copyBatch(b *h.Batch) *h.Batch { return &h.Batch{Items: copyItems(b.Items)} }

func copyItems(items []*h.Item) []*h.Item {
	out := make([]*h.Item, len(items))
	for i, it := range items {
		c := *it
		c.Sku = strings.Clone(it.Sku)
		c.Price = copyMoney(it.Price)
		c.Tags = make([]string, len(it.Tags))
		for j, s := range it.Tags {
			c.Tags[j] = strings.Clone(s)
		}
		c.Attrs = make(map[string]int32, len(it.Attrs))
		for k, v := range it.Attrs {
			c.Attrs[strings.Clone(k)] = v
		}
		out[i] = &c
	}
	return out
}

func copyMoney(m *h.Money) *h.Money {
	c := *m
	c.Currency = strings.Clone(m.Currency)
	return &c
}
