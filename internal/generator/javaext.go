package generator

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	thrift "github.com/cloudwego/thriftgo/parser"
)

// JavaPackage is the Go package that replaces the code Kitex generates for java.thrift.
const JavaPackage = "github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java"

// isJavaThrift tells our java.thrift (or the one the stock tooling downloads)
// from a user's file: `namespace go java` and only java.* classes.
func isJavaThrift(f *thrift.Thrift) bool {
	if ns, _ := f.GetNamespace("go"); ns != "java" {
		return false
	}
	all := append(append([]*thrift.StructLike(nil), f.Structs...), f.Exceptions...)
	for _, s := range all {
		if !strings.HasPrefix(annotation(s.Annotations, "JavaClassName"), "java.") {
			return false
		}
	}
	return len(all) > 0
}

// useJavaPackage points every Go file of the project at pkg/hessian2/java
// instead of the package Kitex generated for java.thrift (empty structs that
// would write nothing Java understands), and removes that package. That
// includes the handler.go and main.go `kitex -service` writes beside
// kitex_gen, whose method signatures name java types. java.Object is an
// interface alias there, so the pointers Kitex wrote to it are dropped.
func (g *run) useJavaPackage(pkgPath string) error {
	genRoot := filepath.Join(g.opts.Root, g.opts.GenPath)
	oldImport := []byte(`"` + g.opts.Module + "/" + g.opts.GenPath + "/" + pkgPath + `"`)
	newImport := []byte(`"` + JavaPackage + `"`)
	javaDir := filepath.Join(genRoot, filepath.FromSlash(pkgPath))
	err := filepath.WalkDir(g.opts.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == javaDir || path != g.opts.Root && skipDir(path, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Contains(src, oldImport) {
			return nil // not Kitex's code for java.thrift: the user's own, left alone
		}
		out := bytes.ReplaceAll(src, oldImport, newImport)
		out = bytes.ReplaceAll(out, []byte("*java.Object"), []byte("java.Object"))
		if bytes.Equal(out, src) {
			return nil
		}
		if formatted, err := format.Source(out); err == nil { // dropping '*' shifts column alignment
			out = formatted
		}
		return g.write(path, out)
	})
	if err != nil {
		return err
	}
	if _, err := os.Stat(javaDir); err == nil {
		if err := os.RemoveAll(javaDir); err != nil {
			return err
		}
		g.res.Removed = append(g.res.Removed, g.rel(javaDir))
	}
	return nil
}

// skipDir leaves out what is not the project's own code: hidden and vendored
// directories, and nested modules.
func skipDir(path, name string) bool {
	if strings.HasPrefix(name, ".") || name == "vendor" || name == "node_modules" || name == "testdata" {
		return true
	}
	_, err := os.Stat(filepath.Join(path, "go.mod"))
	return err == nil
}
