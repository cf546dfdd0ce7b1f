package hessian2

import (
	"fmt"
	"reflect"
	"time"
)

// Decode reads one value into v, a non-nil pointer. Java writes collections
// untyped, so a list decodes into any Go slice or array, a map or an object into
// any Go map or struct, converting each element to the target's type; a value
// that cannot be converted fails with ErrType and the field path.
func (d *Decoder) Decode(v any) error {
	// The common case in line: a type that reads itself, and no reference
	// (decodeInto resolves those before any Unmarshaler runs).
	if u, ok := v.(Unmarshaler); ok && (!d.reflectOnly || !isGenerated(v)) && (d.pos >= len(d.b) || d.b[d.pos] != tagRef) {
		if d.IsNull() {
			rv := reflect.ValueOf(v)
			if rv.Kind() == reflect.Pointer && !rv.IsNil() {
				rv.Elem().SetZero()
			}
			return nil
		}
		return u.UnmarshalHessian2(d)
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &DecodeError{Offset: d.pos, Err: fmt.Errorf("%w: Decode needs a non-nil pointer, got %T", ErrType, v)}
	}
	return d.decodeInto(rv.Elem())
}

// DecodeObject reads a value for a java.Object (interface) target: as
// DecodeValue, except that typed lists and maps keep their Java class, as
// JavaList and JavaMap, so that they are written back as the same class.
func (d *Decoder) DecodeObject() (any, error) {
	was := d.keepClass
	d.keepClass = true
	x, err := d.DecodeValue()
	d.keepClass = was
	return x, err
}

// decodeInto reads one value into the settable v.
func (d *Decoder) decodeInto(v reflect.Value) error {
	tag, err := d.peek()
	if err != nil {
		return err
	}
	t := v.Type()
	if tag == tagNull {
		d.pos++
		v.SetZero()
		return nil
	}
	// A reference first: an Unmarshaler reads values, the reference table
	// already holds what this one stands for (Java writes an object met again,
	// a Timestamp or a UUID too, as a reference to the first).
	if tag == tagRef {
		return d.decodeRef(v)
	}
	ms := d.methods.get(t)
	if v.CanAddr() && t.Kind() != reflect.Pointer && ms&mPtrUnmarshal != 0 && ms.own(d.reflectOnly) {
		return v.Addr().Interface().(Unmarshaler).UnmarshalHessian2(d)
	}
	switch t.Kind() {
	case reflect.Pointer:
		if err := d.charge(int(t.Elem().Size())); err != nil {
			return err
		}
		p := reflect.New(t.Elem())
		if t.Elem().Kind() == reflect.Struct && t.Elem() != timeType && isObjectTag(tag) && !(ms&mUnmarshal != 0 && ms.own(d.reflectOnly)) {
			// The reference table must hold the pointer, so a later reference to
			// this object yields the same *T.
			def, err := d.readObjectHeader()
			if err != nil {
				return err
			}
			if err := d.readObjectIntoRef(p.Elem(), def, p.Interface()); err != nil {
				return err
			}
		} else if err := d.decodeInto(p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Interface:
		x, err := d.DecodeObject()
		if err != nil {
			return err
		}
		return d.assign(v, x)
	case reflect.Bool:
		b, err := d.ReadBool()
		if err != nil {
			return err
		}
		v.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if ms&mPtrEnumSetter != 0 {
			switch {
			case isObjectTag(tag):
				return d.readEnum(v)
			case isStringTag(tag):
				// A generic caller (Dubbo's PojoUtils) passes enums by name.
				return d.readEnumName(v)
			}
		}
		if isObjectTag(tag) {
			return d.readNumberHandle(v)
		}
		start := d.pos
		n, err := d.ReadInt64()
		if err != nil {
			return err
		}
		if v.OverflowInt(n) {
			d.pos = start
			return d.fail(ErrType, "%d overflows %s", n, t)
		}
		v.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if isObjectTag(tag) {
			return d.readNumberHandle(v)
		}
		start := d.pos
		n, err := d.ReadInt64()
		if err != nil {
			return err
		}
		if n < 0 || v.OverflowUint(uint64(n)) {
			d.pos = start
			return d.fail(ErrType, "%d overflows %s", n, t)
		}
		v.SetUint(uint64(n))
		return nil
	case reflect.Float32, reflect.Float64:
		if isObjectTag(tag) {
			return d.readNumberHandle(v)
		}
		f, err := d.ReadFloat64()
		if err != nil {
			return err
		}
		v.SetFloat(f)
		return nil
	case reflect.String:
		if !isStringTag(tag) {
			return d.mismatch(tag, "string")
		}
		s, err := d.readString()
		if err != nil {
			return err
		}
		v.SetString(s)
		return nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && isBinaryTag(tag) {
			b, err := d.readBinary()
			if err != nil {
				return err
			}
			v.SetBytes(b)
			return nil
		}
		return d.readListInto(v)
	case reflect.Array:
		return d.readListInto(v)
	case reflect.Map:
		return d.readMapInto(v)
	case reflect.Struct:
		if t == timeType {
			if isObjectTag(tag) {
				return d.readSQLDate(v)
			}
			tm, err := d.ReadTime()
			if err != nil {
				return err
			}
			v.Set(reflect.ValueOf(tm))
			return nil
		}
		if tag == tagMap || tag == tagMapTyped {
			return d.readMapIntoStruct(v)
		}
		def, err := d.readObjectHeader()
		if err != nil {
			return err
		}
		return d.readObjectInto(v, def)
	}
	return d.fail(ErrType, "cannot decode into Go type %s", t)
}

func isObjectTag(tag byte) bool {
	return tag == tagClassDef || tag == tagObject || (tag >= tagObjectDirect && tag <= tagObjectDirect+objectDirectMax)
}

// assign stores a naturally decoded value x into v, converting where Go allows.
func (d *Decoder) assign(v reflect.Value, x any) error {
	if x == nil {
		v.SetZero()
		return nil
	}
	xv := reflect.ValueOf(x)
	switch {
	case xv.Type().AssignableTo(v.Type()):
		v.Set(xv)
	case xv.Kind() == reflect.Pointer && xv.Elem().Type().AssignableTo(v.Type()):
		v.Set(xv.Elem())
	case v.Kind() == reflect.Pointer && xv.Type().AssignableTo(v.Type().Elem()):
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(xv)
		v.Set(p)
	case xv.Type().ConvertibleTo(v.Type()) && isScalar(xv.Kind()) && isScalar(v.Kind()):
		v.Set(xv.Convert(v.Type()))
	case v.Type() == timeType && embedsTime(xv.Type()):
		// A java.sql.Timestamp read as a Timestamp, referred to again where a
		// time.Time (java.Date) is declared.
		v.Set(reflect.Indirect(xv).Field(0))
	case v.Kind() == reflect.Pointer && v.Type().Elem() == timeType && embedsTime(xv.Type()):
		p := reflect.New(timeType)
		p.Elem().Set(reflect.Indirect(xv).Field(0))
		v.Set(p)
	case xv.Type() == timeType && embedsTime(v.Type()):
		// And the other way round.
		if v.Kind() == reflect.Pointer {
			p := reflect.New(v.Type().Elem())
			p.Elem().Field(0).Set(xv)
			v.Set(p)
		} else {
			v.Field(0).Set(xv)
		}
	default:
		return d.fail(ErrType, "a value of Go type %T cannot be stored in %s", x, v.Type())
	}
	return nil
}

// embedsTime reports a struct (or a pointer to one) whose first field is an
// embedded time.Time, as the Java date types of pkg/hessian2/java are.
func embedsTime(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t.NumField() > 0 && t.Field(0).Anonymous && t.Field(0).Type == timeType
}

// sqlDateClasses are the java.util.Date subclasses hessian-lite writes as an
// object with one field, value, holding the date.
var sqlDateClasses = map[string]bool{"java.sql.Timestamp": true, "java.sql.Date": true, "java.sql.Time": true}

// readSQLDate reads a java.sql.Timestamp, Date or Time object into a
// time.Time: Java reads one wherever a java.util.Date is declared.
func (d *Decoder) readSQLDate(v reflect.Value) error {
	def, err := d.readObjectHeader()
	if err != nil {
		return err
	}
	if !sqlDateClasses[def.name] {
		return d.fail(ErrType, "object of class %s where a java.util.Date was expected", def.name)
	}
	if err := d.enter(); err != nil {
		return err
	}
	if err := d.charge(costRef + costHeader); err != nil {
		return err
	}
	idx := d.addRef(nil)
	var tm time.Time
	for _, f := range def.fields {
		if f != "value" {
			if err := d.Skip(); err != nil {
				return wrapField(err, f, def.name)
			}
			continue
		}
		if d.IsNull() {
			continue
		}
		if tm, err = d.ReadTime(); err != nil {
			return wrapField(err, f, def.name)
		}
	}
	v.Set(reflect.ValueOf(tm))
	d.refs.set(idx, tm)
	d.depth--
	return nil
}

// inPlace reports a kind whose values are read where they are stored, so
// that the reference table holds their address (readObjectInto, readListInto).
func inPlace(k reflect.Kind) bool {
	return k == reflect.Struct || k == reflect.Slice || k == reflect.Array
}

func isScalar(k reflect.Kind) bool {
	return k >= reflect.Bool && k <= reflect.Float64 || k == reflect.String
}

func (d *Decoder) decodeRef(v reflect.Value) error {
	x, i, err := d.ref()
	if err != nil {
		return err
	}
	if x == nil {
		return d.fail(ErrSyntax, "reference %d points to a value still being read", i)
	}
	return d.assign(v, x)
}

func (d *Decoder) readEnum(v reflect.Value) error {
	def, err := d.readObjectHeader()
	if err != nil {
		return err
	}
	return d.readEnumFields(v, def)
}

// readEnumFields reads a Java enum constant (an object with a "name" field) into
// an integer type that maps names back to values.
func (d *Decoder) readEnumFields(v reflect.Value, def *classDef) error {
	if err := d.charge(costRef + costBox); err != nil {
		return err
	}
	idx := d.addRef(nil)
	var name string
	var err error
	for _, f := range def.fields {
		if f == "name" {
			if name, err = d.ReadString(); err != nil {
				return wrapField(err, "name", def.name)
			}
		} else if err := d.Skip(); err != nil {
			return wrapField(err, f, def.name)
		}
	}
	setter, ok := v.Addr().Interface().(javaEnumSetter)
	if !ok {
		return d.fail(ErrType, "Java enum %s into %s, which has no FromJavaEnumName", def.name, v.Type())
	}
	if err := setter.FromJavaEnumName(name); err != nil {
		return d.fail(ErrType, "%s has no constant %q: %v", def.name, name, err)
	}
	d.refs.set(idx, v.Interface())
	return nil
}

// readEnumName reads an enum constant given by its name alone.
func (d *Decoder) readEnumName(v reflect.Value) error {
	start := d.pos
	name, err := d.readString()
	if err != nil {
		return err
	}
	if err := v.Addr().Interface().(javaEnumSetter).FromJavaEnumName(name); err != nil {
		d.pos = start
		return d.fail(ErrType, "%s has no constant %q: %v", v.Type(), name, err)
	}
	return nil
}

// maxPrealloc bounds what a list header alone may make the decoder allocate:
// a count is checked against the bytes left, but an element of one byte may
// become a large Go value, so longer lists grow as their elements arrive.
const maxPrealloc = 64 << 10

// preallocLen is how many elements of size bytes to allocate for a list whose
// header says n (-1: unknown).
func preallocLen(n, size int) int {
	switch {
	case n <= 0:
		return 0
	case size == 0:
		return n
	}
	return min(n, max(1, maxPrealloc/size))
}

// growLen is the capacity after a full one of c, for a list of n (-1: unknown).
func growLen(c, n int) int {
	c = max(2*c, 4)
	if n >= 0 {
		c = min(c, n)
	}
	return c
}

func (d *Decoder) readListInto(v reflect.Value) error {
	tag := d.b[d.pos]
	if !isListTag(tag) {
		return d.mismatch(tag, "list for "+v.Type().String())
	}
	if err := d.enter(); err != nil {
		return err
	}
	_, n, err := d.readListHeader()
	if err != nil {
		return err
	}
	if err := d.charge(costRef + costHeader); err != nil {
		return err
	}
	idx := d.addRef(nil)
	t := v.Type()
	isArray := t.Kind() == reflect.Array
	size := int(t.Elem().Size())
	if isArray {
		if n >= 0 && n > t.Len() {
			return d.fail(ErrType, "list of %d elements into %s", n, t)
		}
		v.SetZero()
	} else {
		c := preallocLen(n, size)
		if err := d.chargeN(c, size); err != nil {
			return err
		}
		v.Set(reflect.MakeSlice(t, 0, c))
	}
	for i := 0; ; i++ {
		if more, err := d.listMore(n, i); err != nil {
			return err
		} else if !more {
			break
		}
		if isArray {
			if i >= t.Len() {
				return d.fail(ErrType, "more than %d elements for %s", t.Len(), t)
			}
		} else {
			if v.Len() == v.Cap() {
				// The old array becomes garbage: what stays is the new one.
				c := growLen(v.Cap(), n)
				if err := d.chargeN(c-v.Cap(), size); err != nil {
					return err
				}
				v.Grow(c - v.Len())
			}
			v.SetLen(i + 1)
		}
		if err := d.decodeInto(v.Index(i)); err != nil {
			return wrapField(err, fmt.Sprintf("[%d]", i), "")
		}
	}
	if v.CanAddr() {
		d.refs.setAddr(idx, v.Addr().Interface()) // no slice boxed: a pointer is an interface's word
	} else {
		d.refs.set(idx, v.Interface())
	}
	d.depth--
	return nil
}

func (d *Decoder) readMapInto(v reflect.Value) error {
	tag := d.b[d.pos]
	if isObjectTag(tag) {
		return d.readObjectIntoMap(v)
	}
	if tag != tagMap && tag != tagMapTyped {
		return d.mismatch(tag, "map for "+v.Type().String())
	}
	if done, err := d.readScalarMap(v); done {
		return err
	}
	if _, err := d.enterMap(); err != nil {
		return err
	}
	t := v.Type()
	if err := d.charge(costRef + costMap); err != nil {
		return err
	}
	entry := costEntry + int(t.Key().Size()+t.Elem().Size())
	m := reflect.MakeMapWithSize(t, d.MapHint()) // as generated code makes it
	v.Set(m)
	d.addRef(m.Interface())
	// One key and one value serve every entry (SetMapIndex copies them in),
	// unless they are structs, slices or arrays: the reference table keeps
	// the addresses of the objects and lists read into those, which the
	// next entry would overwrite.
	reuse := !inPlace(t.Key().Kind()) && !inPlace(t.Elem().Kind())
	var k, e reflect.Value
	for {
		if end, err := d.atEnd("a map"); err != nil {
			return err
		} else if end {
			break
		}
		if err := d.charge(entry); err != nil {
			return err
		}
		if !k.IsValid() || !reuse {
			k, e = reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		} else {
			k.SetZero()
			e.SetZero()
		}
		if err := d.decodeInto(k); err != nil {
			return wrapField(err, "[key]", "")
		}
		if err := d.decodeInto(e); err != nil {
			return wrapField(err, "["+keyString(k)+"]", "")
		}
		m.SetMapIndex(k, e)
	}
	d.depth--
	return nil
}

// readObjectIntoMap reads a Java object as a map of field name to value, for a
// Go target such as map[string]any.
func (d *Decoder) readObjectIntoMap(v reflect.Value) error {
	def, err := d.readObjectHeader()
	if err != nil {
		return err
	}
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		return d.fail(ErrType, "object of class %s into %s (map keys must be strings)", def.name, t)
	}
	if err := d.enter(); err != nil {
		return err
	}
	if err := d.chargeN(len(def.fields), costEntry+int(t.Key().Size()+t.Elem().Size())); err != nil {
		return err
	}
	if err := d.charge(costRef + costMap); err != nil {
		return err
	}
	m := reflect.MakeMapWithSize(t, len(def.fields))
	v.Set(m)
	d.addRef(m.Interface())
	for _, f := range def.fields {
		e := reflect.New(t.Elem()).Elem()
		if err := d.decodeInto(e); err != nil {
			return wrapField(err, f, def.name)
		}
		m.SetMapIndex(reflect.ValueOf(f).Convert(t.Key()), e)
	}
	d.depth--
	return nil
}

func (d *Decoder) readObjectInto(v reflect.Value, def *classDef) error {
	var self any
	if v.CanAddr() {
		self = v.Addr().Interface()
	}
	return d.readObjectIntoRef(v, def, self)
}

// readObjectIntoRef fills struct v from an object whose header was read, matching
// fields by Java name; fields the struct lacks are skipped.
func (d *Decoder) readObjectIntoRef(v reflect.Value, def *classDef, self any) error {
	if err := d.enter(); err != nil {
		return err
	}
	t := v.Type()
	if t.Kind() != reflect.Struct {
		return d.fail(ErrType, "object of class %s into %s", def.name, t)
	}
	if err := d.charge(costRef); err != nil {
		return err
	}
	d.addRef(self)
	for k, i := range def.planFor(t) {
		if i < 0 {
			if err := d.Skip(); err != nil {
				return wrapField(err, def.fields[k], def.name)
			}
			continue
		}
		if err := d.decodeInto(v.Field(i)); err != nil {
			return wrapField(err, def.fields[k], def.name)
		}
	}
	d.depth--
	return nil
}

// planFor maps the definition's fields to struct type t's field indices,
// for the reflective path: a name lookup per field was a tenth of decoding
// an object.
func (c *classDef) planFor(t reflect.Type) []int {
	return c.byType.get(t, c.shared, func() []int {
		si := getStructInfo(t)
		idx := make([]int, len(c.fields))
		for k, name := range c.fields {
			idx[k] = -1
			if i, ok := si.byName[name]; ok {
				idx[k] = si.fields[i].index
			}
		}
		return idx
	})
}

// readMapIntoStruct fills struct v from a map keyed by field name: how Java
// writes a Map, and how we write a struct with no Java class.
func (d *Decoder) readMapIntoStruct(v reflect.Value) error {
	if _, err := d.enterMap(); err != nil {
		return err
	}
	var self any
	if v.CanAddr() {
		self = v.Addr().Interface()
	}
	if err := d.charge(costRef); err != nil {
		return err
	}
	d.addRef(self)
	si := getStructInfo(v.Type())
	for {
		if end, err := d.atEnd("a map"); err != nil {
			return err
		} else if end {
			break
		}
		k, err := d.DecodeValue()
		if err != nil {
			return wrapField(err, "[key]", "")
		}
		name, ok := k.(string)
		if !ok {
			return d.fail(ErrType, "map key %v (%s) for struct %s, want a field name", k, typeOfValue(k), v.Type())
		}
		i, ok := si.byName[name]
		if !ok {
			if err := d.Skip(); err != nil {
				return wrapField(err, name, "")
			}
			continue
		}
		if err := d.decodeInto(v.Field(si.fields[i].index)); err != nil {
			return wrapField(err, name, "")
		}
	}
	d.depth--
	return nil
}
