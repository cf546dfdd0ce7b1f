//go:build !race

package tests

// raceEnabled reports whether the test binary runs under the race detector.
const raceEnabled = false
