package generator

import "go/ast"

// readStruct emits UnmarshalHessian2 for a struct with a Java class: an object
// read field by field, its class definition's fields matched to ours once per
// stream; other forms (a reference, a map of field names) go to the
// reflective reader.
func (c *codecPkg) readStruct(s *goStruct) {
	c.printf("// UnmarshalHessian2 reads p from an object of %s (any field order, unknown fields skipped).\n", s.class)
	c.printf("func (p *%s) UnmarshalHessian2(d *hessian2.Decoder) error {\n", s.name)
	c.printf("\tif !d.IsObject() {\n\t\treturn d.DecodeReflect(p)\n\t}\n")
	c.printf("\tfields, wire, err := d.ReadObjectFields(p, %s)\n\tif err != nil {\n\t\treturn err\n\t}\n", fieldsVar(s.name))
	c.printf("\tfor k, i := range fields {\n")
	c.printf("\t\tif err := p.readHessian2Field(d, i); err != nil {\n\t\t\treturn hessian2.WrapField(err, wire[k], %q)\n\t\t}\n\t}\n", s.class)
	c.printf("\td.Leave()\n\treturn nil\n}\n\n")
	c.printf("func (p *%s) readHessian2Field(d *hessian2.Decoder, i int) error {\n\tvar err error\n\tswitch i {\n", s.name)
	for i, f := range s.fields {
		c.printf("\tcase %d: // %s\n", i, f.java)
		c.decode("p."+f.goName, f.typ, true)
	}
	c.printf("\tdefault:\n\t\treturn d.Skip()\n\t}\n\treturn err\n}\n\n")
}

// reads maps the scalar kinds to the Decoder's typed reads.
var reads = map[kind]string{kBool: "DecodeBool", kLong: "DecodeInt64", kDouble: "DecodeFloat64",
	kString: "DecodeString", kBytes: "DecodeBytes", kTime: "DecodeTime"}

// decode emits the reading of one value into the variable or field x of type
// t, leaving any error in err (and returning it at once where a loop would
// go on). stable says &x stays valid, so a list read there can be referred to
// without boxing it.
func (c *codecPkg) decode(x string, t ast.Expr, stable bool) {
	k := c.kindOf(t)
	switch k {
	case kBool, kLong, kDouble, kString, kBytes, kTime:
		if isBasic(t) {
			c.printf("\t%s, err = d.%s()\n", x, reads[k])
		} else { // a named type of that kind
			v, e := c.v("v"), c.v("err")
			c.printf("\tif %s, %s := d.%s(); %s != nil {\n\t\terr = %s\n\t} else {\n\t\t%s = %s(%s)\n\t}\n", v, e, reads[k], e, e, x, c.typeString(t), v)
		}
	case kInt:
		read := map[string]string{"int8": "DecodeInt8", "int16": "DecodeInt16", "int32": "DecodeInt32"}[identName(t)]
		if read == "" {
			c.printf("\terr = d.Decode(&%s)\n", x)
		} else {
			c.printf("\t%s, err = d.%s()\n", x, read)
		}
	case kAny:
		c.printf("\t%s, err = d.DecodeObject()\n", x)
	case kStruct:
		n := c.localStruct(t)
		if _, ok := c.classes[n]; !ok { // written as a map: the reflective reader
			c.printf("\terr = d.Decode(&%s)\n", x)
			return
		}
		c.uses["unsafe"] = true
		c.printf("\tif !d.IsObject() {\n\t\terr = d.Decode(&%s)\n\t} else if err = d.Charge(%s); err == nil {\n", x, c.sizeOf(&ast.Ident{Name: n}))
		c.printf("\t\t%s = new(%s)\n\t\terr = %s.UnmarshalHessian2(d)\n\t}\n", x, n, x)
	case kList:
		c.decodeList(x, t.(*ast.ArrayType), stable)
	case kMap:
		c.decodeMap(x, t.(*ast.MapType))
	default: // enums, optional scalars, other packages' types: the reflective reader
		c.printf("\terr = d.Decode(&%s)\n", x)
	}
}

func isBasic(t ast.Expr) bool {
	switch identName(t) {
	case "bool", "int64", "float64", "string":
		return true
	}
	if a, ok := t.(*ast.ArrayType); ok && a.Len == nil && (isIdent(a.Elt, "byte") || isIdent(a.Elt, "uint8")) {
		return true
	}
	if s, ok := t.(*ast.SelectorExpr); ok {
		return identName(s.X) == "time" && s.Sel.Name == "Time"
	}
	return false
}

// decodeList reads a list element by element, growing the slice as they
// come (a header's count is no promise) and charging the budget.
func (c *codecPkg) decodeList(x string, t *ast.ArrayType, stable bool) {
	c.uses["unsafe"] = true
	n, ref, s, i, more := c.v("n"), c.v("ref"), c.v("s"), c.v("i"), c.v("more")
	size := c.sizeOf(t.Elt)
	c.printf("\tif !d.IsList() {\n\t\terr = d.Decode(&%s)\n\t} else {\n", x)
	c.printf("\t%s, %s, err := d.ReadSliceStart()\n\tif err != nil {\n\t\treturn err\n\t}\n", n, ref)
	c.printf("\t%s := make(%s, 0, hessian2.PreallocLen(%s, %s))\n", s, c.typeString(t), n, size)
	c.printf("\tif err := d.Charge(cap(%s) * %s); err != nil {\n\t\treturn err\n\t}\n", s, size)
	// A list of objects takes them from chunks it shares (hessian2.NewIn).
	chunk := ""
	if _, ptr := t.Elt.(*ast.StarExpr); ptr && c.kindOf(t.Elt) == kStruct {
		if st := c.localStruct(t.Elt); c.classes[st] != "" {
			chunk = c.v("chunk")
			c.printf("\tvar %s []%s\n", chunk, st)
		}
	}
	c.printf("\tfor %s := 0; ; %s++ {\n", i, i)
	c.printf("\t%s, err := d.ReadListNext(%s, %s)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif !%s {\n\t\tbreak\n\t}\n", more, n, i, more)
	c.printf("\tif err := hessian2.ChargeAppend(d, %s, %s); err != nil {\n\t\treturn err\n\t}\n", s, size)
	c.printf("\t%s = append(%s, *new(%s))\n", s, s, c.typeString(t.Elt))
	if chunk != "" {
		x := s + "[" + i + "]"
		c.printf("\tif !d.IsObject() {\n\t\terr = d.Decode(&%s)\n\t} else if %s, err = hessian2.NewIn(d, &%s, %s, %s); err == nil {\n", x, x, chunk, n, i)
		c.printf("\t\terr = %s.UnmarshalHessian2(d)\n\t}\n", x)
	} else {
		c.decode(s+"["+i+"]", t.Elt, true)
	}
	c.printf("\tif err != nil {\n\t\treturn hessian2.WrapIndex(err, %s)\n\t}\n\t}\n", i)
	c.printf("\t%s = %s\n", x, s)
	if stable {
		c.printf("\thessian2.SetSliceRef(d, %s, &%s)\n", ref, x)
	} else {
		c.printf("\td.SetRef(%s, %s)\n", ref, s)
	}
	c.printf("\t}\n")
}

// decodeMap reads a map entry by entry; forms other than 'H' and 'M' (an
// object read as a map, a reference) go to the reflective reader.
func (c *codecPkg) decodeMap(x string, t *ast.MapType) {
	c.uses["unsafe"] = true
	m, end, key, val := c.v("m"), c.v("end"), c.v("k"), c.v("v")
	c.printf("\tif !d.IsMap() {\n\t\terr = d.Decode(&%s)\n\t} else {\n", x)
	c.printf("\tif err := d.ReadMapStart(); err != nil {\n\t\treturn err\n\t}\n")
	c.printf("\t%s := make(%s, d.MapHint())\n\td.AddRef(%s)\n", m, c.typeString(t), m)
	c.printf("\tfor {\n\t%s, err := d.MapEnd(%s + %s)\n\tif err != nil {\n\t\treturn err\n\t}\n\tif %s {\n\t\tbreak\n\t}\n",
		end, c.sizeOf(t.Key), c.sizeOf(t.Value), end)
	c.printf("\tvar %s %s\n", key, c.typeString(t.Key))
	c.decode(key, t.Key, false)
	c.printf("\tif err != nil {\n\t\treturn hessian2.WrapField(err, \"[key]\", \"\")\n\t}\n")
	c.printf("\tvar %s %s\n", val, c.typeString(t.Value))
	c.decode(val, t.Value, false)
	c.printf("\tif err != nil {\n\t\treturn hessian2.WrapField(err, \"[\"+hessian2.KeyString(%s)+\"]\", \"\")\n\t}\n", key)
	c.printf("\t%s[%s] = %s\n\t}\n\t%s = %s\n\t}\n", m, key, val, x, m)
}
