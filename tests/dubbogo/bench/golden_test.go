package bench

// The comparison is only fair if both libraries put the same values on the
// wire. This module does not import kitexdubbo, so the two meet in golden
// files: testdata/dubbogo-hessian2-<shape>.golden is what dubbo-go-hessian2
// writes for each shape (go test ./bench -update rewrites it), and
// tests/bench's TestDubboGoHessian2Bytes reads it with kitexdubbo's decoder
// into the same values; tests/bench/testdata/kitexdubbo-<shape>.golden is
// what kitexdubbo writes, read here by dubbo-go-hessian2.

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	hessian "github.com/apache/dubbo-go-hessian2"
)

var update = flag.Bool("update", false, "rewrite testdata/dubbogo-hessian2-*.golden from dubbo-go-hessian2")

func TestGoldenBytes(t *testing.T) {
	for _, s := range Shapes() {
		t.Run(s.Name, func(t *testing.T) {
			want := s.Value()
			fresh := encode(t, want)
			if got := decode(t, fresh); !reflect.DeepEqual(got, want) {
				t.Fatalf("dubbo-go-hessian2 does not read back what it wrote: %+v", got)
			}
			path := filepath.Join("testdata", "dubbogo-hessian2-"+s.Name+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, fresh, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./bench -update writes it)", err)
			}
			// Go's map order makes dubbo-go-hessian2's bytes vary from run
			// to run, not their length or their values.
			if len(golden) != len(fresh) {
				t.Errorf("%s is %d bytes, dubbo-go-hessian2 now writes %d: go test ./bench -update", path, len(golden), len(fresh))
			}
			if got := decode(t, golden); !reflect.DeepEqual(got, want) {
				t.Errorf("%s does not hold the shape: %+v", path, got)
			}

			ours, err := os.ReadFile(filepath.Join("..", "..", "bench", "testdata", "kitexdubbo-"+s.Name+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			if got := decode(t, ours); !reflect.DeepEqual(got, want) {
				t.Errorf("dubbo-go-hessian2 reads kitexdubbo's %s bytes as %+v", s.Name, got)
			}
		})
	}
}

// decode reads one value: a registered POJO comes back as a pointer to a new
// struct, as the shapes are.
func decode(t *testing.T, data []byte) any {
	t.Helper()
	v, err := hessian.NewDecoder(data).Decode()
	if err != nil {
		t.Fatal(err)
	}
	return v
}
