package hessian2

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"
)

// DefaultMaxDepth bounds how deeply lists, maps and objects may nest in input,
// so hostile input cannot exhaust the stack.
const DefaultMaxDepth = 512

// Decoder reads one Hessian 2.0 stream: in Dubbo, one request or response body.
// It owns the stream's class definitions, type names and back-references, which
// generated code, the reflective path and the Java extension types all share.
//
// The decoder never trusts a length: a string, binary, list or field count is
// checked against the bytes left before anything is allocated for it.
type Decoder struct {
	b       []byte
	pos     int
	classes []*classDef
	types   []string
	refs    refTable
	depth   int
	// objectTag is where the last object header's 'O' tag stood, after any
	// class definitions, so an Unmarshaler can re-read the header itself.
	objectTag int
	maxDepth  int
	// limit and spent: the budget (see budget.go) and what was charged to it.
	limit, spent int
	// plain: objects read as nil, typed lists and maps untyped (see
	// DecodePlain).
	plain bool
	// keepClass: typed lists and maps read as JavaList and JavaMap, keeping
	// their Java class: set while reading into an interface (java.Object).
	keepClass bool
	// reflectOnly: read generated types by reflection too (SetReflectOnly).
	reflectOnly bool
	methods     methodCache
	arena       []byte // where short strings are copied (str)
	// recent: the shared class definitions this decoder met last. A pooled
	// decoder reads the same few classes in body after body, and comparing
	// the bytes at hand with a definition's is cheaper than scanning them
	// and hashing them for the process-wide cache (classcache.go).
	recent     [4]*classDef
	nextRecent int // the slot of recent to fill next
}

type classDef struct {
	name   string
	fields []string
	raw    string // the definition's bytes after 'C', once shared
	// The fields mapped to Go types': byNames for generated code (indexFor),
	// byType for the reflective path (planFor). shared: the definition is in
	// the process-wide cache (classcache.go), read by many decoders at once.
	byNames fieldMappings[*string]
	byType  fieldMappings[reflect.Type]
	shared  bool
}

// fieldMappings are a class definition's fields mapped to those of Go
// types, each worked out once and found by its key: a body holds many
// objects of few classes.
type fieldMappings[K comparable] struct {
	list atomic.Pointer[[]fieldMapping[K]]
}

type fieldMapping[K comparable] struct {
	key   K
	index []int // for each field the stream sends, its index on the Go side; -1: none
}

// get returns the mapping for key, made by build the first time. A shared
// definition takes a new mapping by compare-and-swap; a decoder that loses
// the race looks again.
func (m *fieldMappings[K]) get(key K, shared bool, build func() []int) []int {
	for {
		cur := m.list.Load()
		if cur != nil {
			for _, e := range *cur {
				if e.key == key {
					return e.index
				}
			}
		}
		idx := build()
		var next []fieldMapping[K]
		if cur != nil {
			next = append(next, *cur...)
		}
		next = append(next, fieldMapping[K]{key, idx})
		if m.list.CompareAndSwap(cur, &next) || !shared {
			return idx
		}
	}
}

// NewDecoder returns a Decoder reading data. The decoder copies every string and
// binary it returns, so data may be reused once decoding is done.
func NewDecoder(data []byte) *Decoder {
	d := &Decoder{maxDepth: DefaultMaxDepth}
	d.Reset(data)
	return d
}

// Reset starts a new stream over data, with the default budget for its length.
func (d *Decoder) Reset(data []byte) {
	d.b, d.pos, d.depth = data, 0, 0
	d.limit, d.spent, d.plain, d.keepClass = Budget(len(data)), 0, false, false
	d.classes = d.classes[:0]
	d.types = d.types[:0]
	d.refs.reset()
}

// SetMaxDepth changes the nesting limit (DefaultMaxDepth).
func (d *Decoder) SetMaxDepth(n int) { d.maxDepth = n }

// Remaining returns how many bytes have not been read.
func (d *Decoder) Remaining() int { return len(d.b) - d.pos }

// Offset returns how many bytes have been read.
func (d *Decoder) Offset() int { return d.pos }

func (d *Decoder) fail(sentinel error, format string, args ...any) error {
	return &DecodeError{Offset: d.pos, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

func (d *Decoder) short(what string) error {
	return d.fail(ErrShortBuffer, "input ends inside %s", what)
}

// pastEnd reports a count that the remaining input cannot hold (every element
// takes a byte at least): truncated input and a hostile length look alike, so the
// error matches both ErrShortBuffer and ErrTooLarge.
func (d *Decoder) pastEnd(format string, n int) error {
	return &DecodeError{Offset: d.pos, Err: fmt.Errorf("%w (%w): "+format+" with %d bytes left",
		ErrTooLarge, ErrShortBuffer, n, len(d.b)-d.pos)}
}

func (d *Decoder) peek() (byte, error) {
	if d.pos >= len(d.b) {
		return 0, d.short("a value")
	}
	return d.b[d.pos], nil
}

func (d *Decoder) next(n int, what string) ([]byte, error) {
	if n < 0 || n > len(d.b)-d.pos {
		return nil, d.short(what)
	}
	p := d.b[d.pos : d.pos+n]
	d.pos += n
	return p, nil
}

// IsNull consumes a null and reports true if the next value is null.
func (d *Decoder) IsNull() bool {
	if d.pos < len(d.b) && d.b[d.pos] == tagNull {
		d.pos++
		return true
	}
	return false
}

// IsObject reports whether the next value is an object (possibly after class
// definitions), without consuming anything: for an Unmarshaler that accepts
// an object or a plainer form.
func (d *Decoder) IsObject() bool {
	return d.pos < len(d.b) && isObjectTag(d.b[d.pos])
}

// ReadBool reads a boolean.
func (d *Decoder) ReadBool() (bool, error) {
	tag, err := d.peek()
	if err != nil {
		return false, err
	}
	switch tag {
	case tagTrue:
		d.pos++
		return true, nil
	case tagFalse:
		d.pos++
		return false, nil
	}
	return false, d.mismatch(tag, "boolean")
}

// ReadInt32 reads an int, or a long or double that fits an int32 exactly.
func (d *Decoder) ReadInt32() (int32, error) {
	start := d.pos
	v, err := d.ReadInt64()
	if err != nil {
		return 0, err
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.pos = start
		return 0, d.fail(ErrType, "%d does not fit a 32-bit int", v)
	}
	return int32(v), nil
}

// ReadInt64 reads an int or long (or a double holding a whole number).
func (d *Decoder) ReadInt64() (int64, error) {
	tag, err := d.peek()
	if err != nil {
		return 0, err
	}
	if v, ok, err := d.readInteger(tag); ok || err != nil {
		return v, err
	}
	if isDoubleTag(tag) {
		start := d.pos
		f, err := d.ReadFloat64()
		if err != nil {
			return 0, err
		}
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			d.pos = start
			return 0, d.fail(ErrType, "double %v is not a whole number", f)
		}
		return int64(f), nil
	}
	return 0, d.mismatch(tag, "int or long")
}

// readInteger decodes the int and long forms; ok is false for any other tag.
func (d *Decoder) readInteger(tag byte) (v int64, ok bool, err error) {
	switch {
	case tag >= 0x80 && tag <= 0xbf:
		d.pos++
		return int64(tag) - intDirectZero, true, nil
	case tag >= 0xc0 && tag <= 0xcf:
		p, err := d.next(2, "an int")
		if err != nil {
			return 0, true, err
		}
		return (int64(tag)-intByteZero)<<8 | int64(p[1]), true, nil
	case tag >= 0xd0 && tag <= 0xd7:
		p, err := d.next(3, "an int")
		if err != nil {
			return 0, true, err
		}
		return (int64(tag)-intShortZero)<<16 | int64(p[1])<<8 | int64(p[2]), true, nil
	case tag == tagInt, tag == tagLongInt32:
		p, err := d.next(5, "an int")
		if err != nil {
			return 0, true, err
		}
		return int64(int32(binary.BigEndian.Uint32(p[1:]))), true, nil
	case tag >= 0xd8 && tag <= 0xef:
		d.pos++
		return int64(tag) - longDirectZero, true, nil
	case tag >= 0xf0:
		p, err := d.next(2, "a long")
		if err != nil {
			return 0, true, err
		}
		return (int64(tag)-longByteZero)<<8 | int64(p[1]), true, nil
	case tag >= 0x38 && tag <= 0x3f:
		p, err := d.next(3, "a long")
		if err != nil {
			return 0, true, err
		}
		return (int64(tag)-longShortZero)<<16 | int64(p[1])<<8 | int64(p[2]), true, nil
	case tag == tagLong:
		p, err := d.next(9, "a long")
		if err != nil {
			return 0, true, err
		}
		return int64(binary.BigEndian.Uint64(p[1:])), true, nil
	}
	return 0, false, nil
}

func isDoubleTag(tag byte) bool {
	return tag == tagDouble || (tag >= tagDoubleZero && tag <= tagDoubleMill)
}

// ReadFloat64 reads a double (or an int or long, widened).
func (d *Decoder) ReadFloat64() (float64, error) {
	tag, err := d.peek()
	if err != nil {
		return 0, err
	}
	switch tag {
	case tagDoubleZero:
		d.pos++
		return 0, nil
	case tagDoubleOne:
		d.pos++
		return 1, nil
	case tagDoubleByte:
		p, err := d.next(2, "a double")
		if err != nil {
			return 0, err
		}
		return float64(int8(p[1])), nil
	case tagDoubleShort:
		p, err := d.next(3, "a double")
		if err != nil {
			return 0, err
		}
		return float64(int16(binary.BigEndian.Uint16(p[1:]))), nil
	case tagDoubleMill:
		p, err := d.next(5, "a double")
		if err != nil {
			return 0, err
		}
		return 0.001 * float64(int32(binary.BigEndian.Uint32(p[1:]))), nil
	case tagDouble:
		p, err := d.next(9, "a double")
		if err != nil {
			return 0, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(p[1:])), nil
	}
	if v, ok, err := d.readInteger(tag); ok || err != nil {
		return float64(v), err
	}
	return 0, d.mismatch(tag, "double")
}

// ReadTime reads a date (java.util.Date).
func (d *Decoder) ReadTime() (time.Time, error) {
	tag, err := d.peek()
	if err != nil {
		return time.Time{}, err
	}
	switch tag {
	case tagDateMillis:
		p, err := d.next(9, "a date")
		if err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(int64(binary.BigEndian.Uint64(p[1:]))), nil
	case tagDateMinutes:
		p, err := d.next(5, "a date")
		if err != nil {
			return time.Time{}, err
		}
		return time.Unix(int64(int32(binary.BigEndian.Uint32(p[1:])))*60, 0), nil
	}
	return time.Time{}, d.mismatch(tag, "date")
}

func isStringTag(tag byte) bool {
	return tag <= stringDirectMax || (tag >= stringShortTag && tag <= stringShortTag+3) || tag == tagString || tag == tagStringChunk
}

// ReadString reads a string; null reads as "".
func (d *Decoder) ReadString() (string, error) {
	tag, err := d.peek()
	if err != nil {
		return "", err
	}
	if tag == tagNull {
		d.pos++
		return "", nil
	}
	if !isStringTag(tag) {
		return "", d.mismatch(tag, "string")
	}
	return d.readString()
}

// readString reads the chunks of a string whose first tag is at d.pos. Lengths
// count UTF-16 units; surrogate pairs, written as two 3-byte sequences by Java,
// are joined into one rune. A 4-byte UTF-8 sequence (as some non-Java writers
// produce) is accepted and counted as two units.
func (d *Decoder) readString() (string, error) {
	var out []byte
	var hi rune // pending high surrogate
	for {
		tag := d.b[d.pos]
		var n int
		final := true
		switch {
		case tag <= stringDirectMax:
			d.pos++
			n = int(tag)
		case tag >= stringShortTag && tag <= stringShortTag+3:
			p, err := d.next(2, "a string length")
			if err != nil {
				return "", err
			}
			n = int(tag-stringShortTag)<<8 | int(p[1])
		case tag == tagString || tag == tagStringChunk:
			p, err := d.next(3, "a string length")
			if err != nil {
				return "", err
			}
			n = int(binary.BigEndian.Uint16(p[1:]))
			final = tag == tagString
		default:
			return "", d.mismatch(tag, "string chunk")
		}
		if n > len(d.b)-d.pos { // each unit takes at least one byte
			return "", d.short(fmt.Sprintf("a string of %d characters", n))
		}
		if out == nil && final && hi == 0 && isASCIIBytes(d.b[d.pos:d.pos+n]) {
			d.pos += n
			return d.str(d.b[d.pos-n : d.pos])
		}
		var err error
		if out, hi, err = d.readUnits(out, n, hi); err != nil {
			return "", err
		}
		if final {
			if hi != 0 {
				out = utf8.AppendRune(out, utf8.RuneError)
			}
			// out itself is garbage once copied into the string: count it.
			if err := d.charge(len(out)); err != nil {
				return "", err
			}
			return d.str(out)
		}
		if d.pos >= len(d.b) {
			return "", d.short("a chunked string")
		}
	}
}

// str returns b as a string of its own. A short one is copied into a chunk
// that the strings of many values share (arena): an IDL struct's message
// holds dozens of short strings, and one allocation for them all, where Go's
// string(b) makes one each, is the largest saving decoding has over
// allocating per string. A chunk is written only past the strings it holds,
// so they never change, and it is freed with the last of them: the price is
// that a kept string keeps its chunk, at most arenaChunk bytes, alive.
func (d *Decoder) str(b []byte) (string, error) {
	n := len(b)
	if n == 0 {
		return "", nil
	}
	if n > arenaMaxString {
		if err := d.charge(n); err != nil {
			return "", err
		}
		return string(b), nil
	}
	if cap(d.arena)-len(d.arena) < n {
		// No larger than what is left of the input could still need: a
		// small message allocates about what its strings take.
		size := max(n, min(arenaChunk, len(d.b)-d.pos+n))
		if err := d.charge(size); err != nil {
			return "", err
		}
		d.arena = make([]byte, 0, size)
	}
	off := len(d.arena)
	d.arena = append(d.arena, b...)
	return unsafe.String(&d.arena[off], n), nil
}

const (
	arenaChunk     = 1024
	arenaMaxString = 128
)

func (d *Decoder) readUnits(out []byte, n int, hi rune) ([]byte, rune, error) {
	for n > 0 {
		if d.pos >= len(d.b) {
			return nil, 0, d.short("a string")
		}
		c := d.b[d.pos]
		var r rune
		switch {
		case c < 0x80:
			r = rune(c)
			d.pos++
		case c&0xe0 == 0xc0:
			p, err := d.next(2, "a string")
			if err != nil {
				return nil, 0, err
			}
			r = rune(c&0x1f)<<6 | rune(p[1]&0x3f)
		case c&0xf0 == 0xe0:
			p, err := d.next(3, "a string")
			if err != nil {
				return nil, 0, err
			}
			r = rune(c&0x0f)<<12 | rune(p[1]&0x3f)<<6 | rune(p[2]&0x3f)
		case c&0xf8 == 0xf0:
			p, err := d.next(4, "a string")
			if err != nil {
				return nil, 0, err
			}
			r = rune(c&0x07)<<18 | rune(p[1]&0x3f)<<12 | rune(p[2]&0x3f)<<6 | rune(p[3]&0x3f)
			n-- // a supplementary character is two UTF-16 units
		default:
			return nil, 0, d.fail(ErrSyntax, "byte 0x%02x cannot start a character", c)
		}
		n--
		switch {
		case r >= 0xd800 && r <= 0xdbff:
			if hi != 0 {
				out = utf8.AppendRune(out, utf8.RuneError)
			}
			hi = r
			continue
		case r >= 0xdc00 && r <= 0xdfff:
			if hi != 0 {
				r = 0x10000 + (hi-0xd800)<<10 + (r - 0xdc00)
				hi = 0
			} else {
				r = utf8.RuneError
			}
		case hi != 0:
			out = utf8.AppendRune(out, utf8.RuneError)
			hi = 0
		}
		out = utf8.AppendRune(out, r)
	}
	return out, hi, nil
}

// isASCIIBytes looks at eight bytes at a time: nearly every string a
// service sends is ASCII, and each one is checked.
func isASCIIBytes(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func isBinaryTag(tag byte) bool {
	return (tag >= binaryDirectTag && tag <= binaryDirectTag+binaryDirectMax) ||
		(tag >= binaryShortTag && tag <= binaryShortTag+3) || tag == tagBinary || tag == tagBinaryChunk
}

// ReadBytes reads a binary; null reads as nil.
func (d *Decoder) ReadBytes() ([]byte, error) {
	tag, err := d.peek()
	if err != nil {
		return nil, err
	}
	if tag == tagNull {
		d.pos++
		return nil, nil
	}
	if !isBinaryTag(tag) {
		return nil, d.mismatch(tag, "binary")
	}
	return d.readBinary()
}

func (d *Decoder) readBinary() ([]byte, error) {
	var out []byte
	for {
		tag := d.b[d.pos]
		var n int
		final := true
		switch {
		case tag >= binaryDirectTag && tag <= binaryDirectTag+binaryDirectMax:
			d.pos++
			n = int(tag - binaryDirectTag)
		case tag >= binaryShortTag && tag <= binaryShortTag+3:
			p, err := d.next(2, "a binary length")
			if err != nil {
				return nil, err
			}
			n = int(tag-binaryShortTag)<<8 | int(p[1])
		case tag == tagBinary || tag == tagBinaryChunk:
			p, err := d.next(3, "a binary length")
			if err != nil {
				return nil, err
			}
			n = int(binary.BigEndian.Uint16(p[1:]))
			final = tag == tagBinary
		default:
			return nil, d.mismatch(tag, "binary chunk")
		}
		p, err := d.next(n, fmt.Sprintf("a binary of %d bytes", n))
		if err != nil {
			return nil, err
		}
		if err := d.charge(n); err != nil {
			return nil, err
		}
		if out == nil {
			out = make([]byte, 0, n)
		}
		out = append(out, p...)
		if final {
			return out, nil
		}
		if d.pos >= len(d.b) {
			return nil, d.short("a chunked binary")
		}
	}
}

// mismatch names what was found where something else was wanted.
func (d *Decoder) mismatch(tag byte, want string) error {
	return d.fail(ErrType, "found %s, want %s", tagName(tag), want)
}

func tagName(tag byte) string {
	switch {
	case tag == tagNull:
		return "null"
	case tag == tagTrue, tag == tagFalse:
		return "boolean"
	case tag >= 0x80 && tag <= 0xd7, tag == tagInt:
		return "int"
	case tag >= 0xd8, tag >= 0x38 && tag <= 0x3f, tag == tagLong, tag == tagLongInt32:
		return "long"
	case isDoubleTag(tag):
		return "double"
	case tag == tagDateMillis, tag == tagDateMinutes:
		return "date"
	case isStringTag(tag):
		return "string"
	case isBinaryTag(tag):
		return "binary"
	case isListTag(tag):
		return "list"
	case tag == tagMap, tag == tagMapTyped:
		return "map"
	case tag == tagClassDef, tag == tagObject, tag >= tagObjectDirect && tag <= tagObjectDirect+objectDirectMax:
		return "object"
	case tag == tagRef:
		return "reference"
	}
	return fmt.Sprintf("byte 0x%02x", tag)
}

// Skip reads and discards one value. Skipped objects still define classes and
// take reference numbers, which later values may use.
func (d *Decoder) Skip() error {
	_, err := d.DecodeValue()
	return err
}

// typeOfValue is reflect.TypeOf with the nil case spelled out for messages.
func typeOfValue(v any) string {
	if v == nil {
		return "null"
	}
	return reflect.TypeOf(v).String()
}
