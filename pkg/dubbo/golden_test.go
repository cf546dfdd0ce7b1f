package dubbo

import (
	"bytes"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	raw, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	var digits strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		digits.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(digits.String())
	if err != nil {
		t.Fatalf("%s.golden: %v", name, err)
	}
	return b
}

func formatHex(name string, b []byte) []byte {
	var out bytes.Buffer
	out.WriteString("# " + name + ": written by go test -update; 16 bytes a line\n")
	for len(b) > 0 {
		n := min(16, len(b))
		for i, c := range b[:n] {
			if i > 0 {
				out.WriteByte(' ')
			}
			out.WriteString(hex.EncodeToString([]byte{c}))
		}
		out.WriteByte('\n')
		b = b[n:]
	}
	return out.Bytes()
}
