package generator

// The fast codec: for every struct, exception and union of an IDL file,
// MarshalHessian2 and UnmarshalHessian2 methods that write and read the
// fields directly through pkg/hessian2's runtime (fast.go), with no
// reflection; for every enum with a Java class, MarshalHessian2; for every
// service function, its Args' and Result's methods (codec_calls.go). The code is
// worked out from the Go types Kitex generated (read with go/ast, after the
// java.thrift rewrite), so it writes exactly what the reflective path
// writes for them; the IDL gives the Java classes and which types are
// exceptions. codec_write.go and codec_read.go emit the two directions.

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"

	thrift "github.com/cloudwego/thriftgo/parser"
)

// codecPrefix names the file the fast codec goes to, beside the register file.
const codecPrefix = "hessian2-codec-"

// goStruct is one generated struct as the codec sees it.
type goStruct struct {
	name      string // Go type
	class     string // Java class; "" means it is written as a map
	exception bool
	message   *goField // its string field "message", for Throwable.detailMessage
	fields    []goField
}

type goField struct {
	goName   string
	java     string // the name on the wire
	typ      ast.Expr
	javaType string // the `java:"..."` tag: the declared Java type, written as EncodeAs writes it
}

// codecPkg is what the emitters know of the package.
type codecPkg struct {
	name      string
	specs     map[string]*ast.TypeSpec
	imports   map[string]string // local name -> import path, over all the package's files
	classes   map[string]string // Go type -> Java class, for structs and enums
	recursive map[string]bool   // struct types that can reach themselves
	uses      map[string]bool   // imports the codec file needs
	b         bytes.Buffer
	tmp       int
}

func (c *codecPkg) printf(format string, args ...any) { fmt.Fprintf(&c.b, format, args...) }

// v returns a fresh local variable name.
func (c *codecPkg) v(prefix string) string {
	c.tmp++
	return prefix + strconv.Itoa(c.tmp)
}

// writeCodec writes kitex_gen/<ns>/hessian2-codec-<file>.go for f.
func (g *run) writeCodec(f *thrift.Thrift) error {
	dir := filepath.Join(g.opts.Root, g.opts.GenPath, filepath.FromSlash(goPackagePath(f)))
	c, err := loadCodecPkg(dir)
	if err != nil {
		return err
	}
	var structs []*goStruct
	for _, group := range []struct {
		list      []*thrift.StructLike
		exception bool
	}{{f.Structs, false}, {f.Unions, false}, {f.Exceptions, true}} {
		for _, s := range group.list {
			n, ok := goName(s.Name, specNames(c.specs))
			if !ok {
				return fmt.Errorf("%s: no Go type for %s in %s", f.Filename, s.Name, dir)
			}
			gs, err := c.goStruct(n, annotation(s.Annotations, "JavaClassName"), group.exception)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Filename, err)
			}
			structs = append(structs, gs)
		}
	}
	for _, s := range structs {
		if s.class != "" {
			c.classes[s.name] = s.class
		}
	}
	var enums []class
	for _, e := range f.Enums {
		if java := annotation(e.Annotations, "JavaClassName"); java != "" {
			n, ok := goName(e.Name, specNames(c.specs))
			if !ok {
				return fmt.Errorf("%s: no Go type for enum %s in %s", f.Filename, e.Name, dir)
			}
			c.classes[n] = java
			enums = append(enums, class{n, java})
		}
	}
	// Enums of the package's other files have their classes too.
	if err := c.otherClasses(dir, f); err != nil {
		return err
	}
	c.findRecursive()
	base := strings.TrimSuffix(filepath.Base(f.Filename), ".thrift")
	path := filepath.Join(dir, codecPrefix+base+".go")
	calls, err := c.calls(f)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Filename, err)
	}
	if len(structs)+len(enums)+len(calls) == 0 {
		return g.remove(path)
	}
	for _, e := range enums {
		c.writeEnum(e)
	}
	for _, s := range structs {
		c.writeStruct(s)
		if s.class != "" {
			c.readStruct(s)
		}
	}
	for _, cl := range calls {
		c.writeCall(cl)
	}
	var out bytes.Buffer
	out.WriteString(header)
	fmt.Fprintf(&out, "package %s\n\n", c.name)
	var std, others []string
	for p := range c.uses {
		if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
			others = append(others, p)
		} else {
			std = append(std, p)
		}
	}
	sort.Strings(std)
	sort.Strings(others)
	out.WriteString("import (\n")
	for _, p := range std {
		fmt.Fprintf(&out, "\t%q\n", p)
	}
	if len(std) > 0 {
		out.WriteString("\n")
	}
	for _, p := range others {
		fmt.Fprintf(&out, "\t%q\n", p)
	}
	out.WriteString(")\n\n")
	out.Write(c.b.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return fmt.Errorf("format the codec file for %s: %w\n%s", f.Filename, err, out.Bytes())
	}
	return g.write(path, src)
}

type class struct{ goType, java string }

func specNames(specs map[string]*ast.TypeSpec) map[string]bool {
	m := make(map[string]bool, len(specs))
	for n := range specs {
		m[n] = true
	}
	return m
}

func loadCodecPkg(dir string) (*codecPkg, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("no generated code at %s: %w", dir, err)
	}
	c := &codecPkg{specs: map[string]*ast.TypeSpec{}, imports: map[string]string{}, classes: map[string]string{},
		uses: map[string]bool{runtimePackage: true}}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, codecPrefix) {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		c.name = file.Name.Name
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			local := p[strings.LastIndexByte(p, '/')+1:]
			if imp.Name != nil {
				local = imp.Name.Name
			}
			c.imports[local] = p
		}
		for _, d := range file.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					c.specs[ts.Name.Name] = ts
				}
			}
		}
	}
	return c, nil
}

const runtimePackage = "github.com/kitexdubbo/kitexdubbo/pkg/hessian2"

// goStruct reads the fields of struct n as the reflective path sees them:
// every exported field, named by its hessian tag, its thrift tag, or its Go
// name with a lower-case initial.
func (c *codecPkg) goStruct(n, class string, exception bool) (*goStruct, error) {
	ts := c.specs[n]
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return nil, fmt.Errorf("%s is not a struct", n)
	}
	s := &goStruct{name: n, class: class, exception: exception}
	for _, f := range st.Fields.List {
		for _, id := range f.Names {
			if !id.IsExported() {
				continue
			}
			var tag reflect.StructTag
			if f.Tag != nil {
				t, _ := strconv.Unquote(f.Tag.Value)
				tag = reflect.StructTag(t)
			}
			java := wireName(id.Name, tag)
			if java == "" {
				continue
			}
			s.fields = append(s.fields, goField{goName: id.Name, java: java, typ: f.Type, javaType: strings.TrimSpace(tag.Get("java"))})
		}
	}
	if exception && class != "" {
		for i := range s.fields {
			if s.fields[i].java == "detailMessage" {
				s.exception = false // it carries its own
			}
		}
		for i := range s.fields {
			if f := &s.fields[i]; f.java == "message" && (isIdent(f.typ, "string") || isStar(f.typ, "string")) {
				s.message = f
			}
		}
	}
	return s, nil
}

// wireName mirrors hessian2's javaFieldName.
func wireName(goName string, tag reflect.StructTag) string {
	if h, ok := tag.Lookup("hessian"); ok {
		h, _, _ = strings.Cut(h, ",")
		if h == "-" {
			return ""
		}
		if h != "" {
			return h
		}
	}
	if t, ok := tag.Lookup("thrift"); ok {
		if name, _, _ := strings.Cut(t, ","); name != "" {
			return name
		}
	}
	r := []rune(goName)
	for i := 0; i < len(r) && unicode.IsUpper(r[i]); i++ {
		if i > 0 && i+1 < len(r) && unicode.IsLower(r[i+1]) {
			break
		}
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func isStar(e ast.Expr, name string) bool {
	s, ok := e.(*ast.StarExpr)
	return ok && isIdent(s.X, name)
}

// otherClasses reads the Java classes of the package's types that other IDL
// files declared (several IDL files may share a namespace), from their
// register files.
func (c *codecPkg) otherClasses(dir string, f *thrift.Thrift) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	own := registerPrefix + strings.TrimSuffix(filepath.Base(f.Filename), ".thrift") + ".go"
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, registerPrefix) && n != own {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				return err
			}
			for _, line := range strings.Split(string(b), "\n") {
				// func (p *T) JavaClassName() string { return "x.Y" }
				if !strings.Contains(line, ") JavaClassName() string { return ") {
					continue
				}
				recv := strings.Fields(strings.TrimPrefix(line, "func ("))
				if len(recv) < 2 {
					continue
				}
				t := strings.TrimPrefix(strings.TrimSuffix(recv[1], ")"), "*")
				q := line[strings.Index(line, "return ")+7:]
				if java, err := strconv.Unquote(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(q), "}"))); err == nil {
					if _, ok := c.classes[t]; !ok {
						c.classes[t] = java
					}
				}
			}
		}
	}
	return nil
}

// localStruct returns the name of the package's struct type e refers to
// (through a pointer), or "".
func (c *codecPkg) localStruct(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return ""
	}
	if ts := c.specs[id.Name]; ts != nil {
		if _, ok := ts.Type.(*ast.StructType); ok {
			return id.Name
		}
	}
	return ""
}

// findRecursive marks the struct types that can reach themselves through
// their fields: only those can form cycles, so only those pay for tracking
// what was written (references); the others are trees by construction.
func (c *codecPkg) findRecursive() {
	edges := map[string][]string{}
	var walk func(from string, e ast.Expr)
	walk = func(from string, e ast.Expr) {
		switch t := e.(type) {
		case *ast.StarExpr:
			walk(from, t.X)
		case *ast.ArrayType:
			walk(from, t.Elt)
		case *ast.MapType:
			walk(from, t.Key)
			walk(from, t.Value)
		case *ast.Ident:
			if n := c.localStruct(t); n != "" {
				edges[from] = append(edges[from], n)
			} else if ts := c.specs[t.Name]; ts != nil && ts.Assign.IsValid() {
				walk(from, ts.Type)
			}
		}
	}
	for n, ts := range c.specs {
		if st, ok := ts.Type.(*ast.StructType); ok {
			for _, f := range st.Fields.List {
				walk(n, f.Type)
			}
		}
	}
	c.recursive = map[string]bool{}
	for n := range edges {
		seen := map[string]bool{}
		stack := append([]string(nil), edges[n]...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if x == n {
				c.recursive[n] = true
				break
			}
			if !seen[x] {
				seen[x] = true
				stack = append(stack, edges[x]...)
			}
		}
	}
}

// kind classifies a field's Go type for the emitters.
type kind int

const (
	kOpaque kind = iota // anything else: the reflective path (Encode / Decode)
	kBool               // bool
	kInt                // int8, int16, int32
	kLong               // int64
	kDouble             // float64
	kString             // string
	kBytes              // []byte
	kTime               // time.Time (java.Date)
	kAny                // any (java.Object)
	kStruct             // *T, T a struct of this package
	kEnum               // T, a named int64 of this package (an enum)
	kPtr                // *E, E a scalar (optional fields)
	kList               // []E
	kMap                // map[K]V
)

func (c *codecPkg) kindOf(e ast.Expr) kind {
	switch t := e.(type) {
	case *ast.Ident:
		switch t.Name {
		case "bool":
			return kBool
		case "int8", "int16", "int32":
			return kInt
		case "int64":
			return kLong
		case "float64":
			return kDouble
		case "string":
			return kString
		case "any":
			return kAny
		}
		if ts := c.specs[t.Name]; ts != nil {
			if ts.Assign.IsValid() {
				return c.kindOf(ts.Type)
			}
			if isIdent(ts.Type, "int64") {
				return kEnum
			}
		}
	case *ast.InterfaceType:
		if len(t.Methods.List) == 0 {
			return kAny
		}
	case *ast.SelectorExpr:
		switch c.imports[identName(t.X)] + "." + t.Sel.Name {
		case "time.Time", JavaPackage + ".Date":
			return kTime
		case JavaPackage + ".Object":
			return kAny
		}
	case *ast.StarExpr:
		if c.localStruct(t) != "" {
			return kStruct
		}
		switch c.kindOf(t.X) {
		case kBool, kInt, kLong, kDouble, kString, kTime, kEnum:
			return kPtr
		}
	case *ast.ArrayType:
		if t.Len != nil {
			return kOpaque
		}
		if isIdent(t.Elt, "byte") || isIdent(t.Elt, "uint8") {
			return kBytes
		}
		return kList
	case *ast.MapType:
		return kMap
	}
	return kOpaque
}

func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// typeString prints a type expression as Go source, noting the packages it names.
func (c *codecPkg) typeString(e ast.Expr) string {
	ast.Inspect(e, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if p := c.imports[identName(s.X)]; p != "" {
				c.uses[p] = true
			}
		}
		return true
	})
	var b bytes.Buffer
	_ = format.Node(&b, token.NewFileSet(), e)
	return b.String()
}

// sizeOf is the Go expression for the size of a value of type e.
func (c *codecPkg) sizeOf(e ast.Expr) string {
	return "int(unsafe.Sizeof(*new(" + c.typeString(e) + ")))"
}
