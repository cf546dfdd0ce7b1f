package hessian2

import (
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unsafe"
)

// JavaClassNamer is a Go type that stands for a Java class. A struct with this
// method is written as a Hessian object of that class; an integer type with it and
// a String method is written as a Java enum constant.
type JavaClassNamer interface{ JavaClassName() string }

// Marshaler is a type that writes its own Hessian form, for Java types whose wire
// form is not a plain list of fields, and for generated per-struct code.
type Marshaler interface {
	MarshalHessian2(e *Encoder) error
}

// Unmarshaler is the decoding twin of Marshaler. The decoder calls it with the
// stream positioned at the value.
type Unmarshaler interface {
	UnmarshalHessian2(d *Decoder) error
}

// javaEnumSetter is implemented by generated enum types (kitexdubbo-gen) so a Java
// enum constant's name maps back to the Thrift enum value.
type javaEnumSetter interface {
	FromJavaEnumName(name string) error
}

var (
	timeType        = reflect.TypeOf(time.Time{})
	bytesType       = reflect.TypeOf([]byte(nil))
	anyType         = reflect.TypeOf((*any)(nil)).Elem()
	errorType       = reflect.TypeOf((*error)(nil)).Elem()
	classNamerType  = reflect.TypeOf((*JavaClassNamer)(nil)).Elem()
	marshalerType   = reflect.TypeOf((*Marshaler)(nil)).Elem()
	unmarshalerType = reflect.TypeOf((*Unmarshaler)(nil)).Elem()
	enumSetterType  = reflect.TypeOf((*javaEnumSetter)(nil)).Elem()
	stringerType    = reflect.TypeOf((*interface{ String() string })(nil)).Elem()
)

// registry maps Java class names to the Go types registered for them.
var registry sync.Map // string -> reflect.Type (the registered value's type: *T or an enum type)

// Register makes each value's Java class (its JavaClassName) decode into the value's
// Go type when the target is an interface (any, java.Object) or unknown. Pass
// pointers to structs, as generated code does: Register(&Order{}, &Item{}).
// Registering a class again replaces the earlier type. Values without a Java class
// are ignored: they have nothing to map.
func Register(values ...any) {
	for _, v := range values {
		n, ok := v.(JavaClassNamer)
		if !ok {
			continue
		}
		registry.Store(n.JavaClassName(), reflect.TypeOf(v))
	}
}

// RegisterName makes objects of the Java class name decode into v's Go type, for
// types whose wire class differs from their Java type: hessian-lite writes a
// java.time.LocalDateTime as an object of its LocalDateTimeHandle class.
func RegisterName(name string, v any) {
	registry.Store(name, reflect.TypeOf(v))
}

// lookupClass returns the Go type registered for a Java class.
func lookupClass(name string) (reflect.Type, bool) {
	t, ok := registry.Load(name)
	if !ok {
		return nil, false
	}
	return t.(reflect.Type), true
}

// structInfo is what the reflective path needs to know of a Go struct, computed
// once per type.
type structInfo struct {
	class  string // Java class; "" means the struct is written as a map
	fields []fieldInfo
	names  []string // the fields of the class definition (classFieldNames)
	byName map[string]int
	// errorMessage: the struct is an exception with no field of its own named
	// detailMessage, so one is written for Throwable.detailMessage: the value
	// of its field "message" (a string or *string) when it has one, else its
	// Java class name, as a Java exception without a message reads.
	errorMessage bool
	messageField int // index in fields of "message", -1 if none
}

type fieldInfo struct {
	name     string // Java field name
	index    int
	typ      reflect.Type
	methods  methodSet // methodsOf(typ)
	javaType string    // the `java:"..."` tag: the field's declared Java type, written as EncodeAs writes it
}

var structInfos sync.Map // reflect.Type -> *structInfo

func getStructInfo(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: make(map[string]int), messageField: -1}
	pt := reflect.PointerTo(t)
	if pt.Implements(classNamerType) {
		si.class = reflect.New(t).Interface().(JavaClassNamer).JavaClassName()
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := javaFieldName(f)
		if name == "" {
			continue
		}
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, fieldInfo{name: name, index: i, typ: f.Type, methods: methodsOf(f.Type), javaType: strings.TrimSpace(f.Tag.Get("java"))})
	}
	if _, has := si.byName["detailMessage"]; !has && si.class != "" && pt.Implements(errorType) {
		si.errorMessage = true
		if i, ok := si.byName["message"]; ok {
			if ft := si.fields[i].typ; ft.Kind() == reflect.String || ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.String {
				si.messageField = i
			}
		}
	}
	si.names = classFieldNames(si)
	v, _ := structInfos.LoadOrStore(t, si)
	return v.(*structInfo)
}

// A field's `java:"T"` tag names the Java type the receiving class declares
// where the Go type cannot tell it: the value is written as a parameter of
// hessian.argsType T would be (EncodeAs). From the IDL:
//
//	1: list<string> queue (go.tag = 'java:"java.util.LinkedList"')   // a java.util.Queue field
//	2: string initial (go.tag = 'java:"char"')
//
// javaFieldName is the `hessian:"name"` tag; else the IDL field name Kitex keeps
// in the `thrift:"name,id"` tag (the Java class mirrors the IDL); else the Go name
// as a Java bean would spell it (ID -> id, URLPath -> urlPath, Name -> name).
// "-" drops the field.
func javaFieldName(f reflect.StructField) string {
	if tag, ok := f.Tag.Lookup("hessian"); ok {
		tag, _, _ = strings.Cut(tag, ",")
		if tag == "-" {
			return ""
		}
		if tag != "" {
			return tag
		}
	}
	if tag, ok := f.Tag.Lookup("thrift"); ok {
		if name, _, _ := strings.Cut(tag, ","); name != "" {
			return name
		}
	}
	return lowerInitial(f.Name)
}

func lowerInitial(s string) string {
	r := []rune(s)
	for i := 0; i < len(r) && unicode.IsUpper(r[i]); i++ {
		if i > 0 && i+1 < len(r) && unicode.IsLower(r[i+1]) {
			break // the last capital of an initialism starts the next word
		}
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

// methodSet says which of this package's interfaces a type and its pointer
// implement, worked out once per type: reflect's Implements is too slow to
// ask per value.
type methodSet uint16

const (
	mMarshal       methodSet = 1 << iota // t implements Marshaler
	mPtrMarshal                          // *t implements Marshaler
	mUnmarshal                           // t implements Unmarshaler
	mPtrUnmarshal                        // *t implements Unmarshaler
	mGenerated                           // t or *t implements Generated (kitexdubbo-gen's methods)
	mPtrEnumSetter                       // *t implements javaEnumSetter
	mEnum                                // t is a Java enum: JavaClassNamer and Stringer
	// mRefs: a value of t can be shared or cyclic in ways only references
	// keep small: t reaches an interface (what a decoded Java value holds)
	// or itself. Other types are trees of bounded depth, which the encoder
	// writes without tracking what it wrote (its size limit bounds what
	// sharing could still expand).
	mRefs
)

var methodSets sync.Map // reflect.Type -> methodSet

func methodsOf(t reflect.Type) methodSet {
	if m, ok := methodSets.Load(t); ok {
		return m.(methodSet)
	}
	pt := reflect.PointerTo(t)
	var m methodSet
	for _, c := range []struct {
		t    reflect.Type
		i    reflect.Type
		flag methodSet
	}{
		{t, marshalerType, mMarshal}, {pt, marshalerType, mPtrMarshal},
		{t, unmarshalerType, mUnmarshal}, {pt, unmarshalerType, mPtrUnmarshal},
		{pt, generatedType, mGenerated}, {pt, enumSetterType, mPtrEnumSetter},
	} {
		if c.t.Implements(c.i) {
			m |= c.flag
		}
	}
	if t.Implements(generatedType) {
		m |= mGenerated
	}
	if t.Implements(classNamerType) && t.Implements(stringerType) {
		m |= mEnum
	}
	if needsRefs(t, map[reflect.Type]bool{}) {
		m |= mRefs
	}
	methodSets.Store(t, m)
	return m
}

// needsRefs reports whether t reaches an interface or itself; onPath holds
// the types being looked into.
func needsRefs(t reflect.Type, onPath map[reflect.Type]bool) bool {
	if onPath[t] {
		return true
	}
	onPath[t] = true
	defer delete(onPath, t)
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return needsRefs(t.Elem(), onPath)
	case reflect.Map:
		return needsRefs(t.Key(), onPath) || needsRefs(t.Elem(), onPath)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if needsRefs(t.Field(i).Type, onPath) {
				return true
			}
		}
	}
	return false
}

// methodCache is a small cache of methodsOf in front of the process-wide
// map, one per Encoder and Decoder: the same few types recur through a body.
// It is two-way: with one slot per hash, two types of one body sharing a
// slot took turns evicting each other, and a tenth of the lookups of the
// medium benchmark order went to the process-wide map.
type methodCache [64]struct {
	t  unsafe.Pointer // the *rtype in t: comparing reflect.Types calls runtime.ifaceeq
	ms methodSet
}

func (c *methodCache) get(t reflect.Type) methodSet {
	p := (*[2]unsafe.Pointer)(unsafe.Pointer(&t))[1]
	// Fibonacci hashing of the type's address: type descriptors sit close
	// together, where the low bits alone would put many in one slot.
	i := uint64(uintptr(p)) * 0x9e3779b97f4a7c15 >> 59 << 1
	if c[i].t == p {
		return c[i].ms
	}
	if c[i+1].t == p {
		return c[i+1].ms
	}
	// The newer in the first slot, the one it displaces in the second.
	c[i+1] = c[i]
	c[i].t, c[i].ms = p, methodsOf(t)
	return c[i].ms
}

// own reports whether methods of m are to be used: not those kitexdubbo-gen
// wrote when reflection alone is asked for.
func (m methodSet) own(reflectOnly bool) bool { return !reflectOnly || m&mGenerated == 0 }
