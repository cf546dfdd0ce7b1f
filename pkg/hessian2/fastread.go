package hessian2

import (
	"reflect"
	"strconv"
	"time"
)

// Typed reads for generated code, with the reflective decoder's leniency: a
// null is the zero value, a number converts to the target's width when it
// fits, and the rare forms (a Caucho number handle, a reference) go through
// the reflective reader. The common forms are read in line.

// decodeAs reads the value at hand into a T by reflection.
func decodeAs[T any](d *Decoder) (T, error) {
	var x T
	err := d.decodeInto(reflect.ValueOf(&x).Elem())
	return x, err
}

// DecodeBool reads a boolean; null reads as false.
func (d *Decoder) DecodeBool() (bool, error) {
	if d.pos < len(d.b) {
		switch d.b[d.pos] {
		case tagTrue:
			d.pos++
			return true, nil
		case tagFalse, tagNull:
			d.pos++
			return false, nil
		}
	}
	return decodeAs[bool](d)
}

// DecodeInt64 reads an int, long or whole double; null reads as 0.
func (d *Decoder) DecodeInt64() (int64, error) {
	if d.pos < len(d.b) {
		if tag := d.b[d.pos]; tag == tagNull {
			d.pos++
			return 0, nil
		} else if v, ok, err := d.readInteger(tag); ok {
			return v, err
		}
	}
	return decodeAs[int64](d)
}

// decodeInt reads an integer that must fit T, as decodeInto does.
func decodeInt[T int8 | int16 | int32](d *Decoder) (T, error) {
	if d.pos < len(d.b) {
		tag, start := d.b[d.pos], d.pos
		if tag == tagNull {
			d.pos++
			return 0, nil
		}
		if v, ok, err := d.readInteger(tag); ok {
			if err != nil {
				return 0, err
			}
			if x := T(v); int64(x) != v {
				d.pos = start
				return 0, d.fail(ErrType, "%d overflows %s", v, reflect.TypeFor[T]())
			}
			return T(v), nil
		}
	}
	return decodeAs[T](d)
}

// DecodeInt32 is DecodeInt64 for values that must fit 32 bits.
func (d *Decoder) DecodeInt32() (int32, error) { return decodeInt[int32](d) }

// DecodeInt16 is DecodeInt64 for values that must fit 16 bits.
func (d *Decoder) DecodeInt16() (int16, error) { return decodeInt[int16](d) }

// DecodeInt8 is DecodeInt64 for values that must fit 8 bits.
func (d *Decoder) DecodeInt8() (int8, error) { return decodeInt[int8](d) }

// DecodeFloat64 reads a double, or an int or long widened; null reads as 0.
func (d *Decoder) DecodeFloat64() (float64, error) {
	if d.pos < len(d.b) && d.b[d.pos] == tagNull {
		d.pos++
		return 0, nil
	}
	if d.pos < len(d.b) && !isObjectTag(d.b[d.pos]) {
		return d.ReadFloat64()
	}
	return decodeAs[float64](d)
}

// DecodeString reads a string; null reads as "".
func (d *Decoder) DecodeString() (string, error) {
	if d.pos < len(d.b) {
		// Most strings are short and ASCII: the length in the tag, in
		// bytes as well as in UTF-16 units.
		if n := int(d.b[d.pos]); n <= stringDirectMax {
			if start, end := d.pos+1, d.pos+1+n; end <= len(d.b) && isASCIIBytes(d.b[start:end]) {
				d.pos = end
				return d.str(d.b[start:end])
			}
		}
		if isStringTag(d.b[d.pos]) {
			return d.readString()
		}
	}
	return decodeAs[string](d)
}

// DecodeBytes reads a binary (or a list of bytes); null reads as nil.
func (d *Decoder) DecodeBytes() ([]byte, error) {
	if d.pos < len(d.b) && isBinaryTag(d.b[d.pos]) {
		return d.readBinary()
	}
	return decodeAs[[]byte](d)
}

// DecodeTime reads a date; null reads as the zero time.
func (d *Decoder) DecodeTime() (time.Time, error) { return decodeAs[time.Time](d) }

// WrapIndex adds a list index to err's path.
func WrapIndex(err error, i int) error { return wrapField(err, "["+strconv.Itoa(i)+"]", "") }

// SetRef binds reference number ref to v, for a list generated code read
// that has no stable address (a map's value).
func (d *Decoder) SetRef(ref int, v any) { d.refs.set(ref, v) }

// KeyString is a map key as error paths show it: short, whatever the key.
func KeyString(k any) string { return keyString(k) }
