package hessian2

import (
	"reflect"
	"slices"
	"strings"
)

// writeMapEntries writes the entries of a string-keyed map, the kind an IDL
// gives, in key order without the two reflect.Values per entry (each a heap
// copy of the key or value) that MapKeys and MapIndex cost. It reports false
// for other maps, which writeMap sorts by reflection.
func (e *Encoder) writeMapEntries(rv reflect.Value) (bool, error) {
	if rv.Type().Key() != stringType {
		return false, nil
	}
	if rv.CanInterface() {
		switch m := rv.Interface().(type) {
		case map[string]string:
			writeStringMap(e, m, (*Encoder).WriteString)
			return true, nil
		case map[string]int32:
			writeStringMap(e, m, (*Encoder).WriteInt32)
			return true, nil
		case map[string]int64:
			writeStringMap(e, m, (*Encoder).WriteInt64)
			return true, nil
		case map[string]bool:
			writeStringMap(e, m, (*Encoder).WriteBool)
			return true, nil
		case map[string]float64:
			writeStringMap(e, m, (*Encoder).WriteFloat64)
			return true, nil
		}
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
