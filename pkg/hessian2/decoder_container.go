package hessian2

// Container headers and the per-stream tables behind them: list headers and
// their type names, object headers and the class definitions they point to,
// back-references, and the nesting limit every container counts against.

import "reflect"

func isListTag(tag byte) bool {
	return (tag >= tagListTypedVar && tag <= tagList) || (tag >= tagListTypedDirect && tag <= 0x7f)
}

func (d *Decoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return d.fail(ErrTooLarge, "nesting deeper than %d", d.maxDepth)
	}
	return nil
}

// readListHeader consumes a list header: its Java type ("" if untyped) and its
// length, or -1 for a list that ends with 'Z'. A length is never larger than the
// bytes left, since each element takes at least one.
func (d *Decoder) readListHeader() (typ string, n int, err error) {
	tag := d.b[d.pos]
	d.pos++
	switch {
	case tag == tagListTypedVar:
		typ, err = d.readType()
		return typ, -1, err
	case tag == tagListVar:
		return "", -1, nil
	case tag == tagListTyped:
		if typ, err = d.readType(); err != nil {
			return "", 0, err
		}
		n, err = d.readLength("list")
	case tag == tagList:
		n, err = d.readLength("list")
	case tag >= tagListTypedDirect && tag < tagListDirect:
		n = int(tag - tagListTypedDirect)
		typ, err = d.readType()
	default:
		n = int(tag - tagListDirect)
	}
	if err == nil && n > len(d.b)-d.pos {
		err = d.pastEnd("list of %d elements", n)
	}
	return typ, n, err
}

func (d *Decoder) readLength(what string) (int, error) {
	v, err := d.ReadInt32()
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, d.fail(ErrSyntax, "negative %s length %d", what, v)
	}
	return int(v), nil
}

// readType reads a list or map type: a string the first time, then its index.
func (d *Decoder) readType() (string, error) {
	tag, err := d.peek()
	if err != nil {
		return "", err
	}
	if isStringTag(tag) {
		s, err := d.readString()
		if err != nil {
			return "", err
		}
		if err := d.charge(costSlot); err != nil {
			return "", err
		}
		d.types = append(d.types, s)
		return s, nil
	}
	i, err := d.ReadInt32()
	if err != nil {
		return "", err
	}
	if i < 0 || int(i) >= len(d.types) {
		return "", d.fail(ErrSyntax, "type reference %d with %d types defined", i, len(d.types))
	}
	return d.types[i], nil
}

// readObjectHeader consumes class definitions and the object tag that follows,
// returning the object's class definition.
func (d *Decoder) readObjectHeader() (*classDef, error) {
	for {
		tag, err := d.peek()
		if err != nil {
			return nil, err
		}
		switch {
		case tag == tagClassDef:
			d.pos++
			if err := d.readClassDef(); err != nil {
				return nil, err
			}
			continue
		case tag == tagObject:
			d.objectTag = d.pos
			d.pos++
			i, err := d.ReadInt32()
			if err != nil {
				return nil, err
			}
			return d.classAt(int(i))
		case tag >= tagObjectDirect && tag <= tagObjectDirect+objectDirectMax:
			d.objectTag = d.pos
			d.pos++
			return d.classAt(int(tag - tagObjectDirect))
		}
		return nil, d.mismatch(tag, "object")
	}
}

// ReadObjectStart reads an object's header (and the class definitions before
// it), gives the object the next reference number, bound to self (the pointer the
// caller fills), and returns the class and the field names whose values follow.
func (d *Decoder) ReadObjectStart(self any) (class string, fields []string, err error) {
	def, err := d.readObjectHeader()
	if err != nil {
		return "", nil, err
	}
	if err := d.charge(costRef); err != nil {
		return "", nil, err
	}
	d.addRef(self)
	return def.name, def.fields, nil
}

func (d *Decoder) classAt(i int) (*classDef, error) {
	if i < 0 || i >= len(d.classes) {
		return nil, d.fail(ErrSyntax, "object of class definition %d with %d defined", i, len(d.classes))
	}
	return d.classes[i], nil
}

func (d *Decoder) readClassDef() error {
	def, end := d.recentClassDef()
	if def == nil {
		if def, end = cachedClassDef(d.b, d.pos); def != nil && def.raw != "" {
			d.remember(def)
		}
	}
	if def != nil {
		if err := d.charge(costClass + len(def.fields)*costSlot); err != nil {
			return err
		}
		d.pos = end
		d.classes = append(d.classes, def)
		return nil
	}
	start := d.pos
	name, err := d.ReadString()
	if err != nil {
		return err
	}
	n, err := d.readLength("class field count")
	if err != nil {
		return err
	}
	if n > len(d.b)-d.pos {
		return d.pastEnd("class "+name+" with %d fields", n)
	}
	if err := d.charge(costClass + n*costSlot); err != nil {
		return err
	}
	def = &classDef{name: name, fields: make([]string, n)}
	for i := range def.fields {
		if def.fields[i], err = d.ReadString(); err != nil {
			return err
		}
	}
	d.classes = append(d.classes, def)
	cacheClassDef(d.b[start:d.pos], def)
	return nil
}

// ref resolves a back-reference.
func (d *Decoder) ref() (any, int, error) {
	d.pos++
	i, err := d.ReadInt32()
	if err != nil {
		return nil, 0, err
	}
	if i < 0 || int(i) >= d.refs.len() {
		return nil, 0, d.fail(ErrSyntax, "reference %d with %d values seen", i, d.refs.len())
	}
	v := d.refs.get(int(i))
	if r, ok := v.(refValuer); ok { // a list generated code read
		return r.refValue(), int(i), nil
	}
	if d.refs.isAddr(int(i)) { // a list the reflective path read
		return reflect.ValueOf(v).Elem().Interface(), int(i), nil
	}
	return v, int(i), nil
}

func (d *Decoder) addRef(v any) int { return d.refs.add(v) }

// ReadListStart reads a list header, for code that reads the elements itself
// (generated code, generic calls): the list's Java type ("" if untyped) and its
// length, or -1 for a list that ends with 'Z'. The list takes the next
// reference number and a nesting level; read each element while ReadListNext
// says there is one.
func (d *Decoder) ReadListStart() (typ string, n int, err error) {
	tag, err := d.peek()
	if err != nil {
		return "", 0, err
	}
	if !isListTag(tag) {
		return "", 0, d.mismatch(tag, "list")
	}
	if err := d.enter(); err != nil {
		return "", 0, err
	}
	if typ, n, err = d.readListHeader(); err != nil {
		return "", 0, err
	}
	if err := d.charge(costRef); err != nil {
		return "", 0, err
	}
	d.addRef(nil)
	return typ, n, nil
}

// ReadListNext reports whether element i of a list of length n (from
// ReadListStart) follows; for a list ending with 'Z' it consumes the end.
// After the last element it leaves the list's nesting level.
func (d *Decoder) ReadListNext(n, i int) (bool, error) {
	more, err := d.listMore(n, i)
	if err == nil && !more {
		d.depth--
	}
	return more, err
}

// listMore reports whether element i of a list of length n follows; a list
// of length -1 goes on until its 'Z', which it consumes.
func (d *Decoder) listMore(n, i int) (bool, error) {
	if n >= 0 {
		return i < n, nil
	}
	end, err := d.atEnd("a list")
	return !end, err
}

// atEnd reports whether the list or map being read (what) ends here,
// consuming its 'Z'.
func (d *Decoder) atEnd(what string) (bool, error) {
	if d.pos >= len(d.b) {
		return false, d.short(what)
	}
	if d.b[d.pos] == tagEnd {
		d.pos++
		return true, nil
	}
	return false, nil
}
