package hessian2

import (
	"fmt"
	"reflect"
)

// Java's collections and maps of any class but ArrayList and HashMap travel as
// Hessian's typed lists and maps, named by their class: a LinkedList as
// `V "java.util.LinkedList"`, a HashSet as `V "java.util.HashSet"`, an
// Integer[] as `V "[java.lang.Integer"`, an int[] as `V "[int"`, a TreeMap as
// `M "java.util.TreeMap"`. Read into a typed Go target (a slice, a map) the
// name is dropped and the Java side picks the class from its declared type.
// Read into an interface (Decode into `any`, a java.Object field or
// parameter), they become a JavaList or a JavaMap, which
// keep the name and are written back under it, so a value that goes Java ->
// Go -> Java comes back as the class it left as: an Integer[] stays an
// Integer[], a LinkedHashMap keeps its order. Untyped lists and maps (what Java
// writes for ArrayList and HashMap) stay []any and map[any]any.

// JavaList is a typed Hessian list read into `any`: a Java collection or array
// with its class. Type is the name as Java writes it; an empty Type writes an
// untyped list (an ArrayList).
type JavaList struct {
	Type   string // "java.util.LinkedList", "java.util.HashSet", "[java.lang.Integer", "[int", ...
	Values []any
}

// JavaMap is a typed Hessian map read into `any`: a Java map with its class
// and its entries in the order they came (a LinkedHashMap's insertion order, a
// TreeMap's key order). An empty Type writes an untyped map (a HashMap).
type JavaMap struct {
	Type    string // "java.util.TreeMap", "java.util.LinkedHashMap", "java.util.concurrent.ConcurrentHashMap", ...
	Entries []MapEntry
}

// MapEntry is one key and value of a JavaMap.
type MapEntry struct {
	Key, Value any
}

// JavaClassName is the Java type a parameter of this Go type is declared as
// (TypeDescriptor); the value's own class is its Type.
func (*JavaList) JavaClassName() string { return "java.util.List" }

// JavaClassName is the Java type a parameter of this Go type is declared as
// (TypeDescriptor); the value's own class is its Type.
func (*JavaMap) JavaClassName() string { return "java.util.Map" }

// Get returns the value of the first entry whose key equals key (==, for
// keys Go can compare).
func (m *JavaMap) Get(key any) (any, bool) {
	if !isComparable(key) {
		return nil, false
	}
	for _, e := range m.Entries {
		if isComparable(e.Key) && reflect.TypeOf(e.Key) == reflect.TypeOf(key) && e.Key == key {
			return e.Value, true
		}
	}
	return nil, false
}

func isComparable(v any) bool { return hashable(reflect.ValueOf(v)) }

var (
	javaListType = reflect.TypeOf((*JavaList)(nil))
	javaMapType  = reflect.TypeOf((*JavaMap)(nil))
)

// MarshalHessian2 writes the list under its Type, a list met again in the
// stream as a reference.
func (l *JavaList) MarshalHessian2(e *Encoder) error {
	if e.backRef(unsafePointer(l), javaListType, 0) {
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.WriteListStart(l.Type, len(l.Values))
	for i, v := range l.Values {
		if err := e.Encode(v); err != nil {
			return wrapField(err, fmt.Sprintf("[%d]", i), l.Type)
		}
	}
	e.depth--
	return nil
}

// MarshalHessian2 writes the map under its Type, entries in order.
func (m *JavaMap) MarshalHessian2(e *Encoder) error {
	if e.backRef(unsafePointer(m), javaMapType, 0) {
		return nil
	}
	if err := e.enter(); err != nil {
		return err
	}
	e.WriteMapStart(m.Type)
	for _, en := range m.Entries {
		if err := e.Encode(en.Key); err != nil {
			return wrapField(err, "["+keyString(en.Key)+"]", m.Type)
		}
		if err := e.Encode(en.Value); err != nil {
			return wrapField(err, "["+keyString(en.Key)+"]", m.Type)
		}
	}
	e.WriteMapEnd()
	e.depth--
	return nil
}

// UnmarshalHessian2 reads any list, typed or not, or a map: for a field or
// parameter declared java.List or java.Map (a JavaMap reads only maps).
func (l *JavaList) UnmarshalHessian2(d *Decoder) error {
	tag, err := d.peek()
	if err != nil {
		return err
	}
	if !isListTag(tag) {
		return d.mismatch(tag, "list")
	}
	if err := d.enter(); err != nil {
		return err
	}
	typ, n, err := d.readListHeader()
	if err != nil {
		return err
	}
	return d.readJavaList(l, typ, n)
}

// UnmarshalHessian2 reads any map, typed or not.
func (m *JavaMap) UnmarshalHessian2(d *Decoder) error {
	typ, err := d.readMapStart()
	if err != nil {
		return err
	}
	return d.readJavaMap(m, typ)
}

// readMapStart reads a map's header, entering its nesting level, and returns
// its type name ("" if untyped).
func (d *Decoder) readMapStart() (string, error) {
	tag, err := d.peek()
	if err != nil {
		return "", err
	}
	if tag != tagMap && tag != tagMapTyped {
		return "", d.mismatch(tag, "map")
	}
	return d.enterMap()
}

// enterMap enters a nesting level and consumes the map's 'H', or 'M' and its
// type name.
func (d *Decoder) enterMap() (string, error) {
	if err := d.enter(); err != nil {
		return "", err
	}
	tag := d.b[d.pos]
	d.pos++
	if tag == tagMapTyped {
		return d.readType()
	}
	return "", nil
}

// readJavaList reads the elements of a list whose header was read (a nesting
// level entered) into l, which the reference table holds from the start, so a
// list that contains itself reads as one. Elements keep their classes too.
func (d *Decoder) readJavaList(l *JavaList, typ string, n int) error {
	was := d.keepClass
	d.keepClass = true
	defer func() { d.keepClass = was }()
	c := preallocLen(n, costSlot)
	if err := d.charge(costRef + costObject + c*costSlot); err != nil {
		return err
	}
	d.addRef(l)
	l.Type = typ
	l.Values = make([]any, 0, c)
	for i := 0; ; i++ {
		if more, err := d.listMore(n, i); err != nil {
			return err
		} else if !more {
			break
		}
		if len(l.Values) == cap(l.Values) {
			c := growLen(cap(l.Values), n)
			if err := d.chargeN(c-cap(l.Values), costSlot); err != nil {
				return err
			}
			l.Values = append(make([]any, 0, c), l.Values...)
		}
		v, err := d.DecodeValue()
		if err != nil {
			return wrapField(err, fmt.Sprintf("[%d]", i), typ)
		}
		l.Values = append(l.Values, v)
	}
	d.depth--
	return nil
}

// readJavaMap reads the entries of a map whose header was read (a nesting
// level entered) into m, in the reference table from the start.
func (d *Decoder) readJavaMap(m *JavaMap, typ string) error {
	was := d.keepClass
	d.keepClass = true
	defer func() { d.keepClass = was }()
	if err := d.charge(costRef + costObject); err != nil {
		return err
	}
	d.addRef(m)
	m.Type = typ
	m.Entries = m.Entries[:0]
	for {
		if end, err := d.atEnd("a map"); err != nil {
			return err
		} else if end {
			break
		}
		if len(m.Entries) == cap(m.Entries) {
			c := growLen(cap(m.Entries), -1)
			if err := d.chargeN(c-cap(m.Entries), 2*costSlot); err != nil {
				return err
			}
			m.Entries = append(make([]MapEntry, 0, c), m.Entries...)
		}
		k, err := d.DecodeValue()
		if err != nil {
			return wrapField(err, "[key]", typ)
		}
		v, err := d.DecodeValue()
		if err != nil {
			return wrapField(err, "["+keyString(k)+"]", typ)
		}
		m.Entries = append(m.Entries, MapEntry{k, v})
	}
	d.depth--
	return nil
}
