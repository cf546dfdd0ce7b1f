package dubbo

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cloudwego/kitex/pkg/endpoint"
	"github.com/cloudwego/kitex/pkg/klog"
	"github.com/cloudwego/kitex/pkg/remote"
	np "github.com/cloudwego/netpoll"
)

// A Dubbo consumer multiplexes every call to a provider over one connection
// (Dubbo-Java shares a single connection per provider by default), while
// Kitex's default server handler serves a connection's requests one after
// another: one slow call would hold up all the others, and time them out.
// concurrentHandler reads each frame off the connection and serves it on a
// goroutine of its own (a worker kept for later calls: workers.go) through
// the default handler, with the frame as the
// connection's reader and a buffer as its writer; finished replies go out
// whole, one at a time, in whatever order they finish, as Dubbo expects.
//
// What a connection may cost is bounded (limits.go): heartbeats and refusals
// are answered on the reading goroutine, a connection or server with too
// many calls in flight gets SERVER_THREADPOOL_EXHAUSTED_ERROR, a reply that
// its peer does not read within the write timeout closes the connection, and
// a frame that cannot be read (bad magic, a length over the limit that has
// not arrived) stops the reading: the calls in flight answer, then the
// connection closes.
type concurrentHandler struct {
	remote.ServerTransHandler // Kitex's netpoll handler around the Dubbo codec
	opt                       *remote.ServerOption
	codec                     *DubboCodec
	inFlight                  atomic.Int64 // calls being served on all connections
	kept                      atomic.Int64 // finished calls kept for the next (call.go)
	workers                   *workers
}

// connState is one connection's share of the handler.
type connState struct {
	mu sync.Mutex // guards pending, spare, flushing, free and gone
	// Replies that finish while another is being flushed wait in pending
	// and go out together in one flush: under load a connection has many
	// calls finishing at once, and a syscall each would dominate.
	pending, spare []byte
	flushing       bool
	free           []*call // finished calls, for the next ones
	gone           bool    // the connection closed: keep no more calls
	inFlight       atomic.Int64
	calls          sync.WaitGroup
	closing        atomic.Bool // reading stopped: close once the calls in flight answered
}

type connStateKey struct{}

// closeWait bounds how long a connection that stopped reading waits for its
// calls in flight before it closes anyway.
const closeWait = 30 * time.Second

// OnActive gives the connection its state and the write timeout.
func (h *concurrentHandler) OnActive(ctx context.Context, conn net.Conn) (context.Context, error) {
	ctx, err := h.ServerTransHandler.OnActive(ctx, conn)
	if npc, ok := conn.(np.Connection); ok {
		_ = npc.SetWriteTimeout(h.codec.opts.writeTimeout)
	}
	return context.WithValue(ctx, connStateKey{}, &connState{}), err
}

// OnInactive lets the connection's kept calls go.
func (h *concurrentHandler) OnInactive(ctx context.Context, conn net.Conn) {
	if st, _ := ctx.Value(connStateKey{}).(*connState); st != nil {
		st.dropCalls(h)
	}
	h.ServerTransHandler.OnInactive(ctx, conn)
}

// OnRead takes one frame. A sound request is served concurrently; the rest is
// answered here.
func (h *concurrentHandler) OnRead(ctx context.Context, conn net.Conn) error {
	npc, ok := conn.(np.Connection)
	st, _ := ctx.Value(connStateKey{}).(*connState)
	if !ok || st == nil {
		return h.ServerTransHandler.OnRead(ctx, conn)
	}
	r := npc.Reader()
	if st.closing.Load() {
		// netpoll calls OnRead until the input is consumed: drop it.
		_ = r.Skip(r.Len())
		return r.Release()
	}
	hb, err := r.Peek(HeaderLength)
	if err != nil {
		return err
	}
	n := int(int32(binary.BigEndian.Uint32(hb[12:HeaderLength])))
	if hb[0] != MagicHigh || hb[1] != MagicLow || n < 0 || n > h.codec.opts.maxPayload {
		return h.refuse(ctx, npc, st)
	}
	flag, id := hb[2], int64(binary.BigEndian.Uint64(hb[4:12]))
	request, twoWay := flag&FlagRequest != 0, flag&FlagTwoWay != 0
	total := HeaderLength + n
	if !h.codec.reserve(total) {
		if r.Len() < total {
			// Waiting for the rest is what the limit is there to refuse.
			return h.refuseArriving(ctx, npc, st, id, request && twoWay, h.codec.pendingFull(total).detail)
		}
		return h.busy(ctx, npc, st, id, request && twoWay, total, h.codec.pendingFull(total).detail)
	}
	switch {
	case !request:
		// A response sent to a server (a late heartbeat reply): nothing to do.
		defer h.codec.unreserve(total)
		if err := r.Skip(total); err != nil {
			return err
		}
		return r.Release()
	case flag&FlagEvent != 0 && n <= heartbeatMax:
		defer h.codec.unreserve(total)
		return h.event(npc, st, id, twoWay, total)
	case st.inFlight.Load() >= int64(h.codec.opts.maxConnCalls):
		defer h.codec.unreserve(total)
		return h.busy(ctx, npc, st, id, twoWay, total, fmt.Sprintf(
			"%d calls in flight on this connection (dubbo.WithMaxConnCalls)", h.codec.opts.maxConnCalls))
	case h.inFlight.Load() >= int64(h.codec.opts.maxServerCalls):
		defer h.codec.unreserve(total)
		return h.busy(ctx, npc, st, id, twoWay, total, fmt.Sprintf(
			"%d calls in flight on this server (dubbo.WithMaxServerCalls)", h.codec.opts.maxServerCalls))
	}
	frame, err := r.Slice(total)
	if err != nil {
		h.codec.unreserve(total)
		return err
	}
	c := st.newCall(ctx, h, npc, frame, total)
	h.inFlight.Add(1)
	st.inFlight.Add(1)
	st.calls.Add(1)
	h.workers.run(c)
	return nil
}

// heartbeatMax is the largest event body answered on the reading goroutine;
// a heartbeat's is one byte.
const heartbeatMax = 64

// event answers a heartbeat without a goroutine, and drops other events (a
// Kitex server is never readonly, so it needs no readonly event either).
func (h *concurrentHandler) event(npc np.Connection, st *connState, id int64, twoWay bool, total int) error {
	b, err := npc.Reader().Next(total)
	if err != nil {
		return err
	}
	beat := IsHeartbeatBody(b[HeaderLength:]) && b[2]&SerializationMask == SerializationHessian2
	_ = npc.Reader().Release()
	if !beat || !twoWay {
		return nil
	}
	reply := AppendHeartbeatBody(AppendHeader(make([]byte, 0, HeaderLength+1),
		Header{Event: true, Serialization: SerializationHessian2, Status: StatusOK, ID: id, BodyLength: 1}))
	return h.write(npc, st, reply)
}

// busy refuses a request for a limit with SERVER_THREADPOOL_EXHAUSTED_ERROR,
// dropping its frame (held within WithMaxPendingBytes while it arrives); the
// connection serves on.
func (h *concurrentHandler) busy(ctx context.Context, npc np.Connection, st *connState, id int64, answer bool, total int, detail string) error {
	r := npc.Reader()
	if err := r.Skip(total); err != nil {
		return err
	}
	_ = r.Release()
	klog.CtxWarnf(ctx, "KITEX: dubbo: refused request %d from %v: %s", id, npc.RemoteAddr(), detail)
	if !answer {
		return nil
	}
	return h.write(npc, st, exhaustedReply(npc, id, detail))
}

// refuseArriving answers a request refused before its frame has arrived:
// the rest of it cannot be skipped without being received, so the connection
// stops reading and closes after its calls in flight.
func (h *concurrentHandler) refuseArriving(ctx context.Context, npc np.Connection, st *connState, id int64, answer bool, detail string) error {
	if answer {
		if err := h.write(npc, st, exhaustedReply(npc, id, detail)); err != nil {
			return err
		}
	}
	h.stopReading(ctx, npc, st, errors.New(detail))
	return nil
}

func exhaustedReply(npc np.Connection, id int64, detail string) []byte {
	b := AppendErrorBody(AppendHeader(nil, Header{Serialization: SerializationHessian2,
		Status: StatusServerThreadpoolExhaustedError, ID: id}), exhaustedMessage(ipPort(npc.LocalAddr()), detail))
	PutBodyLength(b, len(b)-HeaderLength)
	return b
}

// refuse serves a frame whose header the concurrent path cannot take (bad
// magic, a length out of bounds) in line, through the codec, which answers
// what has an id to answer to. If the codec could not consume the frame, the
// connection stops reading and closes once its calls in flight answered.
func (h *concurrentHandler) refuse(ctx context.Context, npc np.Connection, st *connState) error {
	fc := &frameConn{Connection: npc, r: npc.Reader(), w: np.NewLinkBuffer()}
	// Close, not Release: Release keeps the last node, which would go to the
	// garbage collector with the buffer instead of back to netpoll's pool.
	defer fc.w.Close()
	if err := h.serve(ctx, fc, st); err != nil {
		h.stopReading(ctx, npc, st, err)
	}
	return nil
}

// stopReading drops whatever the connection sends from now on and closes it
// when its calls in flight have answered (within closeWait).
func (h *concurrentHandler) stopReading(ctx context.Context, npc np.Connection, st *connState, why error) {
	if !st.closing.CompareAndSwap(false, true) {
		return
	}
	klog.CtxWarnf(ctx, "KITEX: dubbo: closing the connection from %v after %d calls in flight answer: %v",
		npc.RemoteAddr(), st.inFlight.Load(), why)
	r := npc.Reader()
	_ = r.Skip(r.Len())
	_ = r.Release()
	go func() {
		done := make(chan struct{})
		go func() {
			st.calls.Wait()
			close(done)
		}()
		t := time.NewTimer(closeWait)
		defer t.Stop()
		select {
		case <-done:
		case <-t.C:
		}
		npc.Close()
	}()
}

// serve runs one request through the default handler and sends its reply,
// which the handler writes into fc.w.
func (h *concurrentHandler) serve(ctx context.Context, fc *frameConn, st *connState) error {
	err := h.ServerTransHandler.OnRead(ctx, fc)
	if fc.w.Len() > 0 {
		b, _ := fc.w.Next(fc.w.Len())
		fc.replied = len(b)
		if werr := h.write(fc.Connection, st, b); err == nil {
			err = werr
		}
	}
	return err
}

// write sends a whole reply b. The first writer to find no flush in
// progress flushes its own reply and then what others left in pending
// meanwhile (copied there, since their callers reuse their buffers); an
// error is the flusher's, and aborts the connection.
//
// A multiplexing consumer (Dubbo-Java's one connection per provider) has
// many calls in flight on a connection, finishing close together. When
// others are in flight, the flusher first lets the goroutines ready to run
// go ahead, so that replies finishing meanwhile join its write: the consumer
// then reads a few large segments instead of one per reply, as Dubbo-Java's
// own provider batches its writes. A connection with one call at a time
// (Kitex's pooled clients) never waits.
func (h *concurrentHandler) write(c np.Connection, st *connState, b []byte) error {
	st.mu.Lock()
	if st.flushing {
		st.pending = append(st.pending, b...)
		st.mu.Unlock()
		return nil
	}
	st.flushing = true
	st.mu.Unlock()
	if st.inFlight.Load() > 1 {
		runtime.Gosched()
	}
	st.mu.Lock()
	out := st.takePending()
	st.mu.Unlock()
	err := writeReply(c, b, out) // done with b when it returns: netpoll's flush waits
	st.mu.Lock()
	st.recycle(out)
	// Until flushing is cleared, under the lock that writers check it with,
	// whatever they left in pending is this flusher's to send.
	for err == nil && len(st.pending) > 0 {
		out = st.takePending()
		st.mu.Unlock()
		err = writeReply(c, out, nil)
		st.mu.Lock()
		st.recycle(out)
	}
	if err != nil {
		st.pending = nil
	}
	st.flushing = false
	st.mu.Unlock()
	return err
}

// takePending hands over what waits in pending, leaving the spare buffer in
// its place; st.mu is held.
func (st *connState) takePending() []byte {
	out := st.pending
	st.pending, st.spare = st.spare[:0], nil
	return out
}

// recycle keeps a sent buffer as the spare, unless it grew past what is
// worth keeping; st.mu is held.
func (st *connState) recycle(out []byte) {
	if st.spare == nil && cap(out) <= maxPooledFrame {
		st.spare = out[:0]
	}
}

// writeReply sends whole replies, b and then more, in one flush. A slow
// call can outlive its connection (the consumer went away), and netpoll's
// writer panics once the connection has released its buffers: that reply
// is dropped as undeliverable. A peer that does not read makes the flush
// fail after the write timeout, and the connection is aborted.
func writeReply(c np.Connection, b, more []byte) (err error) {
	if !c.IsActive() {
		return np.ErrConnClosed
	}
	defer func() {
		if recover() != nil {
			err = np.ErrConnClosed
		}
	}()
	w := c.Writer()
	if _, err = w.WriteBinary(b); err == nil && len(more) > 0 {
		_, err = w.WriteBinary(more)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		abort(c)
	}
	return err
}

// abort closes a connection whose writes fail (its peer stopped reading past
// the write timeout) at once: with linger 0 the kernel resets it instead of
// keeping the unsent replies, up to the socket buffer's size, for a peer
// that will not read them.
func abort(c np.Connection) {
	if f, ok := c.(interface{ Fd() int }); ok {
		_ = syscall.SetsockoptLinger(f.Fd(), syscall.SOL_SOCKET, syscall.SO_LINGER, &syscall.Linger{Onoff: 1})
	}
	_ = c.Close()
}

// frameConn is the connection as one call sees it: its request frame to read,
// a buffer to write the reply into.
type frameConn struct {
	np.Connection
	r       np.Reader
	w       *np.LinkBuffer
	replied int // the reply's length
}

func (c *frameConn) Reader() np.Reader { return c.r }
func (c *frameConn) Writer() np.Writer { return c.w }

// SetReadTimeout does nothing: the frame is read already, and the connection's
// own timeout is its reader's business, not each call's.
func (c *frameConn) SetReadTimeout(time.Duration) error { return nil }

// SetInvokeHandleFunc and GracefulShutdown reach the wrapped handler, which
// Kitex finds only through these optional interfaces.
func (h *concurrentHandler) SetInvokeHandleFunc(ep endpoint.Endpoint) {
	if s, ok := h.ServerTransHandler.(remote.InvokeHandleFuncSetter); ok {
		s.SetInvokeHandleFunc(ep)
	}
}

// GracefulShutdown also lets the calls in flight finish and send their
// replies, until ctx (Kitex's exit wait time) runs out, as a Dubbo-Java
// provider does before it closes its connections.
func (h *concurrentHandler) GracefulShutdown(ctx context.Context) error {
	defer h.workers.stop()
	var err error
	if g, ok := h.ServerTransHandler.(remote.GracefulShutdown); ok {
		err = g.GracefulShutdown(ctx)
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for h.inFlight.Load() > 0 {
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-tick.C:
		}
	}
	return err
}
