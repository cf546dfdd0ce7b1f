package hessian2

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Sentinels for errors.Is. Every error this package returns wraps one of them.
var (
	// ErrShortBuffer: the input ended inside a value.
	ErrShortBuffer = errors.New("hessian2: unexpected end of input")
	// ErrTooLarge: a length, count or nesting depth is past what the input or the limits allow.
	ErrTooLarge = errors.New("hessian2: value too large")
	// ErrType: the wire value cannot be stored in the Go target, or a Go value has no Hessian form.
	ErrType = errors.New("hessian2: type mismatch")
	// ErrSyntax: a byte that is not a valid Hessian 2.0 tag here, or a broken reference.
	ErrSyntax = errors.New("hessian2: malformed input")
)

// DecodeError says where decoding failed: the byte offset, the field path
// (outermost first, as "order.items[3].price") and the Java class being read.
type DecodeError struct {
	Offset int
	Path   []string // reversed while bubbling up; see Error
	Class  string
	Err    error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("hessian2: decode")
	if len(e.Path) > 0 {
		b.WriteString(" ")
		b.WriteString(joinPath(e.Path))
	}
	if e.Class != "" {
		fmt.Fprintf(&b, " (%s)", e.Class)
	}
	// The sentinels say "hessian2: " already; once in a message is enough.
	fmt.Fprintf(&b, " at offset %d: %s", e.Offset, strings.TrimPrefix(e.Err.Error(), "hessian2: "))
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError says which Go value and field path could not be written.
type EncodeError struct {
	Path []string
	Type string
	Err  error
}

func (e *EncodeError) Error() string {
	var b strings.Builder
	b.WriteString("hessian2: encode")
	if len(e.Path) > 0 {
		b.WriteString(" ")
		b.WriteString(joinPath(e.Path))
	}
	if e.Type != "" {
		fmt.Fprintf(&b, " (%s)", e.Type)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

func (e *EncodeError) Unwrap() error { return e.Err }

// joinPath renders a path collected innermost-first.
func joinPath(p []string) string {
	var b strings.Builder
	for i := len(p) - 1; i >= 0; i-- {
		s := p[i]
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// wrapField adds one path element (a field name or "[i]") as the error bubbles up.
// The hot path creates no error values; this runs only on failure.
func wrapField(err error, elem, class string) error {
	var de *DecodeError
	if errors.As(err, &de) {
		de.Path = append(de.Path, elem)
		if de.Class == "" {
			de.Class = class
		}
		return de
	}
	var ee *EncodeError
	if errors.As(err, &ee) {
		ee.Path = append(ee.Path, elem)
		return ee
	}
	return err
}

// WrapField adds a field name (none if "") to the path of a decoding or
// encoding error as it leaves an Unmarshaler or Marshaler, and names the Java
// class being read if no inner value named one; other errors come back as
// they are.
func WrapField(err error, field, class string) error {
	if err == nil {
		return nil
	}
	if field != "" {
		return wrapField(err, field, class)
	}
	var de *DecodeError
	if errors.As(err, &de) && de.Class == "" {
		de.Class = class
	}
	var ee *EncodeError
	if errors.As(err, &ee) && ee.Type == "" {
		ee.Type = class
	}
	return err
}

// Errorf returns a DecodeError at the decoder's offset wrapping sentinel
// (ErrType, ErrSyntax, ...), for an Unmarshaler's own checks.
func (d *Decoder) Errorf(sentinel error, format string, args ...any) error {
	return d.fail(sentinel, format, args...)
}

func typeErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrType}, args...)...)
}

// keyString is a map key as an error's field path shows it: scalars as they
// print (long strings cut), anything else by its type, so that an error
// about a large or deeply nested key stays short and cheap to build.
func keyString(k any) string {
	if rv, ok := k.(reflect.Value); ok {
		if !rv.IsValid() || !rv.CanInterface() {
			return "?"
		}
		k = rv.Interface()
	}
	switch x := k.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > 64 {
			return x[:64] + "..."
		}
		return x
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return fmt.Sprint(x)
	case time.Time:
		return x.Format(time.RFC3339Nano)
	}
	switch rv := reflect.ValueOf(k); {
	case rv.Kind() == reflect.String:
		return keyString(rv.String())
	case rv.Kind() >= reflect.Bool && rv.Kind() <= reflect.Float64:
		return fmt.Sprint(k) // a named number: an enum prints its constant
	}
	return typeOfValue(k)
}
