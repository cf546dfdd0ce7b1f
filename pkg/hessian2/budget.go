package hessian2

import (
	"errors"
	"fmt"
)

// The decoding budget. A Hessian stream is compact where Go values are not: an
// empty list is one byte on the wire and a slice header (plus an interface
// and a reference-table entry) in memory, an object of a class defined with no
// fields is one byte and a whole Go struct. So the decoder counts what it
// allocates, in approximate bytes, against a budget proportional to its input,
// and fails with ErrBudget once a stream would retain more than that. Honest
// data stays far below it: Java's typed values take a few times their wire
// size in Go (the worst case is a POJO whose fields are nearly all null
// strings, about 16x); values read into `any` cost more per element, and
// shared references cost nothing.
const (
	// DefaultBudgetFactor and DefaultBudgetBase make the default budget of an
	// n-byte stream DefaultBudgetFactor*n + DefaultBudgetBase bytes.
	DefaultBudgetFactor = 16
	DefaultBudgetBase   = 64 << 10
)

// ErrBudget: decoding would allocate more than the stream's budget (see
// Decoder.SetBudget). It matches ErrTooLarge too.
var ErrBudget = errors.New("hessian2: decoding budget exceeded")

// Approximate costs, in bytes, of what the decoder creates besides the
// payload bytes of strings and binaries.
const (
	costRef    = 24 // an entry of the back-reference table, with its share of the table's growth
	costSlot   = 16 // an interface value in a []any, a map[any]any or a JavaObject
	costBox    = 8  // a number boxed in an interface
	costHeader = 32 // a slice header boxed in an interface (24 bytes in a 32-byte size class)
	costMap    = 64 // an empty Go map
	costEntry  = 48 // a map entry's share of buckets and growth, beyond its key and value
	costObject = 64 // a JavaObject or JavaException besides its values
	costClass  = 48 // a class definition besides its field names
)

// Budget returns the default budget of an n-byte stream.
func Budget(n int) int { return DefaultBudgetFactor*n + DefaultBudgetBase }

// SetBudget limits what decoding the current stream may allocate to about n
// bytes (Reset sets Budget(len(data))). n <= 0 removes the limit: only for
// input that is trusted.
func (d *Decoder) SetBudget(n int) {
	d.limit = n
}

// Spent returns about how many bytes decoding has allocated so far.
func (d *Decoder) Spent() int { return d.spent }

// charge counts n bytes about to be allocated against the budget.
func (d *Decoder) charge(n int) error {
	d.spent += n
	if d.limit > 0 && (d.spent > d.limit || n < 0) {
		return &DecodeError{Offset: d.pos, Err: fmt.Errorf("%w (%w): the values read need more than the budget of %d bytes for this %d-byte input",
			ErrBudget, ErrTooLarge, d.limit, len(d.b))}
	}
	return nil
}

// chargeN charges count items of size bytes each, refusing products that
// overflow.
func (d *Decoder) chargeN(count, size int) error {
	if count > 0 && size > 0 && count > (1<<62)/size {
		return d.charge(-1)
	}
	return d.charge(count * size)
}

// Charge counts n bytes that an Unmarshaler is about to allocate against the
// budget, failing with ErrBudget past it. What the Decoder's own methods
// return (strings, binaries, lists, objects) is charged already.
func (d *Decoder) Charge(n int) error { return d.charge(n) }
