package hessian2

import (
	"fmt"
	"reflect"
	"slices"
)

// DecodeValue reads one value into its natural Go form:
//
//	null -> nil             boolean -> bool        int -> int32      long -> int64
//	double -> float64       date -> time.Time      string -> string  binary -> []byte
//	list -> []any           map -> map[any]any (typed or not: the Java class is dropped)
//	object of a registered Java class -> the registered Go type (usually *T)
//	object of another class with a detailMessage field (a Throwable) -> *JavaException
//	any other object -> *JavaObject
//
// Decoding into an interface (Decode or Unmarshal into an `any`, a java.Object
// field or parameter) reads the same forms, except that typed lists and maps,
// Java's collections and arrays other than ArrayList and its maps other than
// HashMap, become a *JavaList or *JavaMap, which keep their class (and a
// map's order) and are written back as they came.
func (d *Decoder) DecodeValue() (any, error) {
	tag, err := d.peek()
	if err != nil {
		return nil, err
	}
	switch {
	case tag == tagNull:
		d.pos++
		return nil, nil
	case tag == tagTrue, tag == tagFalse:
		return d.ReadBool()
	case tag >= 0x80 && tag <= 0xd7, tag == tagInt:
		if err := d.charge(costBox); err != nil {
			return nil, err
		}
		v, err := d.ReadInt64()
		return int32(v), err
	case tag >= 0xd8, tag >= 0x38 && tag <= 0x3f, tag == tagLong, tag == tagLongInt32:
		if err := d.charge(costBox); err != nil {
			return nil, err
		}
		return d.ReadInt64()
	case isDoubleTag(tag):
		if err := d.charge(costBox); err != nil {
			return nil, err
		}
		return d.ReadFloat64()
	case tag == tagDateMillis, tag == tagDateMinutes:
		if err := d.charge(costHeader); err != nil {
			return nil, err
		}
		return d.ReadTime()
	case isStringTag(tag):
		if err := d.charge(costSlot); err != nil {
			return nil, err
		}
		return d.readString()
	case isBinaryTag(tag):
		if err := d.charge(costHeader); err != nil {
			return nil, err
		}
		return d.readBinary()
	case isListTag(tag):
		return d.readListValue()
	case tag == tagMap, tag == tagMapTyped:
		return d.readMapValue()
	case tag == tagClassDef, tag == tagObject, tag >= tagObjectDirect && tag <= tagObjectDirect+objectDirectMax:
		return d.readObjectValue()
	case tag == tagRef:
		v, _, err := d.ref()
		return v, err
	}
	return nil, d.fail(ErrSyntax, "byte 0x%02x does not start a value", tag)
}

// DecodePlain reads one value as DecodeValue does, except that an object of
// any class reads as nil: its fields are read (they may define classes and
// take reference numbers) and dropped; and lists and maps are []any and
// map[any]any throughout, never a JavaList or JavaMap. It is for data that should hold only
// plain values (strings, numbers, booleans, dates, binaries, and lists and
// maps of them), such as Dubbo attachments, where a peer must not be able to
// make the reader build values of arbitrary registered types.
func (d *Decoder) DecodePlain() (any, error) {
	was := d.plain
	d.plain = true
	v, err := d.DecodeValue()
	d.plain = was
	return v, err
}

func (d *Decoder) readListValue() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	typ, n, err := d.readListHeader()
	if err != nil {
		return nil, err
	}
	if typ != "" && d.keepClass && !d.plain {
		l := &JavaList{}
		if err := d.readJavaList(l, typ, n); err != nil {
			return nil, err
		}
		return l, nil
	}
	c := preallocLen(n, costSlot)
	if err := d.charge(costRef + costHeader + c*costSlot); err != nil {
		return nil, err
	}
	idx := d.addRef(nil)
	list := make([]any, 0, c)
	for i := 0; ; i++ {
		if more, err := d.listMore(n, i); err != nil {
			return nil, err
		} else if !more {
			break
		}
		if len(list) == cap(list) {
			c := growLen(cap(list), n)
			if err := d.chargeN(c-cap(list), costSlot); err != nil {
				return nil, err
			}
			list = slices.Grow(list, c-len(list))
		}
		v, err := d.DecodeValue()
		if err != nil {
			return nil, wrapField(err, fmt.Sprintf("[%d]", i), "")
		}
		list = append(list, v)
	}
	var out any = list // one interface for the table and the caller: boxing allocates
	d.refs.set(idx, out)
	d.depth--
	return out, nil
}

func (d *Decoder) readMapValue() (any, error) {
	typ, err := d.enterMap()
	if err != nil {
		return nil, err
	}
	if typ != "" && d.keepClass && !d.plain {
		m := &JavaMap{}
		if err := d.readJavaMap(m, typ); err != nil {
			return nil, err
		}
		return m, nil
	}
	if err := d.charge(costRef + costMap); err != nil {
		return nil, err
	}
	m := make(map[any]any)
	d.addRef(m)
	for {
		if end, err := d.atEnd("a map"); err != nil {
			return nil, err
		} else if end {
			break
		}
		if err := d.charge(costEntry + 2*costSlot); err != nil {
			return nil, err
		}
		k, err := d.DecodeValue()
		if err != nil {
			return nil, wrapField(err, "[key]", "")
		}
		if !hashable(reflect.ValueOf(k)) {
			return nil, d.fail(ErrType, "map key of type %s cannot be a Go map key", typeOfValue(k))
		}
		v, err := d.DecodeValue()
		if err != nil {
			return nil, wrapField(err, "["+keyString(k)+"]", "")
		}
		m[k] = v
	}
	d.depth--
	return m, nil
}

// hashable reports whether v can be a Go map key without panicking: its type
// is comparable and so is whatever its interfaces hold.
func hashable(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Invalid:
		return true
	case reflect.Interface:
		return v.IsNil() || hashable(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if !hashable(v.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if !hashable(v.Index(i)) {
				return false
			}
		}
		return true
	}
	return v.Type().Comparable()
}

func (d *Decoder) readObjectValue() (any, error) {
	def, err := d.readObjectHeader()
	if err != nil {
		return nil, err
	}
	if k := numberHandleKind(def.name); k != reflect.Invalid {
		return d.readNumberHandleValue(def, k)
	}
	if t, ok := lookupClass(def.name); ok && !d.plain {
		return d.readRegistered(t, def)
	}
	if err := d.enter(); err != nil {
		return nil, err
	}
	if err := d.charge(costRef + costObject + len(def.fields)*costSlot); err != nil {
		return nil, err
	}
	obj := &JavaObject{Class: def.name, Fields: def.fields, Values: make([]any, len(def.fields))}
	idx := d.addRef(obj)
	for i, name := range def.fields {
		if obj.Values[i], err = d.DecodeValue(); err != nil {
			return nil, wrapField(err, name, def.name)
		}
	}
	d.depth--
	if d.plain {
		d.refs.set(idx, nil)
		return nil, nil
	}
	if !hasField(def.fields, "detailMessage") {
		return obj, nil
	}
	exc, err := d.exceptionFromObject(obj)
	if err != nil {
		return nil, err
	}
	d.refs.set(idx, exc)
	return exc, nil
}

// readRegistered reads an object whose header was read into a fresh value of
// the Go type registered for its class.
func (d *Decoder) readRegistered(t reflect.Type, def *classDef) (any, error) {
	if t.Kind() != reflect.Pointer {
		if err := d.charge(costHeader + int(t.Size())); err != nil {
			return nil, err
		}
		v := reflect.New(t).Elem()
		if methodsOf(t)&mPtrEnumSetter != 0 {
			if err := d.readEnumFields(v, def); err != nil {
				return nil, err
			}
			return v.Interface(), nil
		}
		if err := d.readObjectIntoRef(v, def, nil); err != nil {
			return nil, err
		}
		return v.Interface(), nil
	}
	if err := d.charge(int(t.Elem().Size())); err != nil {
		return nil, err
	}
	p := reflect.New(t.Elem())
	if ms := methodsOf(t); ms&mUnmarshal != 0 && ms.own(d.reflectOnly) {
		d.pos = d.objectTag // let the type read its own header
		if err := p.Interface().(Unmarshaler).UnmarshalHessian2(d); err != nil {
			return nil, err
		}
		return p.Interface(), nil
	}
	if err := d.readObjectIntoRef(p.Elem(), def, p.Interface()); err != nil {
		return nil, err
	}
	return p.Interface(), nil
}

func hasField(fields []string, name string) bool {
	for _, f := range fields {
		if f == name {
			return true
		}
	}
	return false
}

// JavaObject is an object of a Java class no Go type was registered for. It keeps
// the field order, so it can be written back as Java sent it. Fields is the
// stream's class definition, which other objects (and decoders) share: do not
// modify it in place.
type JavaObject struct {
	Class  string
	Fields []string
	Values []any
}

// Field returns the value of the named field, or nil.
func (o *JavaObject) Field(name string) any {
	for i, f := range o.Fields {
		if f == name {
			return o.Values[i]
		}
	}
	return nil
}

// MarshalHessian2 writes the object back with its class and fields.
func (o *JavaObject) MarshalHessian2(e *Encoder) error {
	if e.backRef(unsafePointer(o), javaObjectType, 0) {
		return nil
	}
	e.WriteObjectStart(o.Class, o.Fields)
	for i, v := range o.Values {
		if err := e.Encode(v); err != nil {
			return wrapField(err, o.Fields[i], o.Class)
		}
	}
	return nil
}

var javaObjectType = reflect.TypeOf((*JavaObject)(nil))
