package tests

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cloudwego/kitex/pkg/klog"
)

// The interop matrix: every case against every peer in each direction. The
// suite prints it after the tests; with KITEXDUBBO_MATRIX=file it also writes
// it there as Markdown (scripts/interop-status.sh puts that into the README).
var matrix = struct {
	sync.Mutex
	cols    []string
	cases   []string
	results map[[2]string]string // {column, case} -> "pass" or the failure
}{results: map[[2]string]string{}}

// record notes a case's outcome and returns the error the test should
// fail with: nil for a pass, and for a failure listed in known (the peer's
// documented limitation), which the matrix shows as such.
func record(column, name string, err error, known ...map[string]string) error {
	matrix.Lock()
	defer matrix.Unlock()
	if !slices.Contains(matrix.cols, column) {
		matrix.cols = append(matrix.cols, column)
	}
	if !slices.Contains(matrix.cases, name) {
		matrix.cases = append(matrix.cases, name)
	}
	res := "pass"
	if err != nil {
		res = "FAIL: " + strings.ReplaceAll(err.Error(), "\n", " ")
		for _, k := range known {
			if why, ok := k[name]; ok {
				res, err = "KNOWN: "+why, nil
			}
		}
	}
	matrix.results[[2]string{column, name}] = res
	return err
}

// writeMatrix writes the matrix as a Markdown table, then the failures' reasons.
func writeMatrix(w io.Writer) {
	matrix.Lock()
	defer matrix.Unlock()
	if len(matrix.cols) == 0 {
		return
	}
	cols := append([]string(nil), matrix.cols...)
	sort.Strings(cols)
	fmt.Fprintf(w, "| case | %s |\n|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	var failures []string
	passed := map[string]int{}
	for _, name := range matrix.cases {
		cells := make([]string, len(cols))
		for i, col := range cols {
			res, ok := matrix.results[[2]string{col, name}]
			switch {
			case !ok:
				cells[i] = "–"
			case res == "pass":
				cells[i] = "✅"
				passed[col]++
			case strings.HasPrefix(res, "KNOWN: "):
				cells[i] = "⚠️"
				failures = append(failures, fmt.Sprintf("- ⚠️ `%s`, %s: %s", name, col, strings.TrimPrefix(res, "KNOWN: ")))
			default:
				cells[i] = "❌"
				failures = append(failures, fmt.Sprintf("- ❌ `%s`, %s: %s", name, col, strings.TrimPrefix(res, "FAIL: ")))
			}
		}
		fmt.Fprintf(w, "| `%s` | %s |\n", strings.ReplaceAll(name, "|", "\\|"), strings.Join(cells, " | "))
	}
	totals := make([]string, len(cols))
	for i, col := range cols {
		n := 0
		for k := range matrix.results {
			if k[0] == col {
				n++
			}
		}
		totals[i] = fmt.Sprintf("%d/%d", passed[col], n)
	}
	fmt.Fprintf(w, "| **passed** | %s |\n", strings.Join(totals, " | "))
	if len(failures) > 0 {
		fmt.Fprintf(w, "\n✅ passed · ⚠️ a documented limitation of that peer, not of kitexdubbo · ❌ failed · – not a case for that peer\n\n%s\n", strings.Join(failures, "\n"))
	}
}

func TestMain(m *testing.M) {
	// Once, before any server runs: handler errors are part of the cases,
	// and a level set per test would race with the last test's servers.
	klog.SetLevel(klog.LevelFatal)
	code := m.Run()
	writeMatrix(os.Stdout)
	if path := os.Getenv("KITEXDUBBO_MATRIX"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			writeMatrix(f)
			err = f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "matrix:", errors.Unwrap(err))
			code = 1
		}
	}
	os.Exit(code)
}
