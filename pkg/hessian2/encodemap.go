package hessian2

import (
	"cmp"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// writeMap writes a map in key order, so that the same value always makes
// the same bytes: string keys through writeMapEntries, others by reflection.
func (e *Encoder) writeMap(rv reflect.Value, typ string) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.WriteMapStart(typ)
	done, err := e.writeMapEntries(rv)
	if !done {
		err = e.writeSortedKeys(rv)
	}
	if err != nil {
		return err
	}
	e.WriteMapEnd()
	e.depth--
	return nil
}

// writeSortedKeys writes the entries of a map whose keys are not strings,
// by reflection.
func (e *Encoder) writeSortedKeys(rv reflect.Value) error {
	keys := rv.MapKeys()
	// Deterministic bytes: golden tests and caches depend on it. Keys of one
	// kind sort directly; keys of an interface type by their forms.
	switch kt := rv.Type().Key(); {
	case kt.Kind() == reflect.String:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	case kt.Kind() >= reflect.Int && kt.Kind() <= reflect.Int64:
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.Int(), b.Int()) })
	default:
		sortKeys(keys)
	}
	for _, k := range keys {
		if err := e.encodeValue(k); err != nil {
			return wrapField(err, "["+keyString(k)+"]", "")
		}
		if err := e.encodeValue(rv.MapIndex(k)); err != nil {
			return wrapField(err, "["+keyString(k)+"]", "")
		}
	}
	return nil
}

// sortKeys orders map keys, whatever their type: an untyped map
// (map[any]any, what generic calls carry) holds keys of several kinds. Each
// key's sort form is worked out once, so the sort costs O(n log n)
// comparisons of ready values, never a formatting per comparison.
func sortKeys(keys []reflect.Value) {
	if len(keys) < 2 {
		return
	}
	forms := make([]keyForm, len(keys))
	for i, k := range keys {
		forms[i] = newKeyForm(k)
	}
	slices.SortStableFunc(forms, compareKeyForms)
	for i := range forms {
		keys[i] = forms[i].v
	}
}

// keyForm is a key with what it sorts by: its rank, then the one field of
// its rank's kind.
type keyForm struct {
	v    reflect.Value
	rank int
	s    string // rank 1, and rank 7 (the key printed with its type)
	i    int64  // rank 2, and rank 6 (a time's seconds)
	u    uint64 // rank 3, and rank 6 (a time's nanoseconds)
	f    float64
	b    bool
}

func newKeyForm(k reflect.Value) keyForm {
	v := k
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	f := keyForm{v: k, rank: keyRank(v)}
	if f.rank == 7 && v.Type() == timeType && v.CanInterface() {
		t := v.Interface().(time.Time)
		f.rank, f.i, f.u = 6, t.Unix(), uint64(t.Nanosecond())
	}
	switch f.rank {
	case 1:
		f.s = v.String()
	case 2:
		f.i = v.Int()
	case 3:
		f.u = v.Uint()
	case 4:
		f.f = v.Float()
	case 5:
		f.b = v.Bool()
	case 7:
		f.s = string(appendSortForm(nil, v))
	}
	return f
}

// maxSortForm bounds the printed form a key of another kind sorts by. Every
// value printed adds at least one byte, so the bound also bounds the work: a
// key can hold a large or widely shared value (fmt's %v would print each
// sharing anew, exponentially often).
const maxSortForm = 128

// appendSortForm prints v, its type first, the way %v would, up to maxSortForm bytes.
func appendSortForm(b []byte, v reflect.Value) []byte {
	if len(b) >= maxSortForm {
		return b
	}
	if !v.IsValid() {
		return append(b, "nil"...)
	}
	b = append(b, v.Type().String()...)
	b = append(b, '(')
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			b = appendSortForm(b, v.Elem())
		}
	case reflect.Struct:
		if v.Type() == timeType && v.CanInterface() {
			b = v.Interface().(time.Time).AppendFormat(b, time.RFC3339Nano)
			break
		}
		for i := 0; i < v.NumField() && len(b) < maxSortForm; i++ {
			if v.Type().Field(i).IsExported() {
				b = appendSortForm(append(b, ' '), v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len() && len(b) < maxSortForm; i++ {
			b = appendSortForm(append(b, ' '), v.Index(i))
		}
	case reflect.Map:
		b = strconv.AppendInt(b, int64(v.Len()), 10)
	case reflect.String:
		b = append(b, v.String()[:min(v.Len(), maxSortForm)]...)
	case reflect.Bool:
		b = strconv.AppendBool(b, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b = strconv.AppendInt(b, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b = strconv.AppendUint(b, v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		b = strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
	}
	return append(b, ')')
}

func compareKeyForms(a, b keyForm) int {
	if c := cmp.Compare(a.rank, b.rank); c != 0 {
		return c
	}
	switch a.rank {
	case 1, 7:
		return cmp.Compare(a.s, b.s)
	case 2:
		return cmp.Compare(a.i, b.i)
	case 6:
		return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.u, b.u))
	case 3:
		return cmp.Compare(a.u, b.u)
	case 4:
		return cmp.Compare(a.f, b.f)
	case 5: // false before true
		if a.b == b.b {
			return 0
		} else if b.b {
			return -1
		}
		return 1
	}
	return 0
}

// keyRank groups key kinds: null first, then strings, signed and unsigned
// integers, floats, booleans, times (newKeyForm tells them from the rest), and
// the rest by their printed form.
func keyRank(v reflect.Value) int {
	switch v.Kind() {
	case reflect.Invalid, reflect.Interface:
		return 0
	case reflect.String:
		return 1
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return 2
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return 3
	case reflect.Float32, reflect.Float64:
		return 4
	case reflect.Bool:
		return 5
	}
	return 7
}

// writeMapEntries writes the entries of a string-keyed map, the kind an IDL
// gives, in key order without the two reflect.Values per entry (each a heap
// copy of the key or value) that MapKeys and MapIndex cost. It reports false
// for other maps, which writeMap sorts by reflection.
func (e *Encoder) writeMapEntries(rv reflect.Value) (bool, error) {
	if rv.Type().Key() != stringType {
		return false, nil
	}
	if rv.CanInterface() && e.writeScalarMap(rv.Interface()) {
		return true, nil
	}
	// Any other value type: the values are copied once into one slice, by
	// iteration, and written in the order of their sorted keys.
	n := rv.Len()
	if n == 0 {
		return true, nil
	}
	vals := reflect.MakeSlice(reflect.SliceOf(rv.Type().Elem()), n, n)
	key := reflect.New(stringType).Elem()
	base := len(e.entries)
	var it reflect.MapIter
	it.Reset(rv)
	for i := 0; it.Next() && i < n; i++ {
		key.SetIterKey(&it)
		vals.Index(i).SetIterValue(&it)
		e.entries = append(e.entries, mapEntry{key.String(), i})
	}
	// Values may hold maps of their own, whose entries go after these:
	// entries is a stack, and this map's part of it stays as it is.
	entries := e.entries[base:]
	slices.SortFunc(entries, func(a, b mapEntry) int { return strings.Compare(a.key, b.key) })
	ms := e.methods.get(rv.Type().Elem())
	var err error
	for _, en := range entries {
		e.WriteString(en.key)
		if err = e.encodeTyped(vals.Index(en.at), ms); err != nil {
			err = wrapField(err, "["+en.key+"]", "")
			break
		}
	}
	clear(e.entries[base:])
	e.entries = e.entries[:base]
	return true, err
}

var stringType = reflect.TypeFor[string]()

// writeScalarMap writes the entries of the map kinds an IDL gives most
// (map<string, T> of a scalar T) with Go's own map operations, as
// readScalarMap reads them; it reports false for any other map.
func (e *Encoder) writeScalarMap(m any) bool {
	switch m := m.(type) {
	case map[string]string:
		writeStringMap(e, m, (*Encoder).WriteString)
	case map[string]int32:
		writeStringMap(e, m, (*Encoder).WriteInt32)
	case map[string]int64:
		writeStringMap(e, m, (*Encoder).WriteInt64)
	case map[string]bool:
		writeStringMap(e, m, (*Encoder).WriteBool)
	case map[string]float64:
		writeStringMap(e, m, (*Encoder).WriteFloat64)
	default:
		return false
	}
	return true
}

// mapEntry is a key of a map being written and where its value went.
type mapEntry struct {
	key string
	at  int
}

func writeStringMap[V any](e *Encoder, m map[string]V, write func(*Encoder, V)) {
	if len(m) <= 8 {
		var buf [8]Entry[V]
		for _, en := range StringEntries(m, buf[:0]) {
			e.WriteString(en.Key)
			write(e, en.Value)
		}
		return
	}
	ks := StringKeys(e, m)
	for _, k := range ks {
		e.WriteString(k)
		write(e, m[k])
	}
	ReleaseKeys(e, len(ks))
}
