package hessian2

// The runtime under generated code (kitexdubbo-gen's per-struct
// MarshalHessian2/UnmarshalHessian2, as tinylib/msgp's generated code sits on
// msgp's read/write functions). Generated and reflective code share one
// Encoder or Decoder per stream, so class definitions and references stay
// numbered across both; whatever the generated code meets that it does not
// expect (a reference, a map where an object was wanted, a Caucho handle), it
// hands to the reflective reader, which accepts all that Java may send.

import (
	"cmp"
	"reflect"
	"slices"
	"unsafe"
)

// Generated is implemented by types whose Hessian methods kitexdubbo-gen
// wrote. An Encoder or Decoder told to use reflection only (SetReflectOnly)
// ignores those methods, for differential tests and comparisons.
type Generated interface{ Hessian2Generated() }

var generatedType = reflect.TypeFor[Generated]()

func isGenerated(v any) bool {
	_, ok := v.(Generated)
	return ok
}

// SetReflectOnly makes the encoder write generated types by reflection too.
func (e *Encoder) SetReflectOnly(on bool) { e.reflectOnly = on }

// SetReflectOnly makes the decoder read generated types by reflection too.
func (d *Decoder) SetReflectOnly(on bool) { d.reflectOnly = on }

// Enter counts a nesting level, failing past the limit (a cycle a handler
// built, or a runaway value); Leave ends it.
func (e *Encoder) Enter() error { return e.enter() }

// Leave ends a nesting level begun with Enter.
func (e *Encoder) Leave() { e.depth-- }

// WriteBackRef writes a reference and reports true when p (of type t) was
// written before in this stream; otherwise it notes p for later references.
// Generated code asks it for the types an IDL makes recursive, which alone
// can form cycles.
func (e *Encoder) WriteBackRef(p unsafe.Pointer, t reflect.Type) bool { return e.backRef(p, t, 0) }

// StringKeys returns m's keys sorted, in scratch space of the encoder that
// ReleaseKeys gives back: maps are written in key order, so that a body's
// bytes do not depend on Go's map iteration.
func StringKeys[V any](e *Encoder, m map[string]V) []string {
	start := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	ks := e.keys[start:]
	slices.Sort(ks)
	return ks
}

// ReleaseKeys gives back the scratch of the last StringKeys, of n keys.
func ReleaseKeys(e *Encoder, n int) {
	clear(e.keys[len(e.keys)-n:])
	e.keys = e.keys[:len(e.keys)-n]
}

// SortedKeys returns m's keys in order, for maps not keyed by strings.
func SortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Leave ends the nesting level an object or list began.
func (d *Decoder) Leave() { d.depth-- }

// PreallocLen is how many elements of size bytes to allocate ahead for a
// list whose header says n (-1: not said): at most 64 KiB worth, since one
// byte on the wire may become a large Go value.
func PreallocLen(n, size int) int { return preallocLen(n, size) }

// NewIn returns a zero T for element i of a list whose header says n (-1:
// not said), from a chunk that the list's structs share: as Thrift's
// generated code puts a list's structs in one array, the elements of a long
// list cost a few allocations rather than one each. A new chunk holds as
// many as were handed out before it (8 at first), no more than the header
// says are left and no more than 64 KiB, and is charged whole: a header
// that lies costs at most twice what its elements take.
func NewIn[T any](d *Decoder, chunk *[]T, n, i int) (*T, error) {
	c := *chunk
	if len(c) == cap(c) {
		size := int(unsafe.Sizeof(*new(T)))
		k := max(i, 8)
		if n > i {
			k = min(k, n-i)
		}
		k = min(k, max(1, maxPrealloc/max(size, 1)))
		if err := d.chargeN(k, size); err != nil {
			return nil, err
		}
		c = make([]T, 0, k)
	}
	c = c[:len(c)+1]
	*chunk = c
	return &c[len(c)-1], nil
}

// ChargeAppend charges for appending to s, whose elements are size bytes: a
// full slice is about to double.
func ChargeAppend[T any](d *Decoder, s []T, size int) error {
	if len(s) < cap(s) {
		return nil
	}
	return d.chargeN(max(cap(s), 4), size)
}

// IsList and IsMap (as IsObject) report whether the next value starts a list
// or a map: the forms generated code reads itself. Anything else (null, a
// reference, another form) it leaves to Decode.
func (d *Decoder) IsList() bool { return d.pos < len(d.b) && isListTag(d.b[d.pos]) }

// IsString reports whether the next value is a string (not null).
func (d *Decoder) IsString() bool { return d.pos < len(d.b) && isStringTag(d.b[d.pos]) }

func (d *Decoder) IsMap() bool {
	return d.pos < len(d.b) && (d.b[d.pos] == tagMap || d.b[d.pos] == tagMapTyped)
}

// ReadObjectFields reads an object's header (and the class definitions
// before it), gives the object the next reference number, bound to self,
// and enters a nesting level. It returns, for each field the stream's class
// sends, its index in names (the Go type's Java field names), -1 for a field
// the type lacks; the mapping is worked out once per class definition.
// wire is the class's own field names, for error paths.
func (d *Decoder) ReadObjectFields(self any, names []string) (fields []int, wire []string, err error) {
	def, err := d.readObjectHeader()
	if err != nil {
		return nil, nil, err
	}
	if err := d.enter(); err != nil {
		return nil, nil, err
	}
	if err := d.charge(costRef); err != nil {
		return nil, nil, err
	}
	d.addRef(self)
	return def.indexFor(names), def.fields, nil
}

// indexFor maps the definition's fields to names, a generated type's Java
// field names: the names slice (a generated package variable) is the key.
func (c *classDef) indexFor(names []string) []int {
	var key *string
	if len(names) > 0 {
		key = &names[0]
	}
	return c.byNames.get(key, c.shared, func() []int {
		idx := make([]int, len(c.fields))
		for i, f := range c.fields {
			idx[i] = slices.Index(names, f)
		}
		return idx
	})
}

// DecodeReflect reads the value at hand into the struct p points to by
// reflection, not by p's own UnmarshalHessian2: generated code's way out for
// the forms it does not read itself (a reference, a map of field names).
func (d *Decoder) DecodeReflect(p any) error {
	v := reflect.ValueOf(p).Elem()
	tag, err := d.peek()
	if err != nil {
		return err
	}
	switch {
	case tag == tagRef:
		return d.decodeRef(v)
	case tag == tagMap || tag == tagMapTyped:
		return d.readMapIntoStruct(v)
	case isObjectTag(tag):
		def, err := d.readObjectHeader()
		if err != nil {
			return err
		}
		return d.readObjectInto(v, def)
	}
	return d.mismatch(tag, "object for "+v.Type().String())
}

// ReadSliceStart reads a list header for generated code: its length (-1
// until a 'Z') and its reference number, which SetSliceRef binds once the
// slice is filled. The list enters a nesting level, left by ReadListNext.
func (d *Decoder) ReadSliceStart() (n, ref int, err error) {
	if _, n, err = d.ReadListStart(); err != nil {
		return 0, 0, err
	}
	if err := d.charge(costHeader); err != nil {
		return 0, 0, err
	}
	return n, d.refs.len() - 1, nil
}

// sliceRef holds a list generated code read by the address of the field that
// has it: one pointer, so keeping it costs no allocation, unlike boxing the
// slice itself. A reference to the list resolves through it.
type sliceRef[T any] struct{ p *[]T }

func (r sliceRef[T]) refValue() any { return *r.p }

type refValuer interface{ refValue() any }

// SetSliceRef binds reference number ref to the slice at p.
func SetSliceRef[T any](d *Decoder, ref int, p *[]T) { d.refs.set(ref, sliceRef[T]{p}) }

// ReadMapStart reads a map's header ('H', or 'M' and its type) for generated
// code, entering a nesting level; the caller makes the map, binds it with
// AddRef, then reads entries until MapEnd.
func (d *Decoder) ReadMapStart() error {
	if _, err := d.readMapStart(); err != nil {
		return err
	}
	return d.charge(costRef + costMap)
}

// MapHint is the size for generated code to make a map with, once
// ReadMapStart has read its header: 0 when the map is empty, else one full
// group of a Go map (8 entries), which takes no more memory than the group
// its first entry would allocate and spares the map growing into it (a
// Hessian2 map does not say how many entries follow).
func (d *Decoder) MapHint() int {
	if d.pos < len(d.b) && d.b[d.pos] == tagEnd {
		return 0
	}
	return 8
}

// AddRef gives v the next reference number.
func (d *Decoder) AddRef(v any) { d.addRef(v) }

// MapEnd reports whether the map being read ends here, consuming its 'Z' and
// leaving its nesting level; before each entry it charges the entry's size.
func (d *Decoder) MapEnd(entry int) (bool, error) {
	if end, err := d.atEnd("a map"); end || err != nil {
		if end {
			d.depth--
		}
		return end, err
	}
	return false, d.charge(costEntry + entry)
}

// Entry is a map entry, as StringEntries returns them.
type Entry[V any] struct {
	Key   string
	Value V
}

// StringEntries returns m's entries in key order, in buf when they fit:
// generated code passes an array on its stack, so that writing a map of a
// few entries (the usual) costs no allocation and no lookups. It sorts by
// insertion, for maps of a few entries: larger ones take StringKeys.
func StringEntries[V any](m map[string]V, buf []Entry[V]) []Entry[V] {
	for k, v := range m {
		buf = append(buf, Entry[V]{k, v})
	}
	// Insertion sort: a handful of entries, already in no order.
	for i := 1; i < len(buf); i++ {
		for j := i; j > 0 && buf[j].Key < buf[j-1].Key; j-- {
			buf[j], buf[j-1] = buf[j-1], buf[j]
		}
	}
	return buf
}
