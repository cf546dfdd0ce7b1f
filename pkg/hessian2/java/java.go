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

// List is a Java collection or array with its class (hessian2.JavaList):
// what a typed Hessian list reads into when the target is java.Object, and,
// declared java.List, a field or parameter that keeps the class it came with.
type List = hessian2.JavaList

// Map is a Java map with its class and its entries' order
// (hessian2.JavaMap): declared java.Map, a LinkedHashMap keeps its order.
type Map = hessian2.JavaMap

// Every type decodes into `any` (java.Object) as itself, registered under the
// class Java writes it as.
func init() {
	hessian2.Register(&BigDecimal{}, &BigInteger{}, &Timestamp{}, &SQLDate{}, &SQLTime{}, &UUID{}, &Currency{},
		&Class{}, &AtomicLong{}, &AtomicInteger{})
	for name, v := range map[string]any{
		localDateTimeHandle: &LocalDateTime{}, localDateHandle: &LocalDate{}, localTimeHandle: &LocalTime{},
		instantHandle: &Instant{}, durationHandle: &Duration{}, periodHandle: &Period{}, yearHandle: new(Year),
		yearMonthHandle: &YearMonth{}, monthDayHandle: &MonthDay{}, zoneOffsetHandle: &ZoneOffset{},
		zoneIDHandle: &ZoneID{}, zonedDateTimeHandle: &ZonedDateTime{}, offsetDateTimeHandle: &OffsetDateTime{},
		offsetTimeHandle: &OffsetTime{}, localeHandle: &Locale{}, calendarHandle: &Calendar{},
		enumSetHandler: &EnumSet{}, bitSetHandle: &BitSet{},
	} {
		hessian2.RegisterName(name, v)
	}
}

// KitexUnusedProtection is referenced by Kitex-generated files that import this
// package (kitexdubbo-gen points them here), to keep the import used.
var KitexUnusedProtection = struct{}{}
