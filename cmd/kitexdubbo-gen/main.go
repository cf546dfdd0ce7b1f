// Command kitexdubbo-gen is the step a Kitex user runs once after the Kitex CLI,
// in the generated project's root, so the generated code speaks Dubbo through
// this module:
//
//	kitex -module demo -protocol hessian2 -service GreetService api.thrift
//	go run github.com/kitexdubbo/kitexdubbo/cmd/kitexdubbo-gen api.thrift
//	go mod tidy && go build ./...
//
// IDLs with a oneway method: the stock CLI fails on them under -protocol
// hessian2, so run it without that flag; this step writes the Hessian2
// registration the flag would have produced, and the codec sends oneway calls
// without Dubbo's two-way bit.
//
// IDLs using Java types (java.Object, java.BigDecimal, ...) include java.thrift;
// `kitexdubbo-gen -java-thrift DIR` writes it next to the IDL before the Kitex CLI runs.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kitexdubbo/kitexdubbo/internal/generator"
	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2/java"
)

func main() {
	var opts generator.Options
	javaThrift := flag.String("java-thrift", "", "write java.thrift into this directory (for IDLs that include it) and exit if no IDL is given")
	flag.StringVar(&opts.Root, "root", ".", "the generated project's root (where go.mod and the gen path are)")
	flag.StringVar(&opts.GenPath, "gen-path", "kitex_gen", "the Kitex CLI's -gen-path")
	flag.StringVar(&opts.Module, "module", "", "the import path of -root (default: from the nearest go.mod)")
	fast := flag.Bool("codec", true, "generate each struct's Hessian2 methods (hessian2-codec-*.go); false leaves the types to reflection")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, `usage: kitexdubbo-gen [flags] IDL

Run in the project root after the Kitex CLI:
  kitex -module demo -protocol hessian2 -service GreetService api.thrift
  go run github.com/kitexdubbo/kitexdubbo/cmd/kitexdubbo-gen api.thrift
  go mod tidy && go build ./...
An IDL with a oneway method: run the Kitex CLI without -protocol hessian2, then this step.

`)
		flag.PrintDefaults()
	}
	flag.Parse()
	if *javaThrift != "" {
		path := filepath.Join(*javaThrift, "java.thrift")
		if err := os.WriteFile(path, java.IDL, 0o644); err != nil {
			fail(err)
		}
		fmt.Println("wrote", path)
		if flag.NArg() == 0 {
			return
		}
	}
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	opts.IDL = flag.Arg(0)
	opts.NoCodec = !*fast
	res, err := generator.Run(opts)
	if err != nil {
		fail(err)
	}
	for _, p := range res.Written {
		fmt.Println("wrote", p)
	}
	for _, p := range res.Removed {
		fmt.Println("removed", p)
	}
	if len(res.Written)+len(res.Removed) == 0 {
		fmt.Println("kitexdubbo-gen: up to date")
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kitexdubbo-gen:", err)
	os.Exit(1)
}
