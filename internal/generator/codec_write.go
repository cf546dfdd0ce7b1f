package generator

import (
	"go/ast"
	"strconv"
	"strings"
)

// fieldsVar names the package variable holding a type's Java field names:
// the Encoder keys class definitions by it, the Decoder maps fields to it.
func fieldsVar(goType string) string { return "hessian2Fields" + goType }

// writeEnum emits MarshalHessian2 for a Java enum: an object of its class
// with the constant's name, as Hessian writes enums.
func (c *codecPkg) writeEnum(e class) {
	c.printf("var %s = []string{\"name\"}\n\n", fieldsVar(e.goType))
	c.printf("// MarshalHessian2 writes p as the Java enum constant %s.\n", e.java)
	c.printf("func (p %s) MarshalHessian2(e *hessian2.Encoder) error {\n", e.goType)
	c.printf("\te.WriteObjectStart(%q, %s)\n\te.WriteString(p.String())\n\treturn nil\n}\n\n", e.java, fieldsVar(e.goType))
	c.printf("// Hessian2Generated marks %s's methods as kitexdubbo-gen's.\n", e.goType)
	c.printf("func (p %s) Hessian2Generated() {}\n\n", e.goType)
}

// writeStruct emits MarshalHessian2: an object of the Java class with the
// fields in order (plus Throwable's detailMessage for an exception), or, for
// a struct without a class, a map of field name to value.
func (c *codecPkg) writeStruct(s *goStruct) {
	names := make([]string, 0, len(s.fields)+1)
	for _, f := range s.fields {
		names = append(names, strconv.Quote(f.java))
	}
	if s.exception {
		names = append(names, strconv.Quote("detailMessage"))
	}
	c.printf("var %s = []string{", fieldsVar(s.name))
	for i, n := range names {
		if i > 0 {
			c.printf(", ")
		}
		c.printf("%s", n)
	}
	c.printf("}\n\n")
	if c.recursive[s.name] {
		c.uses["reflect"] = true
		c.printf("var hessian2Type%s = reflect.TypeFor[*%s]()\n\n", s.name, s.name)
	}
	what := "an object of the Java class " + s.class
	if s.class == "" {
		what = "a map of its field names to their values (it has no Java class)"
	}
	c.printf("// MarshalHessian2 writes p as %s.\n", what)
	c.printf("func (p *%s) MarshalHessian2(e *hessian2.Encoder) error {\n", s.name)
	c.printf("\tif p == nil {\n\t\te.WriteNull()\n\t\treturn nil\n\t}\n")
	if c.recursive[s.name] {
		c.uses["unsafe"] = true
		c.printf("\tif e.WriteBackRef(unsafe.Pointer(p), hessian2Type%s) {\n\t\treturn nil\n\t}\n", s.name)
	}
	c.printf("\tif err := e.Enter(); err != nil {\n\t\treturn err\n\t}\n")
	if s.class != "" {
		c.printf("\te.WriteObjectStart(%q, %s)\n", s.class, fieldsVar(s.name))
	} else {
		c.printf("\te.WriteMapStart(\"\")\n")
	}
	for _, f := range s.fields {
		if s.class == "" {
			c.printf("\te.WriteString(%q)\n", f.java)
		}
		fail := "return hessian2.WrapField(err, " + strconv.Quote(f.java) + ", " + strconv.Quote(s.class) + ")"
		if f.javaType != "" { // a declared Java type the Go type does not say: as the reflective path writes it
			c.printf("\tif err := e.EncodeAs(p.%s, %q); err != nil {\n\t\t%s\n\t}\n", f.goName, f.javaType, fail)
			continue
		}
		c.encode("p."+f.goName, f.typ, fail)
	}
	if s.exception {
		switch {
		case s.message == nil:
			c.printf("\te.WriteString(%q)\n", s.class)
		case isStar(s.message.typ, "string"):
			c.printf("\tif p.%s == nil {\n\t\te.WriteString(%q)\n\t} else {\n\t\te.WriteString(*p.%s)\n\t}\n", s.message.goName, s.class, s.message.goName)
		default:
			c.printf("\te.WriteString(p.%s)\n", s.message.goName)
		}
	}
	if s.class == "" {
		c.printf("\te.WriteMapEnd()\n")
	}
	c.printf("\te.Leave()\n\treturn nil\n}\n\n")
	c.printf("// Hessian2Generated marks %s's methods as kitexdubbo-gen's.\n", s.name)
	c.printf("func (p *%s) Hessian2Generated() {}\n\n", s.name)
}

// encode emits the writing of expression x of type t; fail is the statement
// that returns an error err.
func (c *codecPkg) encode(x string, t ast.Expr, fail string) {
	switch c.kindOf(t) {
	case kBool:
		c.printf("\te.WriteBool(%s)\n", x)
	case kInt:
		c.printf("\te.WriteInt32(int32(%s))\n", x)
	case kLong:
		c.printf("\te.WriteInt64(int64(%s))\n", x)
	case kDouble:
		c.printf("\te.WriteFloat64(float64(%s))\n", x)
	case kString:
		c.printf("\te.WriteString(string(%s))\n", x)
	case kBytes:
		c.printf("\te.WriteBytes(%s)\n", x)
	case kTime:
		c.printf("\te.WriteTime(%s)\n", x)
	case kEnum:
		if _, ok := c.classes[identName(t)]; ok {
			c.printf("\tif err := %s.MarshalHessian2(e); err != nil {\n\t\t%s\n\t}\n", x, fail)
		} else {
			c.printf("\te.WriteInt64(int64(%s))\n", x)
		}
	case kStruct:
		c.printf("\tif err := %s.MarshalHessian2(e); err != nil {\n\t\t%s\n\t}\n", x, fail)
	case kPtr:
		c.printf("\tif %s == nil {\n\t\te.WriteNull()\n\t} else {\n", x)
		c.encode("(*"+x+")", t.(*ast.StarExpr).X, fail)
		c.printf("\t}\n")
	case kList:
		elt := t.(*ast.ArrayType).Elt
		v, i := c.v("v"), "_"
		if c.canFail(elt) {
			i = c.v("i")
		}
		c.printf("\tif %s == nil {\n\t\te.WriteNull()\n\t} else {\n", x)
		c.printf("\te.WriteListStart(\"\", len(%s))\n", x)
		c.printf("\tfor %s, %s := range %s {\n", i, v, x)
		c.encode(v, elt, "return hessian2.WrapIndex(err, "+i+")")
		c.printf("\t}\n\t}\n")
	case kMap:
		c.encodeMap(x, t.(*ast.MapType), fail)
	default: // kAny, kOpaque: the dynamic path (Marshaler, or reflection)
		c.printf("\tif err := e.Encode(%s); err != nil {\n\t\t%s\n\t}\n", x, fail)
	}
}

// mapKeys is the expression for map x's keys in order, "" when the key type
// is one the generated code leaves to the reflective path.
func (c *codecPkg) mapKeys(t *ast.MapType, x string) string {
	switch c.kindOf(t.Key) {
	case kString:
		if isIdent(t.Key, "string") {
			return "hessian2.StringKeys(e, " + x + ")"
		}
	case kInt, kLong, kDouble:
		if id, ok := t.Key.(*ast.Ident); ok && c.specs[id.Name] == nil {
			return "hessian2.SortedKeys(" + x + ")"
		}
	}
	return ""
}

// encodeMap writes a map with its keys in order, as the reflective path does.
func (c *codecPkg) encodeMap(x string, t *ast.MapType, fail string) {
	keys := c.mapKeys(t, x)
	scratch := strings.HasPrefix(keys, "hessian2.StringKeys")
	if keys == "" { // keys of other kinds, ordered as the reflective path orders them
		c.printf("\tif err := e.Encode(%s); err != nil {\n\t\t%s\n\t}\n", x, fail)
		return
	}
	ks, k := c.v("ks"), c.v("k")
	c.printf("\tif %s == nil {\n\t\te.WriteNull()\n\t} else {\n", x)
	c.printf("\te.WriteMapStart(\"\")\n")
	if scratch {
		// A map of a few entries (the usual) is sorted in an array on the
		// stack, entries and all: no lookups to write the values.
		buf, en := c.v("buf"), c.v("en")
		c.printf("\tif len(%s) <= %d {\n\tvar %s [%d]hessian2.Entry[%s]\n", x, stackEntries, buf, stackEntries, c.typeString(t.Value))
		c.printf("\tfor _, %s := range hessian2.StringEntries(%s, %s[:0]) {\n", en, x, buf)
		c.encode(en+".Key", t.Key, fail)
		c.encode(en+".Value", t.Value, fail)
		c.printf("\t}\n\t} else {\n")
	}
	c.printf("\t%s := %s\n", ks, keys)
	c.printf("\tfor _, %s := range %s {\n", k, ks)
	c.encode(k, t.Key, fail)
	c.encode(x+"["+k+"]", t.Value, fail)
	c.printf("\t}\n")
	if scratch {
		c.printf("\thessian2.ReleaseKeys(e, len(%s))\n\t}\n", ks)
	}
	c.printf("\te.WriteMapEnd()\n\t}\n")
}

// stackEntries is the most entries a generated map writer sorts on its stack.
const stackEntries = 8

// canFail reports whether writing a value of type t can return an error.
func (c *codecPkg) canFail(t ast.Expr) bool {
	switch c.kindOf(t) {
	case kBool, kInt, kLong, kDouble, kString, kBytes, kTime:
		return false
	case kEnum:
		_, ok := c.classes[identName(t)]
		return ok
	case kPtr:
		return c.canFail(t.(*ast.StarExpr).X)
	case kList:
		return c.canFail(t.(*ast.ArrayType).Elt)
	case kMap:
		m := t.(*ast.MapType)
		return c.mapKeys(m, "") == "" || c.canFail(m.Key) || c.canFail(m.Value)
	}
	return true
}
