package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is this module's root, two levels above the test's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// kitexCLI builds the stock Kitex CLI pinned by tools/go.mod (from the Go
// module proxy on a fresh machine), once, into .cache/bin.
func kitexCLI(t *testing.T, root string) string {
	t.Helper()
	bin := filepath.Join(root, ".cache", "bin", "kitex")
	mod, err := os.Stat(filepath.Join(root, "tools", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(bin); err == nil && st.ModTime().After(mod.ModTime()) {
		return bin
	}
	cmd := exec.Command("go", "build", "-o", bin, "github.com/cloudwego/kitex/tool/cmd/kitex")
	cmd.Dir = filepath.Join(root, "tools")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the Kitex CLI: %v\n%s", err, out)
	}
	return bin
}

func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestUserFlow does what the README tells a user to do, on the IDLs under
// testdata: the stock Kitex CLI, this command, go mod tidy, go build, then a
// program that makes calls through the generated code with the Dubbo codec.
func TestUserFlow(t *testing.T) {
	root := repoRoot(t)
	kitex := kitexCLI(t, root)
	cases := []struct {
		name, idl                 string
		kitexArgs                 []string
		javaThrift                bool
		registered, notRegistered []string
	}{
		// oneway: the stock CLI fails under -protocol hessian2, so without it.
		{"oneway", "notify.thrift", nil, false, []string{"&Event{}"}, []string{"Local"}},
		// -service also writes handler.go and main.go beside kitex_gen, the
		// handler naming java types: they must build after the step too.
		{"include", "shop.thrift", []string{"-protocol", "hessian2", "-service", "ShopService"}, true, []string{"&Order{}", "&Money{}", "Currency(0)"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join("testdata", tc.name)
			entries, err := os.ReadDir(src)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(src, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				name := e.Name()
				if name == "main.go.txt" {
					continue // added after generation, once the packages exist
				}
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			gomod := "module e2e.example/app\n\ngo 1.26\n\nrequire github.com/kitexdubbo/kitexdubbo v0.0.0\n\nreplace github.com/kitexdubbo/kitexdubbo => " + root + "\n"
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
				t.Fatal(err)
			}
			gen := "github.com/kitexdubbo/kitexdubbo/cmd/kitexdubbo-gen"
			if tc.javaThrift {
				run(t, dir, "go", "run", gen, "-java-thrift", ".")
			}
			run(t, dir, kitex, append(append([]string{"-module", "e2e.example/app"}, tc.kitexArgs...), tc.idl)...)
			t.Log(run(t, dir, "go", "run", gen, tc.idl))
			if out := run(t, dir, "go", "run", gen, tc.idl); !strings.Contains(out, "up to date") {
				t.Errorf("second run changed files:\n%s", out)
			}
			run(t, dir, "go", "mod", "tidy")
			run(t, dir, "go", "build", "./...")

			var registers strings.Builder
			err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if strings.Contains(string(b), "kitex-contrib") {
					t.Errorf("%s still mentions kitex-contrib", p)
				}
				if strings.Contains(p, "kitex_gen/java") {
					t.Errorf("%s: the java.thrift package should have been removed", p)
				}
				if strings.HasPrefix(d.Name(), "hessian2-register-") {
					registers.Write(b)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.registered {
				if !strings.Contains(registers.String(), want) {
					t.Errorf("%s is not registered:\n%s", want, registers.String())
				}
			}
			for _, not := range tc.notRegistered {
				if strings.Contains(registers.String(), "&"+not+"{}") || strings.Contains(registers.String(), "(p *"+not+") JavaClassName") {
					t.Errorf("%s has no Java class but was registered", not)
				}
			}

			prog, err := os.ReadFile(filepath.Join(src, "main.go.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.go"), prog, 0o644); err != nil {
				t.Fatal(err)
			}
			out := run(t, dir, "go", "run", ".")
			t.Log(out)
			if !strings.Contains(out, "PASS") || strings.Contains(out, "FAIL") {
				t.Fatalf("calls through the generated code failed:\n%s", out)
			}
		})
	}
}
