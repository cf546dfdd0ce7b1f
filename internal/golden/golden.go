// Package golden reads and writes golden files of wire bytes: a hex dump, 16
// bytes a line, with '#' starting a comment line, so that a diff of one shows
// which bytes changed and a reader can annotate what the bytes are.
package golden

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// Read returns the bytes of the golden file at path, comments left out.
func Read(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, err := Parse(string(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// Parse returns the bytes of a golden file's text, comments left out.
func Parse(text string) ([]byte, error) {
	var digits strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		digits.WriteString(strings.Join(strings.Fields(line), ""))
	}
	return hex.DecodeString(digits.String())
}

// Dump is b as a golden file's lines: 16 bytes a line, each line ending in "\n".
func Dump(b []byte) string {
	var out strings.Builder
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
	return out.String()
}
