// Package allocs measures what a piece of code allocates on the Go heap, for
// tests that bound it (the decoders' budgets, the attacks on a client).
package allocs

import "runtime"

// Bytes is what f allocates on the Go heap, in bytes, garbage included: a
// GC first, then the heap's total allocation before and after f.
func Bytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
