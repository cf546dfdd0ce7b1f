// Package generator is kitexdubbo-gen's engine: after the stock Kitex CLI has
// generated code from a Thrift IDL with `-protocol hessian2` (or without it, for
// IDLs with oneway methods), it rewrites that code to use this module.
//
//	kitex -module demo -protocol hessian2 -service GreetService api.thrift
//	go run github.com/kitexdubbo/kitexdubbo/cmd/kitexdubbo-gen api.thrift
//
// For every IDL file reached from the given one it writes
// kitex_gen/<namespace>/hessian2-register-<file>.go (register.go), replacing the
// stock template's file, and it points code that uses java.thrift at
// pkg/hessian2/java (javaext.go). It works from the IDL, not from the stock
// file, so it is idempotent and also works where the stock file is missing.
package generator

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	thrift "github.com/cloudwego/thriftgo/parser"
)

// Options says where things are. Zero values are the defaults of a project the
// Kitex CLI generated in the current directory.
type Options struct {
	IDL     string // the IDL given to the Kitex CLI
	Root    string // the generated project's root (where go.mod is); default "."
	GenPath string // Kitex's -gen-path; default "kitex_gen"
	Module  string // import path of Root; default: from the nearest go.mod
	// NoCodec leaves out the generated per-struct codec (hessian2-codec-*.go,
	// removed if there): the types are then read and written by reflection.
	NoCodec bool
}

// Result lists what a run changed, relative to Root.
type Result struct {
	Written []string
	Removed []string
}

// Run rewrites the generated code for opts.IDL.
func Run(opts Options) (*Result, error) {
	if opts.IDL == "" {
		return nil, errors.New("no IDL file given")
	}
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.GenPath == "" {
		opts.GenPath = "kitex_gen"
	}
	if opts.Module == "" {
		m, err := importPath(opts.Root)
		if err != nil {
			return nil, err
		}
		opts.Module = m
	}
	ast, err := thrift.ParseFile(opts.IDL, nil, true)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", opts.IDL, err)
	}
	g := &run{opts: opts, res: &Result{}}
	var files []*thrift.Thrift
	seen := map[*thrift.Thrift]bool{}
	var walk func(t *thrift.Thrift)
	walk = func(t *thrift.Thrift) {
		if seen[t] {
			return
		}
		seen[t] = true
		files = append(files, t)
		for _, inc := range t.Includes {
			if inc.Reference != nil {
				walk(inc.Reference)
			}
		}
	}
	walk(ast)
	var javaPkgs []string
	for _, f := range files {
		if isJavaThrift(f) {
			javaPkgs = append(javaPkgs, goPackagePath(f))
			continue
		}
		if err := g.writeRegister(f); err != nil {
			return nil, err
		}
	}
	for _, p := range javaPkgs {
		if err := g.useJavaPackage(p); err != nil {
			return nil, err
		}
	}
	// After the java.thrift rewrite: the codec reads the Go types as they end up.
	for _, f := range files {
		if isJavaThrift(f) {
			continue
		}
		if err := g.codec(f); err != nil {
			return nil, err
		}
	}
	return g.res, nil
}

func (g *run) codec(f *thrift.Thrift) error {
	if !g.opts.NoCodec {
		return g.writeCodec(f)
	}
	dir := filepath.Join(g.opts.Root, g.opts.GenPath, filepath.FromSlash(goPackagePath(f)))
	return g.remove(filepath.Join(dir, codecPrefix+strings.TrimSuffix(filepath.Base(f.Filename), ".thrift")+".go"))
}

type run struct {
	opts Options
	res  *Result
}

func (g *run) rel(p string) string {
	if r, err := filepath.Rel(g.opts.Root, p); err == nil {
		return r
	}
	return p
}

// goPackagePath is where Kitex puts a file's code under the gen path: its
// `namespace go`, dots as slashes, else the file's base name.
func goPackagePath(f *thrift.Thrift) string {
	ns := f.GetNamespaceOrReferenceName("go")
	return strings.ReplaceAll(ns, ".", "/")
}

// importPath is the Go import path of dir, from the nearest go.mod above it, as
// the Kitex CLI works it out when it runs in a subdirectory of a module.
func importPath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			m, err := modulePath(filepath.Join(d, "go.mod"))
			if err != nil || d == abs {
				return m, err
			}
			rel, err := filepath.Rel(d, abs)
			return m + "/" + filepath.ToSlash(rel), err
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod in %s or above (run in the generated project, or pass -module)", abs)
		}
	}
}

func modulePath(gomod string) (string, error) {
	b, err := os.ReadFile(gomod)
	if err != nil {
		return "", fmt.Errorf("read the module path: %w (run in the generated project's root, or pass -module)", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("%s has no module line", gomod)
}

// goPackage reads the package name and the type names Kitex declared in dir.
func goPackage(dir string) (name string, types map[string]bool, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", nil, fmt.Errorf("no generated code at %s (run the Kitex CLI first, in this directory): %w", dir, err)
	}
	types = map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, registerPrefix) || strings.HasPrefix(n, codecPrefix) {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return "", nil, err
		}
		name = f.Name.Name
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				for _, s := range gd.Specs {
					types[s.(*ast.TypeSpec).Name.Name] = true
				}
			}
		}
	}
	if name == "" {
		return "", nil, fmt.Errorf("no generated Go files in %s", dir)
	}
	return name, types, nil
}

func annotation(a thrift.Annotations, key string) string {
	for _, x := range a {
		if x.Key == key && len(x.Values) > 0 {
			return x.Values[0]
		}
	}
	return ""
}

func sortedAnnotations(a thrift.Annotations) []*thrift.Annotation {
	out := append([]*thrift.Annotation(nil), a...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
