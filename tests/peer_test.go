package tests

import (
	"os/exec"
	"testing"
	"time"

	"github.com/kitexdubbo/kitexdubbo/internal/testenv"
)

// runConsumer runs a peer's consumer program to the end and returns the
// cases it printed, failing the test if it gave no summary or ran fewer than 60.
func runConsumer(t *testing.T, name string, cmd *exec.Cmd) []testenv.Result {
	t.Helper()
	results, log, err := testenv.RunCases(t, name, cmd, 5*time.Minute)
	if err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	if len(results) < 60 {
		t.Fatalf("%s ran %d cases, want at least 60:\n%s", name, len(results), log)
	}
	return results
}

// requirePassed fails the test for each case that did not pass.
func requirePassed(t *testing.T, results []testenv.Result) {
	t.Helper()
	for _, r := range results {
		if !r.Pass {
			t.Errorf("%s: %s", r.Name, r.Reason)
		}
	}
}

// runPeerConsumer runs a peer's consumer program to the end and turns each
// case it printed into a subtest and a matrix cell.
func runPeerConsumer(t *testing.T, column, name string, cmd *exec.Cmd, known ...map[string]string) {
	t.Helper()
	for _, r := range runConsumer(t, name, cmd) {
		var err error
		if !r.Pass {
			err = caseError(r.Reason)
		}
		err = record(column, r.Name, err, known...)
		t.Run(r.Name, func(t *testing.T) {
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

type caseError string

func (e caseError) Error() string { return string(e) }
