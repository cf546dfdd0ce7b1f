package generator

import (
	"go/ast"

	thrift "github.com/cloudwego/thriftgo/parser"
)

// A Dubbo body carries a call's arguments as values one after another, and
// its reply as a flag and one value, so Kitex's Args and Result structs are
// never written as objects. What the codec needs of them is one argument, or
// the reply's value, at a time, which these methods give it without
// reflection; it still decides the Java types (hessian.argsType, sets) and
// falls back to reflection where an argument has a declared Java type.

// call is one service function's Args and Result types.
type call struct {
	display      string // "ShopService.checkout", for comments
	args, result *goStruct
}

// calls finds the Args and Result types Kitex generated for the functions of
// f's services; a function whose types are not there (another generator's
// naming) is left to the codec's reflection.
func (c *codecPkg) calls(f *thrift.Thrift) ([]call, error) {
	names := specNames(c.specs)
	var out []call
	for _, svc := range f.Services {
		for _, fn := range svc.Functions {
			an, ok := goName(svc.Name+"_"+fn.Name+"_args", names)
			if !ok {
				continue
			}
			args, err := c.goStruct(an, "", false)
			if err != nil {
				return nil, err
			}
			cl := call{display: svc.Name + "." + fn.Name, args: args}
			if rn, ok := goName(svc.Name+"_"+fn.Name+"_result", names); ok && !fn.Oneway {
				if cl.result, err = c.goStruct(rn, "", false); err != nil {
					return nil, err
				}
			}
			out = append(out, cl)
		}
	}
	return out, nil
}

// writeCall emits MarshalHessian2Arg and UnmarshalHessian2Arg for the Args,
// and Hessian2Outcome, MarshalHessian2Value and UnmarshalHessian2Value for
// the Result: argument i is the Args' i-th exported field, as the codec
// counts them; the exceptions are the Result's fields other than Success.
func (c *codecPkg) writeCall(cl call) {
	a := cl.args.name
	if len(cl.args.fields) == 0 {
		c.printf("// MarshalHessian2Arg writes nothing: %s has no arguments.\n", cl.display)
		c.printf("func (p *%s) MarshalHessian2Arg(e *hessian2.Encoder, i int) error { return nil }\n\n", a)
		c.printf("// UnmarshalHessian2Arg skips a value: %s has no arguments.\n", cl.display)
		c.printf("func (p *%s) UnmarshalHessian2Arg(d *hessian2.Decoder, i int) error { return d.Skip() }\n\n", a)
	} else {
		c.writeArgs(cl)
	}
	c.writeResult(cl)
}

// writeArgs emits the Args' methods for a function with arguments.
func (c *codecPkg) writeArgs(cl call) {
	a := cl.args.name
	c.printf("// MarshalHessian2Arg writes argument i of %s as its Go type says.\n", cl.display)
	c.printf("func (p *%s) MarshalHessian2Arg(e *hessian2.Encoder, i int) error {\n\tswitch i {\n", a)
	for i, f := range cl.args.fields {
		c.printf("\tcase %d: // %s\n", i, f.java)
		c.encode("p."+f.goName, f.typ, "return err")
	}
	c.printf("\t}\n\treturn nil\n}\n\n")
	c.printf("// UnmarshalHessian2Arg reads argument i of %s; one past the last is skipped.\n", cl.display)
	c.printf("func (p *%s) UnmarshalHessian2Arg(d *hessian2.Decoder, i int) error {\n\tvar err error\n\tswitch i {\n", a)
	for i, f := range cl.args.fields {
		c.printf("\tcase %d: // %s\n", i, f.java)
		c.decode("p."+f.goName, f.typ, true)
	}
	c.printf("\tdefault:\n\t\treturn d.Skip()\n\t}\n\treturn err\n}\n\n")
}

// writeResult emits the Result's methods, if the function has a Result.
func (c *codecPkg) writeResult(cl call) {
	if cl.result == nil {
		return
	}
	r := cl.result
	var success *goField
	var exceptions []goField
	for i := range r.fields {
		if f := r.fields[i]; f.goName == "Success" {
			success = &r.fields[i]
		} else if _, ptr := f.typ.(*ast.StarExpr); ptr || c.kindOf(f.typ) == kAny {
			exceptions = append(exceptions, f)
		}
	}
	c.printf("// Hessian2Outcome says what the reply of %s carries: the declared exception\n", cl.display)
	c.printf("// that is set, else whether there is a value (MarshalHessian2Value).\n")
	c.printf("func (p *%s) Hessian2Outcome() (exception any, value bool) {\n", r.name)
	c.printf("\tif p == nil {\n\t\treturn nil, false\n\t}\n")
	for _, f := range exceptions {
		c.printf("\tif p.%s != nil {\n\t\treturn p.%s, false\n\t}\n", f.goName, f.goName)
	}
	switch {
	case success == nil:
		c.printf("\treturn nil, false\n}\n\n")
	case c.nilable(success.typ):
		c.printf("\treturn nil, p.Success != nil\n}\n\n")
	default:
		c.printf("\treturn nil, true\n}\n\n")
	}
	c.printf("// MarshalHessian2Value writes the value %s returned.\n", cl.display)
	c.printf("func (p *%s) MarshalHessian2Value(e *hessian2.Encoder) error {\n", r.name)
	if success != nil {
		c.encode("p.Success", success.typ, "return err")
	}
	c.printf("\treturn nil\n}\n\n")
	c.printf("// UnmarshalHessian2Value reads the value %s returned.\n", cl.display)
	c.printf("func (p *%s) UnmarshalHessian2Value(d *hessian2.Decoder) error {\n", r.name)
	if success == nil {
		c.printf("\treturn d.Skip()\n}\n\n")
	} else {
		c.printf("\tvar err error\n")
		c.decode("p.Success", success.typ, true)
		c.printf("\treturn err\n}\n\n")
	}
}

// nilable reports whether a value of type t can be nil.
func (c *codecPkg) nilable(t ast.Expr) bool {
	switch c.kindOf(t) {
	case kAny, kStruct, kPtr, kBytes, kList, kMap:
		return true
	}
	switch t := t.(type) {
	case *ast.StarExpr, *ast.MapType, *ast.InterfaceType:
		return true
	case *ast.ArrayType:
		return t.Len == nil
	}
	return false
}
