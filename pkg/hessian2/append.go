package hessian2

import (
	"encoding/binary"
	"math"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The Append functions write one Hessian 2.0 value to b and return the extended
// slice, in the shortest form Caucho's Hessian2Output would choose, so our bytes
// match Java's. They keep no state: values that take part in the per-stream
// class-definition and reference tables (objects, lists, maps) go through Encoder.

// AppendNull appends 'N'.
func AppendNull(b []byte) []byte { return append(b, tagNull) }

// AppendBool appends 'T' or 'F'.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, tagTrue)
	}
	return append(b, tagFalse)
}

// AppendInt32 appends a Hessian int (Java int, Integer, short, byte).
func AppendInt32(b []byte, v int32) []byte {
	switch {
	case v >= intDirectMin && v <= intDirectMax:
		return append(b, byte(v+intDirectZero))
	case v >= intByteMin && v <= intByteMax:
		return append(b, byte(intByteZero+(v>>8)), byte(v))
	case v >= intShortMin && v <= intShortMax:
		return append(b, byte(intShortZero+(v>>16)), byte(v>>8), byte(v))
	}
	return binary.BigEndian.AppendUint32(append(b, tagInt), uint32(v))
}

// AppendInt64 appends a Hessian long (Java long, Long).
func AppendInt64(b []byte, v int64) []byte {
	switch {
	case v >= longDirectMin && v <= longDirectMax:
		return append(b, byte(v+longDirectZero))
	case v >= longByteMin && v <= longByteMax:
		return append(b, byte(longByteZero+(v>>8)), byte(v))
	case v >= longShortMin && v <= longShortMax:
		return append(b, byte(longShortZero+(v>>16)), byte(v>>8), byte(v))
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return binary.BigEndian.AppendUint32(append(b, tagLongInt32), uint32(v))
	}
	return binary.BigEndian.AppendUint64(append(b, tagLong), uint64(v))
}

// AppendFloat64 appends a Hessian double (Java double, Double, float, Float).
// The 0x5f "mill" form is never written: readers disagree on it.
func AppendFloat64(b []byte, v float64) []byte {
	if iv := int64(v); float64(iv) == v && !(v == 0 && math.Signbit(v)) {
		switch {
		case iv == 0:
			return append(b, tagDoubleZero)
		case iv == 1:
			return append(b, tagDoubleOne)
		case iv >= math.MinInt8 && iv <= math.MaxInt8:
			return append(b, tagDoubleByte, byte(iv))
		case iv >= math.MinInt16 && iv <= math.MaxInt16:
			return append(b, tagDoubleShort, byte(iv>>8), byte(iv))
		}
	}
	return binary.BigEndian.AppendUint64(append(b, tagDouble), math.Float64bits(v))
}

// AppendTime appends a Hessian date (java.util.Date): minutes when the instant
// falls on a whole minute, as Caucho does, else milliseconds.
func AppendTime(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	if ms%60000 == 0 {
		if m := ms / 60000; m >= math.MinInt32 && m <= math.MaxInt32 {
			return binary.BigEndian.AppendUint32(append(b, tagDateMinutes), uint32(m))
		}
	}
	return binary.BigEndian.AppendUint64(append(b, tagDateMillis), uint64(ms))
}

// AppendBytes appends a Hessian binary (Java byte[]).
func AppendBytes(b []byte, v []byte) []byte {
	for len(v) > chunkUnits {
		b = append(b, tagBinaryChunk, byte(chunkUnits>>8), byte(chunkUnits&0xff))
		b = append(b, v[:chunkUnits]...)
		v = v[chunkUnits:]
	}
	n := len(v)
	switch {
	case n <= binaryDirectMax:
		b = append(b, byte(binaryDirectTag+n))
	case n <= binaryShortMax:
		b = append(b, byte(binaryShortTag+n>>8), byte(n))
	default:
		b = append(b, tagBinary, byte(n>>8), byte(n))
	}
	return append(b, v...)
}

// AppendString appends a Hessian string (Java String). Hessian counts UTF-16 code
// units and encodes each unit on its own, so a character outside the BMP becomes
// two 3-byte surrogates (as Java's modified UTF-8 does), never a 4-byte sequence.
// Invalid UTF-8 in s becomes U+FFFD, as Java's decoders would make it.
func AppendString(b []byte, s string) []byte {
	if isASCII(s) {
		for len(s) > chunkUnits {
			b = append(b, tagStringChunk, byte(chunkUnits>>8), byte(chunkUnits&0xff))
			b = append(b, s[:chunkUnits]...)
			s = s[chunkUnits:]
		}
		return append(appendStringLen(b, len(s), true), s...)
	}
	for {
		n, end := utf16Prefix(s, chunkUnits)
		final := end == len(s)
		b = appendStringLen(b, n, final)
		b = appendCESU8(b, s[:end])
		if final {
			return b
		}
		s = s[end:]
	}
}

func appendStringLen(b []byte, n int, final bool) []byte {
	switch {
	case !final:
		return append(b, tagStringChunk, byte(n>>8), byte(n))
	case n <= stringDirectMax:
		return append(b, byte(n))
	case n <= stringShortMax:
		return append(b, byte(stringShortTag+n>>8), byte(n))
	}
	return append(b, tagString, byte(n>>8), byte(n))
}

// utf16Prefix returns how many UTF-16 units the longest prefix of s holding at
// most max units has, and that prefix's byte length. A surrogate pair is never split
// across chunks (Caucho makes the same choice).
func utf16Prefix(s string, max int) (units, end int) {
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		u := 1
		if r > 0xffff {
			u = 2
		}
		if units+u > max {
			return units, end
		}
		units += u
		end += size
	}
	return units, end
}

func appendCESU8(b []byte, s string) []byte {
	for _, r := range s { // range turns invalid UTF-8 into U+FFFD
		switch {
		case r < 0x80:
			b = append(b, byte(r))
		case r < 0x800:
			b = append(b, 0xc0|byte(r>>6), 0x80|byte(r&0x3f))
		case r <= 0xffff:
			b = append3(b, r)
		default:
			r -= 0x10000
			b = append3(b, 0xd800+(r>>10))
			b = append3(b, 0xdc00+(r&0x3ff))
		}
	}
	return b
}

func append3(b []byte, r rune) []byte {
	return append(b, 0xe0|byte(r>>12), 0x80|byte((r>>6)&0x3f), 0x80|byte(r&0x3f))
}

func isASCII(s string) bool {
	return isASCIIBytes(unsafe.Slice(unsafe.StringData(s), len(s)))
}
