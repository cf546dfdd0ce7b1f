package hessian2

import "reflect"

// Caucho Hessian 4 writes a Short, Byte or Float whose declared type it does
// not know (an Object field, a top-level argument) as a "handle" object with
// one field, _value, which its reader resolves back into the number;
// hessian-lite keeps the same classes under its own package name.
var numberHandles = map[string]reflect.Kind{
	"com.caucho.hessian.io.ShortHandle":             reflect.Int16,
	"com.caucho.hessian.io.ByteHandle":              reflect.Int8,
	"com.caucho.hessian.io.FloatHandle":             reflect.Float32,
	"com.alibaba.com.caucho.hessian.io.ShortHandle": reflect.Int16,
	"com.alibaba.com.caucho.hessian.io.ByteHandle":  reflect.Int8,
	"com.alibaba.com.caucho.hessian.io.FloatHandle": reflect.Float32,
}

const numberHandleField = "_value"

func numberHandleKind(class string) reflect.Kind { return numberHandles[class] }

// readNumberHandle reads a handle object into v, a Go number of any width:
// the value goes through decodeInto, which checks that it fits.
func (d *Decoder) readNumberHandle(v reflect.Value) error {
	start := d.pos
	def, err := d.readObjectHeader()
	if err != nil {
		return err
	}
	if numberHandleKind(def.name) == reflect.Invalid {
		d.pos = start
		return d.fail(ErrType, "object of class %s into %s", def.name, v.Type())
	}
	return d.readHandleFields(v, def)
}

// readNumberHandleValue reads a handle whose header was read as its natural
// Go number: int16, int8 or float32.
func (d *Decoder) readNumberHandleValue(def *classDef, k reflect.Kind) (any, error) {
	var v reflect.Value
	switch k {
	case reflect.Int16:
		v = reflect.New(reflect.TypeFor[int16]()).Elem()
	case reflect.Int8:
		v = reflect.New(reflect.TypeFor[int8]()).Elem()
	default:
		v = reflect.New(reflect.TypeFor[float32]()).Elem()
	}
	if err := d.readHandleFields(v, def); err != nil {
		return nil, err
	}
	return v.Interface(), nil
}

func (d *Decoder) readHandleFields(v reflect.Value, def *classDef) error {
	if err := d.enter(); err != nil {
		return err
	}
	if err := d.charge(costRef + costBox); err != nil {
		return err
	}
	idx := d.addRef(nil)
	for _, f := range def.fields {
		var err error
		if f == numberHandleField {
			err = d.decodeInto(v)
		} else {
			err = d.Skip()
		}
		if err != nil {
			return wrapField(err, f, def.name)
		}
	}
	d.refs.set(idx, v.Interface())
	d.depth--
	return nil
}
