package dubbo

import (
	"sync"
	"time"
)

// workers runs tasks on goroutines that outlive them. A goroutine started
// per call begins with a small stack and grows it, copying, on every call
// (serving one goes deep: Kitex's handler, the codec, the user's method);
// one that stays for the next call keeps its grown stack. A task starts a
// new goroutine only when no worker is idle, so there are never more than
// the calls in flight (which the handler's limits bound).
//
// The idle workers wait in a stack, each on a channel of its own: the one
// that finished last takes the next task, with its stack and the caches it
// touched still warm, and waking it is one channel receive. (A shared
// channel, a select for shutdown and a timer per worker for its idle
// timeout cost 4 µs a call in the c100 profile.) One timer for them all
// retires the workers idle for workerIdle, the oldest first, and stop
// retires every idle one.
type workers struct {
	idleFor time.Duration // workerIdle but in tests
	mu      sync.Mutex
	idle    []*worker // the last to go idle on top
	reaper  *time.Timer
	reaping bool // reaper armed
	stopped bool
}

// A task is what a worker runs; a pointer type makes it one without an
// allocation.
type task interface{ run() }

type worker struct {
	next  chan task // a nil task retires the worker
	since time.Time // idle since
}

const workerIdle = 10 * time.Second

func newWorkers(idleFor time.Duration) *workers { return &workers{idleFor: idleFor} }

// run hands t to an idle worker, or to a new one.
func (w *workers) run(t task) {
	w.mu.Lock()
	if n := len(w.idle); n > 0 {
		wk := w.idle[n-1]
		w.idle[n-1] = nil
		w.idle = w.idle[:n-1]
		w.mu.Unlock()
		wk.next <- t // buffered: never blocks
		return
	}
	w.mu.Unlock()
	go w.loop(&worker{next: make(chan task, 1)}, t)
}

func (w *workers) loop(wk *worker, t task) {
	for t != nil {
		t.run()
		t = nil // let the finished task go while waiting
		if !w.park(wk) {
			return
		}
		t = <-wk.next
	}
}

// park puts wk on the idle stack, unless the workers stopped.
func (w *workers) park(wk *worker) bool {
	wk.since = time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return false
	}
	w.idle = append(w.idle, wk)
	if !w.reaping {
		w.reaping = true
		if w.reaper == nil {
			w.reaper = time.AfterFunc(w.idleFor, w.reap)
		} else {
			w.reaper.Reset(w.idleFor)
		}
	}
	return true
}

// reap retires the workers idle for idleFor, from the bottom of the stack,
// and rearms for the oldest left.
func (w *workers) reap() {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	n := 0
	for n < len(w.idle) && now.Sub(w.idle[n].since) >= w.idleFor {
		w.idle[n].next <- nil
		n++
	}
	w.idle = append(w.idle[:0], w.idle[n:]...)
	clear(w.idle[len(w.idle):cap(w.idle)])
	if len(w.idle) == 0 || w.stopped {
		w.reaping = false
		return
	}
	w.reaper.Reset(w.idleFor - now.Sub(w.idle[0].since))
}

// stop retires the idle workers; the busy ones retire when their task ends.
func (w *workers) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	for _, wk := range w.idle {
		wk.next <- nil
	}
	w.idle = nil
	if w.reaper != nil {
		w.reaper.Stop()
	}
	w.reaping = false
}
