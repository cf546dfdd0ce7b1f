package dubbo

import (
	"sync"
	"time"
)

// workers runs calls on goroutines that outlive them. A goroutine started
// per call begins with a small stack and grows it, copying, on every call
// (serving one goes deep: Kitex's handler, the codec, the user's method);
// one that stays for the next call keeps its grown stack. Idle workers wait
// on a channel, so a call starts a new goroutine only when none is idle,
// and there are never more than the calls in flight (which the handler's
// limits bound); a worker idle for workerIdle exits, and every idle one
// once the server shuts down.
type workers struct {
	tasks    chan func()
	done     chan struct{}
	stopOnce sync.Once
}

const workerIdle = 10 * time.Second

func newWorkers() *workers { return &workers{tasks: make(chan func()), done: make(chan struct{})} }

func (w *workers) stop() { w.stopOnce.Do(func() { close(w.done) }) }

func (w *workers) run(f func()) {
	select {
	case w.tasks <- f:
	default:
		go w.loop(f)
	}
}

func (w *workers) loop(f func()) {
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		f()
		f = nil // let the finished call's closure go while waiting
		idle.Reset(workerIdle)
		select {
		case f = <-w.tasks:
		case <-idle.C:
			return
		case <-w.done:
			return
		}
	}
}
