package dubbo

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// Calls one after another reuse one goroutine; calls at once each get one
// and never wait for a busy worker; stop lets the idle ones go.
func TestWorkers(t *testing.T) {
	base := runtime.NumGoroutine()
	w := newWorkers()
	for range 100 {
		done := make(chan struct{})
		w.run(func() { close(done) })
		<-done
		time.Sleep(time.Millisecond) // the worker back at its wait
	}
	if n := runtime.NumGoroutine() - base; n > 1 {
		t.Errorf("100 calls one after another left %d goroutines, want 1", n)
	}

	var started, release sync.WaitGroup
	release.Add(1)
	started.Add(50)
	for range 50 {
		w.run(func() { started.Done(); release.Wait() })
	}
	started.Wait() // each of the 50 runs while the others block
	release.Done()

	w.stop()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left after stop", runtime.NumGoroutine()-base)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
