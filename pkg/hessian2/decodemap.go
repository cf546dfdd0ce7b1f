package hessian2

import (
	"reflect"
	"unsafe"
)

// readScalarMap reads the map kinds an IDL gives most (map<string, T> of a
// scalar T) the way generated code does, with Go's own map operations: by
// reflection each entry costs a settable key and value, SetMapIndex and two
// plans looked up. It reports false for any other map type, which
// readMapInto reads by reflection; the caller has checked the 'H' or 'M'.
func (d *Decoder) readScalarMap(v reflect.Value) (bool, error) {
	var m any
	var err error
	switch v.Type() {
	case mapStringString:
		m, err = readStringMap(d, (*Decoder).DecodeString)
	case mapStringInt32:
		m, err = readStringMap(d, (*Decoder).DecodeInt32)
	case mapStringInt64:
		m, err = readStringMap(d, (*Decoder).DecodeInt64)
	case mapStringBool:
		m, err = readStringMap(d, (*Decoder).DecodeBool)
	case mapStringFloat64:
		m, err = readStringMap(d, (*Decoder).DecodeFloat64)
	default:
		return false, nil
	}
	if err == nil {
		v.Set(reflect.ValueOf(m))
	}
	return true, err
}

var (
	mapStringString  = reflect.TypeFor[map[string]string]()
	mapStringInt32   = reflect.TypeFor[map[string]int32]()
	mapStringInt64   = reflect.TypeFor[map[string]int64]()
	mapStringBool    = reflect.TypeFor[map[string]bool]()
	mapStringFloat64 = reflect.TypeFor[map[string]float64]()
)

func readStringMap[V any](d *Decoder, read func(*Decoder) (V, error)) (map[string]V, error) {
	if err := d.ReadMapStart(); err != nil {
		return nil, err
	}
	m := make(map[string]V)
	d.addRef(m)
	for {
		end, err := d.MapEnd(int(unsafe.Sizeof("")) + int(unsafe.Sizeof(*new(V))))
		if err != nil {
			return nil, err
		}
		if end {
			return m, nil
		}
		k, err := d.DecodeString()
		if err != nil {
			return nil, wrapField(err, "[key]", "")
		}
		e, err := read(d)
		if err != nil {
			return nil, wrapField(err, "["+KeyString(k)+"]", "")
		}
		m[k] = e
	}
}
