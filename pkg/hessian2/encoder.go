package hessian2

import (
	"fmt"
	"math"
	"reflect"
	"time"
	"unsafe"
)

// maxEncodeDepth stops runaway recursion through self-containing values that
// carry no identity to back-reference (a slice inside an interface inside itself).
const maxEncodeDepth = 1000

// Encoder writes one Hessian 2.0 stream: in Dubbo, one request or response body.
// Class definitions, list/map type names and back-references are numbered per
// stream, so every value of a body, whether written by generated code, by the
// reflective path or by a Java extension type, must go through the same Encoder.
type Encoder struct {
	b        []byte
	classes  []any          // class-definition keys, in the order of the stream's class table
	names    []string       // the class of each of classes
	fieldsOf []*string      // the fields slice of each of classes (WriteObjectStart), else nil
	classMap map[any]int    // the same, once there are more than a few
	types    map[string]int // list/map type name -> index in the type table
	refs     map[refKey]int // pointer identity -> reference number
	nrefs    int            // lists, maps and objects written so far: each takes a reference number
	depth    int
	keys     []string   // scratch for sorted map keys (StringKeys)
	entries  []mapEntry // the same for the reflective path (writeMapEntries)
	methods  methodCache
	max      int // SetMaxSize; 0: none
	// reflectOnly: write generated types by reflection too (SetReflectOnly).
	reflectOnly bool
}

type refKey struct {
	p unsafe.Pointer
	t reflect.Type
	n int // slice length: slices of one array differ by it
}

// NewEncoder returns an Encoder that appends to buf.
func NewEncoder(buf []byte) *Encoder {
	e := &Encoder{}
	e.Reset(buf)
	return e
}

// Reset starts a new stream appending to buf, keeping the tables' memory.
func (e *Encoder) Reset(buf []byte) {
	e.b = buf
	if e.types == nil {
		e.types = make(map[string]int)
		e.refs = make(map[refKey]int)
	} else {
		clear(e.types)
		clear(e.refs)
	}
	clear(e.classes)
	e.classes = e.classes[:0]
	e.names = e.names[:0]
	clear(e.fieldsOf)
	e.fieldsOf = e.fieldsOf[:0]
	clear(e.classMap)
	e.nrefs = 0
	e.depth = 0
}

// Bytes returns the stream written so far.
func (e *Encoder) Bytes() []byte { return e.b }

func (e *Encoder) WriteNull()             { e.b = AppendNull(e.b) }
func (e *Encoder) WriteBool(v bool)       { e.b = AppendBool(e.b, v) }
func (e *Encoder) WriteInt32(v int32)     { e.b = AppendInt32(e.b, v) }
func (e *Encoder) WriteInt64(v int64)     { e.b = AppendInt64(e.b, v) }
func (e *Encoder) WriteFloat64(v float64) { e.b = AppendFloat64(e.b, v) }
func (e *Encoder) WriteString(v string)   { e.b = AppendString(e.b, v) }
func (e *Encoder) WriteTime(v time.Time)  { e.b = AppendTime(e.b, v) }
func (e *Encoder) WriteBytes(v []byte) {
	if v == nil {
		e.WriteNull()
		return
	}
	e.b = AppendBytes(e.b, v)
}

// WriteObjectStart writes the header of an object of a Java class whose field
// values follow in the order of fields; the caller then writes exactly
// len(fields) values. The class definition is written the first time this class
// and this fields slice meet in the stream, so pass a slice that lives as long
// as the program (a package-level variable), as generated code does; one slice
// may serve several classes (the enum constants of an EnumSet share ["name"]).
func (e *Encoder) WriteObjectStart(class string, fields []string) {
	if len(fields) == 0 {
		e.objectStart(classKey{name: class}, class, fields)
		return
	}
	// A class met before in this stream, found by comparing pointers: most
	// objects of a body are of a class defined already.
	p := &fields[0]
	if len(e.classes) <= maxClassScan {
		for i, q := range e.fieldsOf {
			if q == p && e.names[i] == class {
				e.writeObjectRef(i)
				return
			}
		}
	}
	// The slice alone is the key as long as it names one class in this
	// stream: a pointer goes into an interface without allocating, so
	// generated code writes objects with no allocation at all.
	var key any = p
	if i := e.classIndex(key); i >= 0 && e.names[i] != class {
		key = classKey{name: class, fields: p}
	}
	e.objectStart(key, class, fields)
}

// classKey names a class definition written by WriteObjectStart.
type classKey struct {
	name   string
	fields *string
}

func (e *Encoder) objectStart(key any, class string, fields []string) {
	idx := e.classIndex(key)
	if idx < 0 {
		idx = len(e.classes)
		e.classes = append(e.classes, key)
		e.names = append(e.names, class)
		var fp *string
		if len(fields) > 0 {
			fp = &fields[0]
		}
		e.fieldsOf = append(e.fieldsOf, fp)
		if idx >= maxClassScan {
			if e.classMap == nil {
				e.classMap = make(map[any]int)
			}
			if len(e.classMap) == 0 {
				for i, k := range e.classes {
					e.classMap[k] = i
				}
			}
			e.classMap[key] = idx
		}
		e.b = appendClassDef(e.b, key, class, fields)
	}
	e.writeObjectRef(idx)
}

// writeObjectRef writes the header of an object of the stream's class idx.
func (e *Encoder) writeObjectRef(idx int) {
	e.nrefs++
	if idx <= objectDirectMax {
		e.b = append(e.b, byte(tagObjectDirect+idx))
	} else {
		e.b = AppendInt32(append(e.b, tagObject), int32(idx))
	}
}

// classIndex is key's place in the stream's class table, -1 if it has none.
// A body has a handful of classes, where a search beats hashing interface
// keys; past maxClassScan (a value decoded from a stream of many classes,
// written back) the map takes over.
func (e *Encoder) classIndex(key any) int {
	if len(e.classes) > maxClassScan {
		if i, ok := e.classMap[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range e.classes {
		if k == key {
			return i
		}
	}
	return -1
}

const maxClassScan = 16

// WriteListStart writes the header of a list of n elements. typ is the Java type
// ("" for an untyped list, which Java reads as ArrayList; "[int" for int[]).
func (e *Encoder) WriteListStart(typ string, n int) {
	e.nrefs++
	if typ == "" {
		if n <= listDirectMax {
			e.b = append(e.b, byte(tagListDirect+n))
		} else {
			e.b = AppendInt32(append(e.b, tagList), int32(n))
		}
		return
	}
	if n <= listDirectMax {
		e.b = append(e.b, byte(tagListTypedDirect+n))
		e.writeType(typ)
		return
	}
	e.b = append(e.b, tagListTyped)
	e.writeType(typ)
	e.b = AppendInt32(e.b, int32(n))
}

// WriteMapStart writes the header of a map ("" for an untyped map, which Java
// reads as HashMap). Keys and values follow, then WriteMapEnd.
func (e *Encoder) WriteMapStart(typ string) {
	e.nrefs++
	if typ == "" {
		e.b = append(e.b, tagMap)
		return
	}
	e.b = append(e.b, tagMapTyped)
	e.writeType(typ)
}

// WriteMapEnd closes a map.
func (e *Encoder) WriteMapEnd() { e.b = append(e.b, tagEnd) }

// writeType writes a list/map type name, or its index once the stream has it.
func (e *Encoder) writeType(typ string) {
	if idx, ok := e.types[typ]; ok {
		e.b = AppendInt32(e.b, int32(idx))
		return
	}
	e.types[typ] = len(e.types)
	e.b = AppendString(e.b, typ)
}

// backRef writes a reference and reports true when p was written before in this
// stream; otherwise it records the number p is about to take.
func (e *Encoder) backRef(p unsafe.Pointer, t reflect.Type, n int) bool {
	k := refKey{p, t, n}
	if n, ok := e.refs[k]; ok {
		e.b = AppendInt32(append(e.b, tagRef), int32(n))
		return true
	}
	e.refs[k] = e.nrefs
	return false
}

// Encode writes v. See the package documentation for the Go -> Java mapping.
func (e *Encoder) Encode(v any) error {
	switch x := v.(type) {
	case nil:
		e.WriteNull()
	case string:
		e.WriteString(x)
	case int32:
		e.WriteInt32(x)
	case int64:
		e.WriteInt64(x)
	case bool:
		e.WriteBool(x)
	case float64:
		e.WriteFloat64(x)
	case []byte:
		e.WriteBytes(x)
	case Marshaler:
		if e.reflectOnly && isGenerated(v) {
			return e.encodeValue(reflect.ValueOf(v))
		}
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			e.WriteNull()
			return nil
		}
		return x.MarshalHessian2(e)
	default:
		return e.encodeValue(reflect.ValueOf(v))
	}
	return nil
}

func (e *Encoder) encodeValue(rv reflect.Value) error {
	if !rv.IsValid() {
		e.WriteNull()
		return nil
	}
	return e.encodeTyped(rv, e.methods.get(rv.Type()))
}

// encodeTyped writes rv, whose type's methods ms are known: a struct field,
// list element or map entry of a static type has them looked up once per
// container, not once per value.
func (e *Encoder) encodeTyped(rv reflect.Value, ms methodSet) error {
	t := rv.Type()
	if ms&mMarshal != 0 && ms.own(e.reflectOnly) {
		if (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && rv.IsNil() {
			e.WriteNull()
			return nil
		}
		return rv.Interface().(Marshaler).MarshalHessian2(e)
	}
	if rv.Kind() != reflect.Pointer && ms&mPtrMarshal != 0 && ms.own(e.reflectOnly) {
		p := reflect.New(t)
		p.Elem().Set(rv)
		return p.Interface().(Marshaler).MarshalHessian2(e)
	}
	switch rv.Kind() {
	case reflect.Bool:
		e.WriteBool(rv.Bool())
	case reflect.Int8, reflect.Int16, reflect.Int32:
		if ms&mEnum != 0 {
			return e.writeEnum(rv)
		}
		e.WriteInt32(int32(rv.Int()))
	case reflect.Int, reflect.Int64:
		if ms&mEnum != 0 {
			return e.writeEnum(rv)
		}
		e.WriteInt64(rv.Int())
	case reflect.Uint8, reflect.Uint16:
		e.WriteInt32(int32(rv.Uint()))
	case reflect.Uint32, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		if u > math.MaxInt64 {
			return &EncodeError{Type: t.String(), Err: typeErrorf("%d does not fit a Java long", u)}
		}
		e.WriteInt64(int64(u))
	case reflect.Float32, reflect.Float64:
		e.WriteFloat64(rv.Float())
	case reflect.String:
		e.WriteString(rv.String())
	case reflect.Slice:
		if rv.IsNil() {
			e.WriteNull()
			return nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			e.b = AppendBytes(e.b, rv.Bytes())
			return nil
		}
		// A slice met again is written as a reference: a value decoded from Java
		// shares lists the same way, and re-expanding them could grow without
		// bound. Empty slices all point alike (Go gives them one address), so
		// they are not taken for one shared list.
		if ms&mRefs != 0 && rv.Len() > 0 && e.backRef(rv.UnsafePointer(), t, rv.Len()) {
			return nil
		}
		return e.writeList(rv, "")
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			b := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
			e.b = AppendBytes(e.b, b)
			return nil
		}
		return e.writeList(rv, "")
	case reflect.Map:
		if rv.IsNil() {
			e.WriteNull()
			return nil
		}
		if ms&mRefs != 0 && e.backRef(rv.UnsafePointer(), t, 0) {
			return nil
		}
		return e.writeMap(rv, "")
	case reflect.Struct:
		if t == timeType {
			e.WriteTime(rv.Interface().(time.Time))
			return nil
		}
		return e.writeStruct(rv)
	case reflect.Pointer:
		if rv.IsNil() {
			e.WriteNull()
			return nil
		}
		if t.Elem().Kind() == reflect.Struct && t.Elem() != timeType && ms&mRefs != 0 {
			if e.backRef(rv.UnsafePointer(), t, 0) {
				return nil
			}
		}
		return e.encodeValue(rv.Elem())
	case reflect.Interface:
		if rv.IsNil() {
			e.WriteNull()
			return nil
		}
		return e.encodeValue(rv.Elem())
	default:
		return &EncodeError{Type: t.String(), Err: typeErrorf("Go kind %s has no Hessian form", rv.Kind())}
	}
	return nil
}

func (e *Encoder) enter() error {
	e.depth++
	if e.depth > maxEncodeDepth {
		return &EncodeError{Err: fmt.Errorf("%w: nesting deeper than %d (a cycle without pointers?)", ErrTooLarge, maxEncodeDepth)}
	}
	if e.max > 0 && len(e.b) > e.max {
		return &EncodeError{Err: fmt.Errorf("%w: the stream is past the limit of %d bytes", ErrTooLarge, e.max)}
	}
	return nil
}

// SetMaxSize stops writing, with ErrTooLarge, at the next list, map or
// object once the stream holds more than n bytes (0: no limit): a value that
// shares what it holds many times over (or a runaway one) cannot make the
// encoder use more than about the limit. Reset keeps it.
func (e *Encoder) SetMaxSize(n int) { e.max = n }

func (e *Encoder) writeList(rv reflect.Value, typ string) error {
	if err := e.enter(); err != nil {
		return err
	}
	n := rv.Len()
	e.WriteListStart(typ, n)
	ms := e.methods.get(rv.Type().Elem())
	for i := 0; i < n; i++ {
		if err := e.encodeTyped(rv.Index(i), ms); err != nil {
			return wrapField(err, fmt.Sprintf("[%d]", i), "")
		}
	}
	e.depth--
	return nil
}

// writeStruct writes a struct with a Java class as an object, and one without as
// a map of its fields: Java reads such a map into whatever class the receiving
// method or field declares.
func (e *Encoder) writeStruct(rv reflect.Value) error {
	if err := e.enter(); err != nil {
		return err
	}
	t := rv.Type()
	si := getStructInfo(t)
	if si.class == "" {
		e.WriteMapStart("")
		for _, f := range si.fields {
			e.WriteString(f.name)
			if err := e.encodeField(rv.Field(f.index), f); err != nil {
				return wrapField(err, f.name, t.String())
			}
		}
		e.WriteMapEnd()
		e.depth--
		return nil
	}
	e.objectStart(t, si.class, si.names)
	for _, f := range si.fields {
		if err := e.encodeField(rv.Field(f.index), f); err != nil {
			return wrapField(err, f.name, si.class)
		}
	}
	if si.errorMessage {
		e.WriteString(exceptionMessage(rv, si))
	}
	e.depth--
	return nil
}

// encodeField writes a struct field, as its `java` tag's type if it has one.
func (e *Encoder) encodeField(v reflect.Value, f fieldInfo) error {
	if f.javaType == "" {
		return e.encodeTyped(v, f.methods)
	}
	return e.encodeAs(v, f.javaType)
}

// exceptionMessage is the detailMessage written for an exception struct.
func exceptionMessage(rv reflect.Value, si *structInfo) string {
	if si.messageField < 0 {
		return si.class
	}
	f := rv.Field(si.fields[si.messageField].index)
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return si.class
		}
		f = f.Elem()
	}
	return f.String()
}

// classFieldNames are the fields of si's class definition.
func classFieldNames(si *structInfo) []string {
	names := make([]string, 0, len(si.fields)+1)
	for _, f := range si.fields {
		names = append(names, f.name)
	}
	if si.errorMessage {
		names = append(names, "detailMessage")
	}
	return names
}

func (e *Encoder) writeEnum(rv reflect.Value) error {
	v := rv.Interface()
	class := v.(JavaClassNamer).JavaClassName()
	e.objectStart(rv.Type(), class, enumFields)
	e.WriteString(v.(fmt.Stringer).String())
	return nil
}

// enumFields is how Hessian writes a Java enum constant: an object with one field.
var enumFields = []string{"name"}
