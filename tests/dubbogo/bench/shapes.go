// Package bench measures Apache dubbo-go beside kitexdubbo on the payloads of
// tests/bench (the root module): the same three shapes as dubbo-go-hessian2
// POJOs, under the same Java class and field names, encoded and decoded by
// dubbo-go-hessian2's reflection (codec_bench_test.go), and dubbo-go v3's own
// Dubbo client and server end to end on loopback (e2e_bench_test.go).
// BENCHMARKS.md at the repository root sets the figures beside kitexdubbo's
// (make bench).
//
// The values are built here as tests/bench/shapes.go builds them (this module
// does not import the root one); golden_test.go checks that both libraries
// read each other's bytes as these values.
package bench

import (
	"fmt"

	hessian "github.com/apache/dubbo-go-hessian2"
)

// The Java names, as in tests/bench/idl/shapes.thrift.
const (
	JavaInterface = "org.kitexdubbo.bench.BenchService"
	ClassSmall    = "org.kitexdubbo.bench.Small"
	ClassMoney    = "org.kitexdubbo.bench.Money"
	ClassItem     = "org.kitexdubbo.bench.Item"
	ClassOrder    = "org.kitexdubbo.bench.Order"
	ClassBatch    = "org.kitexdubbo.bench.Batch"
)

// Small is org.kitexdubbo.bench.Small.
type Small struct {
	ID     int64   `hessian:"id"`
	Count  int32   `hessian:"count"`
	Ratio  float64 `hessian:"ratio"`
	Active bool    `hessian:"active"`
	Name   string  `hessian:"name"`
	Kind   int16   `hessian:"kind"`
}

// JavaClassName implements hessian.POJO.
func (Small) JavaClassName() string { return ClassSmall }

// Money is org.kitexdubbo.bench.Money.
type Money struct {
	Cents    int64  `hessian:"cents"`
	Currency string `hessian:"currency"`
}

// JavaClassName implements hessian.POJO.
func (Money) JavaClassName() string { return ClassMoney }

// Item is org.kitexdubbo.bench.Item.
type Item struct {
	Sku   string           `hessian:"sku"`
	Qty   int32            `hessian:"qty"`
	Price *Money           `hessian:"price"`
	Tags  []string         `hessian:"tags"`
	Attrs map[string]int32 `hessian:"attrs"`
}

// JavaClassName implements hessian.POJO.
func (Item) JavaClassName() string { return ClassItem }

// Order is org.kitexdubbo.bench.Order.
type Order struct {
	ID       int64             `hessian:"id"`
	Customer string            `hessian:"customer"`
	Items    []*Item           `hessian:"items"`
	Notes    map[string]string `hessian:"notes"`
	Total    *Money            `hessian:"total"`
	Paid     bool              `hessian:"paid"`
	Weight   float64           `hessian:"weight"`
}

// JavaClassName implements hessian.POJO.
func (Order) JavaClassName() string { return ClassOrder }

// Batch is org.kitexdubbo.bench.Batch.
type Batch struct {
	Items []*Item `hessian:"items"`
}

// JavaClassName implements hessian.POJO.
func (Batch) JavaClassName() string { return ClassBatch }

func init() {
	hessian.RegisterPOJO(&Small{})
	hessian.RegisterPOJO(&Money{})
	hessian.RegisterPOJO(&Item{})
	hessian.RegisterPOJO(&Order{})
	hessian.RegisterPOJO(&Batch{})
}

// NewSmall is about 128 bytes of scalars and a short string.
func NewSmall() *Small {
	return &Small{ID: 1234567890123, Count: 42, Ratio: 0.75, Active: true, Name: "a small benchmark payload, 56 bytes long, more or less!!", Kind: 7}
}

// NewOrder is about 1 KiB: 10 items, each with a list, a map and a nested struct.
func NewOrder() *Order {
	o := &Order{ID: 20261201, Customer: "customer-0042", Notes: map[string]string{"gift": "yes", "channel": "web"},
		Total: &Money{Cents: 123456, Currency: "EUR"}, Paid: true, Weight: 12.5}
	for i := range 10 {
		o.Items = append(o.Items, item(i))
	}
	return o
}

// NewBatch is about 64 KiB: 500 items.
func NewBatch() *Batch {
	b := &Batch{}
	for i := range 500 {
		b.Items = append(b.Items, item(i))
	}
	return b
}

func item(i int) *Item {
	return &Item{Sku: fmt.Sprintf("SKU-%06d", i), Qty: int32(i%7 + 1), Price: &Money{Cents: int64(1999 + i), Currency: "EUR"},
		Tags: []string{"red", "large"}, Attrs: map[string]int32{"w": int32(i), "h": 3}}
}

// Shape is one payload: its name in the benchmarks and golden files, and a
// fresh copy of its value.
type Shape struct {
	Name  string
	Value func() any
}

// Shapes are the three payloads, in the order tests/bench lists them.
func Shapes() []Shape {
	return []Shape{
		{"small", func() any { return NewSmall() }},
		{"medium", func() any { return NewOrder() }},
		{"large", func() any { return NewBatch() }},
	}
}
