// Package java holds the Java types a Thrift IDL cannot spell, for IDLs that
// include this module's java.thrift:
//
//	include "java.thrift"
//	struct Order { 1: java.BigDecimal total, 2: java.LocalDateTime at, 3: java.Object extra }
//
// kitexdubbo-gen points the generated code at this package. Each type writes the
// exact form Dubbo-Java's hessian-lite reads, and reads what it writes.
package java

import (
	"math/big"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Object is java.lang.Object: any value, written by its dynamic type.
type Object = any

// Date is java.util.Date (a Hessian date).
type Date = time.Time

// Exception is java.lang.Exception and any other Throwable: its class, message,
// stack trace and cause.
type Exception = hessian2.JavaException

// BigDecimal is java.math.BigDecimal. Hessian writes it as an object with one
// field, the decimal string (BigDecimal.toString), which keeps every digit.
type BigDecimal struct {
	Value string `hessian:"value"`
}

// NewBigDecimal returns the decimal s (as Java's BigDecimal(String) reads it).
func NewBigDecimal(s string) *BigDecimal { return &BigDecimal{Value: s} }

// JavaClassName implements hessian2.JavaClassNamer.
func (*BigDecimal) JavaClassName() string { return "java.math.BigDecimal" }

func (d *BigDecimal) String() string { return d.Value }

// Rat returns the value as an exact rational, false if Value is not a number.
func (d *BigDecimal) Rat() (*big.Rat, bool) { return new(big.Rat).SetString(d.Value) }

func init() {
	hessian2.Register(&BigDecimal{}, &BigInteger{})
	hessian2.RegisterName(localDateTimeHandle, &LocalDateTime{})
	hessian2.RegisterName(localDateHandle, &LocalDate{})
	hessian2.RegisterName(localTimeHandle, &LocalTime{})
	hessian2.RegisterName(instantHandle, &Instant{})
}

// KitexUnusedProtection is referenced by Kitex-generated files that import this
// package (kitexdubbo-gen points them here), to keep the import used.
var KitexUnusedProtection = struct{}{}
