package bench

// dubbo-go-hessian2 is measured on the same values (tests/dubbogo/bench, a
// module of its own, which does not import this one). The two libraries meet
// in golden files: kitexdubbo's bytes for each shape are
// testdata/kitexdubbo-<shape>.golden (go test ./tests/bench -update rewrites
// them), which dubbo-go-hessian2 reads there; dubbo-go-hessian2's bytes are
// tests/dubbogo/bench/testdata/dubbogo-hessian2-<shape>.golden, read here by
// both of our decoding paths into the same values.

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

var update = flag.Bool("update", false, "rewrite testdata/kitexdubbo-*.golden")

func TestDubboGoHessian2Bytes(t *testing.T) {
	for _, s := range shapes() {
		t.Run(s.name, func(t *testing.T) {
			ours, err := hessian2.Marshal(s.value)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "kitexdubbo-"+s.name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, ours, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./tests/bench -update writes it)", err)
			}
			if !bytes.Equal(golden, ours) {
				t.Errorf("%s is stale: go test ./tests/bench -update", path)
			}

			theirs, err := os.ReadFile(filepath.Join("..", "dubbogo", "bench", "testdata", "dubbogo-hessian2-"+s.name+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			for _, reflectOnly := range []bool{false, true} {
				d := hessian2.NewDecoder(theirs)
				d.SetReflectOnly(reflectOnly)
				got := s.fresh()
				if err := d.Decode(got); err != nil {
					t.Fatalf("%s, reflect=%v: %v", s.name, reflectOnly, err)
				}
				if !reflect.DeepEqual(got, s.value) {
					t.Errorf("%s, reflect=%v: dubbo-go-hessian2's bytes read as %+v", s.name, reflectOnly, got)
				}
			}
		})
	}
}
