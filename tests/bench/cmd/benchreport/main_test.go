package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/run is what scripts/bench.sh collected on a busy 2-core machine.
func TestReport(t *testing.T) {
	r, err := load(filepath.Join("testdata", "run"))
	if err != nil {
		t.Fatal(err)
	}
	r.why = "- **A miss.** What the profile shows.\n"
	rep := r.report()
	for _, want := range []string{
		"### Why targets are missed\n\n- **A miss.** What the profile shows.\n\n## Codecs",
		"| medium | kitexdubbo, generated (kitexdubbo-gen) | 1782 ±",            // median of three, suffix -2 gone
		"| 100 | kitexdubbo, server factory | 29,472 | 2996 | 8544 | – | 0.70x", // the median of the rounds' ratios against Thrift (the ratio of the medians is 0.69); no CPU figure in these
		"| 100 | Dubbo-Java consumer → Kitex server (factory) | 15,492 |",
		"| medium | *what the result holds*",
		"The machine was busy",
		"| java | ok | 167 |",
	} {
		if !strings.Contains(rep, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	met, missed, unmeasured := 0, 0, 0
	for _, tg := range r.targets() {
		switch tg.state {
		case 1:
			met++
		case -1:
			missed++
		default:
			unmeasured++
		}
	}
	if met != 23 || missed != 5 || unmeasured != 0 {
		t.Errorf("targets: %d met, %d missed, %d not measured; want 23, 5, 0", met, missed, unmeasured)
	}
}

// A run without the Java and dubbo-go outputs says so rather than failing.
func TestReportPartial(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"machine.txt", "codec.bench"} {
		b, err := os.ReadFile(filepath.Join("testdata", "run", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep := r.report()
	if !strings.Contains(rep, "| medium | dubbo-go-hessian2 v1.12.5 | not run |") || !strings.Contains(rep, "| 1 | Kitex Thrift (TTHeader) | not run |") {
		t.Errorf("missing rows are not marked:\n%s", rep)
	}
	if !strings.Contains(rep, "➖ not measured — end to end, dubbo-codec, c100 calls/s") {
		t.Error("an unmeasured target is not marked")
	}
	if !strings.Contains(rep, "✅ met — generated encode, medium, 0 allocs") {
		t.Error("a measured target is not checked")
	}
}

func TestMedian(t *testing.T) {
	rs := results{"x": {"ns/op": {5, 1, 3, 100}}}
	if v, _ := rs.get("x", "ns/op"); v != 4 {
		t.Errorf("median of 1 3 5 100: %v", v)
	}
	if _, ok := rs.get("x", "B/op"); ok {
		t.Error("a missing unit has a median")
	}
}

func TestRewriteBlock(t *testing.T) {
	p := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(p, []byte("a\n"+begin+"\nold\n"+end+"\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := rewriteBlock(p, "new\n"); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(p)
	if want := "a\n" + begin + "\nnew\n" + end + "\nb\n"; string(b) != want {
		t.Errorf("got %q, want %q", b, want)
	}
	if err := os.WriteFile(p, []byte("no block\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rewriteBlock(p, "new\n") == nil {
		t.Error("a README without the block is rewritten")
	}
}

// An end-to-end row measured in slices is one row of several values, and a
// ratio pairs each slice with the other stack's next to it.
func TestSlices(t *testing.T) {
	p := filepath.Join(t.TempDir(), "e2e.bench")
	lines := strings.Join([]string{
		"BenchmarkE2E/thrift/c100-2   100  1 ns/op  1000 calls/s",
		"BenchmarkE2E/factory/c100-2  100  1 ns/op   900 calls/s",
		"BenchmarkE2E/factory/c100#01-2  100  1 ns/op  500 calls/s",
		"BenchmarkE2E/thrift/c100#01-2   100  1 ns/op  600 calls/s",
		"BenchmarkE2E/thrift/c100#02-2   100  1 ns/op  2000 calls/s",
		"BenchmarkE2E/factory/c100#02-2  100  1 ns/op  1400 calls/s",
	}, "\n")
	if err := os.WriteFile(p, []byte(lines+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := parse(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rs["E2E/factory/c100"]["calls/s"]); n != 3 || len(rs) != 2 {
		t.Fatalf("rows %v: want 2 rows of 3 slices", rs)
	}
	// Slice by slice 0.9, 0.83 and 0.7; the medians' ratio would be 900/1000.
	if q, ok := rs.pairedRatio("E2E/factory/c100", "E2E/thrift/c100", "calls/s"); !ok || q != 500.0/600 {
		t.Errorf("paired ratio %v, %v: want 0.833", q, ok)
	}
}
