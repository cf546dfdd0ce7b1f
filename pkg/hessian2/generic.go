package hessian2

import (
	"reflect"
)

// Generalize returns v in the form Dubbo's generic invocation uses for values
// (what PojoUtils.generalize makes in Java): a struct becomes a map of its Java
// field names with a "class" entry naming its Java class, a Java enum its
// constant name, slices lists and maps maps of generalized elements. Values
// Java sees as simple (numbers, strings, []byte, time.Time, Marshaler types
// such as java.BigDecimal) stay as they are. A generic caller
// ($invoke with generic=true) gets results in this form.
func Generalize(v any) any {
	return generalize(reflect.ValueOf(v), 0)
}

// maxGeneralizeDepth bounds a cyclic value, which a Go handler can return.
const maxGeneralizeDepth = 100

func generalize(rv reflect.Value, depth int) any {
	if !rv.IsValid() || depth > maxGeneralizeDepth {
		return nil
	}
	t := rv.Type()
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) || t == timeType || t == bytesType {
		return rv.Interface()
	}
	if t.Implements(classNamerType) && t.Implements(stringerType) && isIntKind(t.Kind()) {
		return rv.Interface().(interface{ String() string }).String()
	}
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return generalize(rv.Elem(), depth+1)
	case reflect.Struct:
		si := getStructInfo(t)
		m := make(map[string]any, len(si.fields)+1)
		if si.class != "" {
			m["class"] = si.class
		}
		for _, f := range si.fields {
			m[f.name] = generalize(rv.Field(f.index), depth+1)
		}
		return m
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil
		}
		l := make([]any, rv.Len())
		for i := range l {
			l[i] = generalize(rv.Index(i), depth+1)
		}
		return l
	case reflect.Map:
		if rv.IsNil() {
			return nil
		}
		m := make(map[any]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			k := generalize(it.Key(), depth+1)
			if k != nil && !reflect.TypeOf(k).Comparable() {
				k = it.Key().Interface() // a struct key stays a struct: a map cannot be one
			}
			m[k] = generalize(it.Value(), depth+1)
		}
		return m
	}
	return rv.Interface()
}

func isIntKind(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Int64
}
