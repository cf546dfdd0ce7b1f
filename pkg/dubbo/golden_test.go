package dubbo

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/kitexdubbo/kitexdubbo/internal/golden"
)

// -update rewrites testdata/*.golden from what the encoders produce now. Review
// the diff before committing: a golden file is a claim about Dubbo's wire format
// (checked against Dubbo-Java by the cross-language suite), not a snapshot.
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// checkGolden compares got with testdata/<name>.golden, a hex dump: 16 bytes a
// line, '#' starts a comment line.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, formatHex(name, got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readGolden(t, name)
	if !bytes.Equal(got, want) {
		t.Errorf("%s: bytes differ from %s\n got: % x\nwant: % x", name, path, got, want)
	}
}

// readGolden returns the bytes of testdata/<name>.golden.
func readGolden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := golden.Read(filepath.Join("testdata", name+".golden"))
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	return b
}

func formatHex(name string, b []byte) []byte {
	return []byte("# " + name + ": written by go test -update; 16 bytes a line\n" + golden.Dump(b))
}
