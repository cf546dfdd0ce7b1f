package hessian2

import (
	"fmt"
	"reflect"
	"strings"
)

// Java primitive types: their descriptor letters (JVM spec 4.3.2) and the type
// name Hessian writes for an array of them.
var javaPrimitives = map[string]struct{ desc, array string }{
	"boolean": {"Z", "[boolean"},
	"byte":    {"B", ""}, // byte[] is a Hessian binary
	"char":    {"C", "[char"},
	"short":   {"S", "[short"},
	"int":     {"I", "[int"},
	"long":    {"J", "[long"},
	"float":   {"F", "[float"},
	"double":  {"D", "[double"},
	"void":    {"V", ""},
}

// TypeDescriptor returns the JVM descriptor of one Dubbo method parameter, as it
// goes into the request's parameter-types field (the provider finds the overload
// by it). javaType is the parameter's Java type from the IDL's hessian.argsType
// annotation, such as "int", "int[]" or "java.util.HashMap"; when empty, the Java
// type is derived from the Go type t:
//
//	bool Boolean  int8 Byte  int16 Short  int32 Integer  int64 Long  float64 Double
//	string String  []byte byte[]  other slices List  maps Map  time.Time Date
//	a type with JavaClassName that class  other structs Map  interfaces Object
func TypeDescriptor(t reflect.Type, javaType string) (string, error) {
	if javaType != "" {
		return javaDescriptor(javaType)
	}
	return javaDescriptor(DefaultJavaType(t))
}

// DefaultJavaType is the Java type a Go type maps to when no annotation says otherwise.
func DefaultJavaType(t reflect.Type) string {
	if t == nil {
		return "java.lang.Object"
	}
	if t.Implements(classNamerType) {
		return reflect.Zero(t).Interface().(JavaClassNamer).JavaClassName()
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(classNamerType) {
		return reflect.New(t).Interface().(JavaClassNamer).JavaClassName()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "java.lang.Boolean"
	case reflect.Int8:
		return "java.lang.Byte"
	case reflect.Int16, reflect.Uint8:
		return "java.lang.Short"
	case reflect.Int32, reflect.Uint16:
		return "java.lang.Integer"
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint, reflect.Uint64:
		return "java.lang.Long"
	case reflect.Float32:
		return "java.lang.Float"
	case reflect.Float64:
		return "java.lang.Double"
	case reflect.String:
		return "java.lang.String"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "byte[]"
		}
		return "java.util.List"
	case reflect.Map:
		return "java.util.Map"
	case reflect.Struct:
		if t == timeType {
			return "java.util.Date"
		}
		// A struct without a Java class is written as a map, so a Java
		// method takes it as one.
		return "java.util.Map"
	case reflect.Pointer:
		return DefaultJavaType(t.Elem())
	}
	return "java.lang.Object"
}

func javaDescriptor(javaType string) (string, error) {
	javaType = strings.TrimSpace(javaType)
	if javaType == "" {
		return "", fmt.Errorf("%w: empty Java type", ErrType)
	}
	if elem, ok := strings.CutSuffix(javaType, "[]"); ok {
		d, err := javaDescriptor(elem)
		return "[" + d, err
	}
	if p, ok := javaPrimitives[javaType]; ok {
		return p.desc, nil
	}
	return "L" + strings.ReplaceAll(javaType, ".", "/") + ";", nil
}

// EncodeAs writes v as the Java type javaType names (a hessian.argsType entry,
// or a struct field's `java` tag): arrays become typed lists ("int[]" is written
// as Java writes an int[], "java.lang.Integer[]" as an Integer[]); a slice for a
// collection class a typed list of that class ("java.util.LinkedList"), and for
// an interface Java cannot instantiate the class Java would pick
// (java.util.Set: HashSet, java.util.Queue: LinkedList); a map for a map class
// a typed map ("java.util.TreeMap"); "char" a string of that one character (from
// a string or a rune), "char[]" a string; float and the integer primitives the
// value's number form. Other types (java.util.List, java.util.Map, POJO classes),
// and "", write v as Encode does.
func (e *Encoder) EncodeAs(v any, javaType string) error {
	javaType = strings.TrimSpace(javaType)
	if javaType == "" {
		return e.Encode(v)
	}
	return e.encodeAs(reflect.ValueOf(v), javaType)
}

func (e *Encoder) encodeAs(rv reflect.Value, javaType string) error {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			e.WriteNull()
			return nil
		}
		rv = rv.Elem()
	}
	switch javaType {
	case "int", "java.lang.Integer", "short", "java.lang.Short", "byte", "java.lang.Byte":
		if n, ok := asInt(rv); ok {
			e.WriteInt32(int32(n))
			return nil
		}
	case "long", "java.lang.Long":
		if n, ok := asInt(rv); ok {
			e.WriteInt64(n)
			return nil
		}
	case "float", "java.lang.Float", "double", "java.lang.Double":
		if rv.CanFloat() {
			e.WriteFloat64(rv.Float())
			return nil
		}
	case "char", "java.lang.Character":
		if rv.Kind() == reflect.String {
			e.WriteString(rv.String())
			return nil
		}
		if n, ok := asInt(rv); ok {
			if n < 0 || n > 0xffff || n >= 0xd800 && n <= 0xdfff {
				return &EncodeError{Type: javaType, Err: typeErrorf("%d is not a Java char (a UTF-16 unit outside the surrogates)", n)}
			}
			e.WriteString(string(rune(n)))
			return nil
		}
	case "char[]":
		if rv.Kind() == reflect.String {
			e.WriteString(rv.String())
			return nil
		}
		if (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) && rv.Type().Elem().Kind() >= reflect.Int && rv.Type().Elem().Kind() <= reflect.Uint64 {
			r := make([]rune, rv.Len())
			for i := range r {
				n, _ := asInt(rv.Index(i))
				r[i] = rune(n)
			}
			e.WriteString(string(r))
			return nil
		}
	}
	if elem, ok := strings.CutSuffix(javaType, "[]"); ok && (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array) {
		if elem == "byte" {
			return e.encodeValue(rv)
		}
		return e.writeList(rv, arrayType(elem))
	}
	switch rv.Kind() {
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			break
		}
		if cls, typed := collectionClass(javaType); typed {
			if rv.IsNil() {
				e.WriteNull()
				return nil
			}
			if e.backRef(rv.UnsafePointer(), rv.Type(), rv.Len()) {
				return nil
			}
			return e.writeList(rv, cls)
		}
	case reflect.Array:
		if cls, typed := collectionClass(javaType); typed && rv.Type().Elem().Kind() != reflect.Uint8 {
			return e.writeList(rv, cls)
		}
	case reflect.Map:
		if cls, typed := mapClass(javaType); typed {
			if rv.IsNil() {
				e.WriteNull()
				return nil
			}
			if e.backRef(rv.UnsafePointer(), rv.Type(), 0) {
				return nil
			}
			return e.writeMap(rv, cls)
		}
	}
	return e.encodeValue(rv)
}

// untypedJava are the declared types a list or map goes to untyped, as Java
// writes an ArrayList or a HashMap: the receiver makes one of those.
var untypedJava = map[string]bool{
	"java.util.List": true, "java.util.ArrayList": true, "java.util.Collection": true, "java.lang.Iterable": true,
	"java.util.Map": true, "java.util.HashMap": true, "java.lang.Object": true, "java.io.Serializable": true,
}

// javaInterfaceClass is the class Java itself would send for a value of an
// interface type that a Hessian reader cannot make from an untyped list or map
// (hessian-lite gives a Queue field an ArrayList and a ConcurrentMap field a
// HashMap, which the field cannot take), or that the IDL has no word for.
var javaInterfaceClass = map[string]string{
	"java.util.Set":                               "java.util.HashSet",
	"java.util.SortedSet":                         "java.util.TreeSet",
	"java.util.NavigableSet":                      "java.util.TreeSet",
	"java.util.Queue":                             "java.util.LinkedList",
	"java.util.Deque":                             "java.util.LinkedList",
	"java.util.SortedMap":                         "java.util.TreeMap",
	"java.util.NavigableMap":                      "java.util.TreeMap",
	"java.util.concurrent.ConcurrentMap":          "java.util.concurrent.ConcurrentHashMap",
	"java.util.concurrent.ConcurrentNavigableMap": "java.util.concurrent.ConcurrentSkipListMap",
}

var mapInterfaces = map[string]bool{
	"java.util.SortedMap": true, "java.util.NavigableMap": true, "java.util.concurrent.ConcurrentMap": true,
	"java.util.concurrent.ConcurrentNavigableMap": true,
}

// collectionClass is the list type a slice declared javaType is written as,
// and whether it is typed at all.
func collectionClass(javaType string) (string, bool) {
	if untypedJava[javaType] || mapInterfaces[javaType] {
		return "", false
	}
	if c, ok := javaInterfaceClass[javaType]; ok {
		return c, true
	}
	return javaType, true
}

// mapClass is the map type a map declared javaType is written as.
func mapClass(javaType string) (string, bool) {
	if untypedJava[javaType] {
		return "", false
	}
	if c, ok := javaInterfaceClass[javaType]; ok {
		if !mapInterfaces[javaType] {
			return "", false // a collection interface: the value is not its kind
		}
		return c, true
	}
	return javaType, true
}

// arrayType is the list type Caucho writes for an array of elem.
func arrayType(elem string) string {
	switch elem {
	case "java.lang.String":
		return "[string"
	case "java.lang.Object":
		return "[object"
	}
	if p, ok := javaPrimitives[elem]; ok && p.array != "" {
		return p.array
	}
	return "[" + elem
}

func asInt(rv reflect.Value) (int64, bool) {
	switch {
	case rv.CanInt():
		return rv.Int(), true
	case rv.CanUint():
		return int64(rv.Uint()), true
	}
	return 0, false
}
