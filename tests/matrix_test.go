package tests

import (
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

// A results table: cases down, columns across, each cell a pass (with an
// optional note, such as a measured delay), a documented limitation, or a
// failure. The suite prints its tables after the tests; with the table's
// environment variable set to a file it also writes it there as Markdown
// (scripts/interop-status.sh and scripts/discovery-status.sh put them into
// the README).
type resultTable struct {
	sync.Mutex
	env     string
	first   string // the header of the case column
	cols    []string
	cases   []string
	results map[[2]string]string // {column, case} -> "pass[: note]", "KNOWN: why" or "FAIL: why"
	legend  string
}

// matrix is the interop matrix: every case against every peer in each direction.
var matrix = &resultTable{env: "KITEXDUBBO_MATRIX", first: "case", results: map[[2]string]string{},
	legend: "✅ passed · ⚠️ a documented limitation of that peer, not of kitexdubbo · ❌ failed · – not a case for that peer"}

// record notes a case's outcome in the interop matrix and returns the error
// the test should fail with: nil for a pass, and for a failure listed in known
// (the peer's documented limitation), which the matrix shows as such.
func record(column, name string, err error, known ...map[string]string) error {
	return matrix.record(column, name, "", err, known...)
}

func (m *resultTable) record(column, name, note string, err error, known ...map[string]string) error {
	m.Lock()
	defer m.Unlock()
	if !slices.Contains(m.cols, column) {
		m.cols = append(m.cols, column)
	}
	if !slices.Contains(m.cases, name) {
		m.cases = append(m.cases, name)
	}
	res := "pass"
	if note != "" {
		res += ": " + note
	}
	if err != nil {
		res = "FAIL: " + strings.ReplaceAll(err.Error(), "\n", " ")
		for _, k := range known {
			if why, ok := k[name]; ok {
				res, err = "KNOWN: "+why, nil
			}
		}
	}
	m.results[[2]string{column, name}] = res
	return err
}

// write writes the table as Markdown, then the failures' reasons.
func (m *resultTable) write(w io.Writer) {
	m.Lock()
	defer m.Unlock()
	if len(m.cols) == 0 {
		return
	}
	cols := append([]string(nil), m.cols...)
	sort.Strings(cols)
	fmt.Fprintf(w, "| %s | %s |\n|---|%s\n", m.first, strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	var failures []string
	passed := map[string]int{}
	for _, name := range m.cases {
		cells := make([]string, len(cols))
		for i, col := range cols {
			res, ok := m.results[[2]string{col, name}]
			switch {
			case !ok:
				cells[i] = "–"
			case res == "pass":
				cells[i] = "✅"
				passed[col]++
			case strings.HasPrefix(res, "pass: "):
				cells[i] = "✅ " + strings.TrimPrefix(res, "pass: ")
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
		for k := range m.results {
			if k[0] == col {
				n++
			}
		}
		totals[i] = fmt.Sprintf("%d/%d", passed[col], n)
	}
	fmt.Fprintf(w, "| **passed** | %s |\n", strings.Join(totals, " | "))
	if len(failures) > 0 {
		fmt.Fprintf(w, "\n%s\n\n%s\n", m.legend, strings.Join(failures, "\n"))
	}
}

// flush prints the table and writes it to the file its variable names.
func (m *resultTable) flush() error {
	m.write(os.Stdout)
	path := os.Getenv(m.env)
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err == nil {
		m.write(f)
		err = f.Close()
	}
	return err
}

func TestMain(m *testing.M) {
	// Once, before any server runs: handler errors are part of the cases,
	// and a level set per test would race with the last test's servers.
	klog.SetLevel(klog.LevelFatal)
	code := m.Run()
	for _, table := range []*resultTable{matrix, discoveryMatrix} {
		if err := table.flush(); err != nil {
			fmt.Fprintln(os.Stderr, "matrix:", err)
			code = 1
		}
	}
	os.Exit(code)
}
