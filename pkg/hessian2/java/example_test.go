package java_test

import (
	"fmt"
	"math/big"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java"
)

// Order stands for what Kitex generates from
// `struct Order { 1: java.BigDecimal total, 2: java.LocalDateTime at, 3: java.Object extra }`
// once kitexdubbo-gen has pointed it at this package.
type Order struct {
	Total *java.BigDecimal    `thrift:"total,1"`
	At    *java.LocalDateTime `thrift:"at,2"`
	Extra java.Object         `thrift:"extra,3"`
}

func (*Order) JavaClassName() string { return "org.example.Order" }

func Example() {
	in := &Order{
		Total: java.NewBigDecimal("19.990"),
		At:    &java.LocalDateTime{Time: time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)},
		Extra: java.NewBigInteger(big.NewInt(1 << 40)), // a java.lang.Object field holding a BigInteger
	}
	b, err := hessian2.Marshal(in)
	if err != nil {
		panic(err)
	}
	var out Order
	if err := hessian2.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	r, _ := out.Total.Rat()
	fmt.Println(out.Total, r.FloatString(2), out.At.Format(time.DateTime), out.Extra.(*java.BigInteger).String())
	// Output: 19.990 19.99 2026-11-26 09:30:00 1099511627776
}
