// Package bench holds the benchmarks' payloads: the same values in the
// Dubbo-side types (kitex_gen/hessianshapes, with the generated Hessian2
// codec) and in Kitex's Thrift types (kitex_gen/thriftshapes, with Kitex's
// own fast codec), in three sizes. The benchmarks beside them compare the
// codecs; BENCHMARKS.md at the root has the figures (make bench).
package bench

import (
	"fmt"

	h "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/hessianshapes"
	t "github.com/kitexdubbo/kitexdubbo/tests/bench/kitex_gen/thriftshapes"
)

// Small is scalars and a short string: 141 bytes in Hessian2, 102 in Thrift.
func Small() *h.Small {
	return &h.Small{Id: 1234567890123, Count: 42, Ratio: 0.75, Active: true, Name: "a small benchmark payload, 56 bytes long, more or less!!", Kind: 7}
}

// Order is 10 items, each with a list, a map and a nested struct: 621 bytes
// in Hessian2, 1132 in Thrift.
func Order() *h.Order {
	o := &h.Order{Id: 20261201, Customer: "customer-0042", Notes: map[string]string{"gift": "yes", "channel": "web"},
		Total: &h.Money{Cents: 123456, Currency: "EUR"}, Paid: true, Weight: 12.5}
	for i := range 10 {
		o.Items = append(o.Items, item(i))
	}
	return o
}

// Batch is 500 items: about 20 KiB in Hessian2, 49 KiB in Thrift.
func Batch() *h.Batch {
	b := &h.Batch{}
	for i := range 500 {
		b.Items = append(b.Items, item(i))
	}
	return b
}

func item(i int) *h.Item {
	return &h.Item{Sku: fmt.Sprintf("SKU-%06d", i), Qty: int32(i%7 + 1), Price: &h.Money{Cents: int64(1999 + i), Currency: "EUR"},
		Tags: []string{"red", "large"}, Attrs: map[string]int32{"w": int32(i), "h": 3}}
}

// ThriftSmall, ThriftOrder and ThriftBatch are the same values in the Thrift types.
func ThriftSmall() *t.Small {
	s := Small()
	return &t.Small{Id: s.Id, Count: s.Count, Ratio: s.Ratio, Active: s.Active, Name: s.Name, Kind: s.Kind}
}

func ThriftOrder() *t.Order {
	o := Order()
	return &t.Order{Id: o.Id, Customer: o.Customer, Items: thriftItems(o.Items), Notes: o.Notes,
		Total: &t.Money{Cents: o.Total.Cents, Currency: o.Total.Currency}, Paid: o.Paid, Weight: o.Weight}
}

func ThriftBatch() *t.Batch { return &t.Batch{Items: thriftItems(Batch().Items)} }

func thriftItems(items []*h.Item) []*t.Item {
	out := make([]*t.Item, len(items))
	for i, it := range items {
		out[i] = &t.Item{Sku: it.Sku, Qty: it.Qty, Price: &t.Money{Cents: it.Price.Cents, Currency: it.Price.Currency},
			Tags: it.Tags, Attrs: it.Attrs}
	}
	return out
}
