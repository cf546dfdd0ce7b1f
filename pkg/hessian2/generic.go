package hessian2

import (
	"fmt"
	"reflect"
)

// Generalize returns v in the form Dubbo's generic invocation uses for values
// (what PojoUtils.generalize makes in Java): a struct becomes a map of its Java
// field names with a "class" entry naming its Java class, a Java enum its
// constant name, slices lists and maps maps of generalized elements, a
// JavaList or JavaMap one of the same Java class (and order). Values
// Java sees as simple (numbers, strings, []byte, time.Time, Marshaler types
// such as java.BigDecimal) stay as they are. A generic caller
// ($invoke with generic=true) gets results in this form.
//
// A pointer, slice or map met twice becomes one shared result, as Java's
// generalize keeps references: a value decoded from a stream full of
// back-references stays as small as the stream, and a cycle stays a cycle.
// Nesting deeper than the encoder writes ends in nil.
func Generalize(v any) any {
	out, _ := GeneralizeLimit(v, 0)
	return out
}

// GeneralizeLimit is Generalize visiting at most maxNodes values (0: no
// limit); past the limit, or past the encoder's nesting depth, it fails
// with ErrTooLarge.
func GeneralizeLimit(v any, maxNodes int) (any, error) {
	g := generalizer{seen: make(map[refKey]any), max: maxNodes}
	out := g.generalize(reflect.ValueOf(v), 0)
	return out, g.err
}

type generalizer struct {
	seen  map[refKey]any // what each pointer, slice and map became
	nodes int
	max   int
	err   error
}

func (g *generalizer) generalize(rv reflect.Value, depth int) any {
	if !rv.IsValid() || g.err != nil {
		return nil
	}
	if depth > maxEncodeDepth {
		g.err = fmt.Errorf("%w: generalize: nesting deeper than %d", ErrTooLarge, maxEncodeDepth)
		return nil
	}
	if g.nodes++; g.max > 0 && g.nodes > g.max {
		g.err = fmt.Errorf("%w: generalize: more than %d values", ErrTooLarge, g.max)
		return nil
	}
	t := rv.Type()
	switch t {
	case javaListType:
		return g.generalizeList(rv.Interface().(*JavaList), depth)
	case javaMapType:
		return g.generalizeMap(rv.Interface().(*JavaMap), depth)
	}
	// Types that write themselves are Java's simple types (BigDecimal, ...),
	// except the IDL's own, whose methods kitexdubbo-gen wrote.
	ms := methodsOf(t)
	if ms&(mMarshal|mPtrMarshal) != 0 && ms&mGenerated == 0 || t == timeType || t == bytesType {
		return rv.Interface()
	}
	if ms&mEnum != 0 && isIntKind(t.Kind()) {
		return rv.Interface().(interface{ String() string }).String()
	}
	var key refKey
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if rv.IsNil() {
			return nil
		}
		key = refKey{rv.UnsafePointer(), t, 0}
		if rv.Kind() == reflect.Slice {
			key.n = rv.Len()
		}
		if out, ok := g.seen[key]; ok {
			return out
		}
	}
	switch rv.Kind() {
	case reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return g.generalize(rv.Elem(), depth+1)
	case reflect.Pointer:
		if rv.Elem().Kind() == reflect.Struct {
			return g.generalizeStruct(rv.Elem(), key, depth)
		}
		out := g.generalize(rv.Elem(), depth+1)
		g.seen[key] = out
		return out
	case reflect.Struct:
		return g.generalizeStruct(rv, refKey{}, depth)
	case reflect.Slice, reflect.Array:
		l := make([]any, rv.Len())
		if key.p != nil {
			g.seen[key] = l
		}
		for i := range l {
			l[i] = g.generalize(rv.Index(i), depth+1)
		}
		return l
	case reflect.Map:
		m := make(map[any]any, rv.Len())
		g.seen[key] = m
		for it := rv.MapRange(); it.Next(); {
			k := g.generalize(it.Key(), depth+1)
			if !hashable(reflect.ValueOf(k)) {
				k = it.Key().Interface() // a struct key stays a struct: a map cannot be one
			}
			m[k] = g.generalize(it.Value(), depth+1)
		}
		return m
	}
	return rv.Interface()
}

// generalizeList keeps a typed list's class, as Java's generalize makes a
// collection of the same class, and generalizes its elements.
func (g *generalizer) generalizeList(l *JavaList, depth int) any {
	if l == nil {
		return nil
	}
	key := refKey{unsafePointer(l), javaListType, 0}
	if out, ok := g.seen[key]; ok {
		return out
	}
	out := &JavaList{Type: l.Type, Values: make([]any, len(l.Values))}
	g.seen[key] = out
	for i, v := range l.Values {
		out.Values[i] = g.generalize(reflect.ValueOf(v), depth+1)
	}
	return out
}

// generalizeMap keeps a typed map's class and order.
func (g *generalizer) generalizeMap(m *JavaMap, depth int) any {
	if m == nil {
		return nil
	}
	key := refKey{unsafePointer(m), javaMapType, 0}
	if out, ok := g.seen[key]; ok {
		return out
	}
	out := &JavaMap{Type: m.Type, Entries: make([]MapEntry, len(m.Entries))}
	g.seen[key] = out
	for i, e := range m.Entries {
		out.Entries[i] = MapEntry{g.generalize(reflect.ValueOf(e.Key), depth+1), g.generalize(reflect.ValueOf(e.Value), depth+1)}
	}
	return out
}

// generalizeStruct makes the map of a struct, registered under key (when the
// struct is behind a pointer) before its fields, so a cycle ends in it.
func (g *generalizer) generalizeStruct(rv reflect.Value, key refKey, depth int) any {
	si := getStructInfo(rv.Type())
	m := make(map[string]any, len(si.fields)+1)
	if key.p != nil {
		g.seen[key] = m
	}
	if si.class != "" {
		m["class"] = si.class
	}
	for _, f := range si.fields {
		m[f.name] = g.generalize(rv.Field(f.index), depth+1)
	}
	return m
}

func isIntKind(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Int64
}
