package dubbo

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

type taskFunc func()

func (f taskFunc) run() { f() }

// waitGoroutines waits until no more than base+n goroutines are left.
func waitGoroutines(t *testing.T, base, n int, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+n {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d goroutines left, want %d", what, runtime.NumGoroutine()-base, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Calls one after another reuse one goroutine; calls at once each get one
// and never wait for a busy worker; stop lets the idle ones go.
func TestWorkers(t *testing.T) {
	base := runtime.NumGoroutine()
	w := newWorkers(workerIdle)
	for range 100 {
		done := make(chan struct{})
		w.run(taskFunc(func() { close(done) }))
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
		w.run(taskFunc(func() { started.Done(); release.Wait() }))
	}
	started.Wait() // each of the 50 runs while the others block
	release.Done()

	w.stop()
	waitGoroutines(t, base, 0, "after stop")
	done := make(chan struct{})
	w.run(taskFunc(func() { close(done) })) // still served, by a worker that then exits
	<-done
	waitGoroutines(t, base, 0, "a task after stop")
}

// Idle workers retire on their own, the oldest first, and the ones that
// keep serving stay.
func TestWorkersRetireIdle(t *testing.T) {
	base := runtime.NumGoroutine()
	w := newWorkers(50 * time.Millisecond)
	defer w.stop()
	var started, release sync.WaitGroup
	release.Add(1)
	started.Add(20)
	for range 20 {
		w.run(taskFunc(func() { started.Done(); release.Wait() }))
	}
	started.Wait()
	release.Done()
	if n := runtime.NumGoroutine() - base; n < 20 {
		t.Fatalf("%d goroutines for 20 tasks at once", n)
	}
	// One call every 10 ms keeps the worker on top of the stack busy.
	stop := time.After(300 * time.Millisecond)
	for busy := true; busy; {
		select {
		case <-stop:
			busy = false
		case <-time.After(10 * time.Millisecond):
			done := make(chan struct{})
			w.run(taskFunc(func() { close(done) }))
			<-done
		}
	}
	if n := runtime.NumGoroutine() - base; n > 2 {
		t.Errorf("%d workers left after 300 ms, 50 ms idle timeout and one busy", n)
	}
	waitGoroutines(t, base, 0, "all idle")
}
