//go:build race

package nacos

// raceEnabled reports whether the test binary runs under the race detector.
const raceEnabled = true
