package dubbo

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudwego/kitex/pkg/endpoint"
	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/pkg/rpcinfo"
	np "github.com/cloudwego/netpoll"
)

// A Dubbo consumer multiplexes every call to a provider over one connection
// (Dubbo-Java shares a single connection per provider by default), while
// Kitex's default server handler serves a connection's requests one after
// another: one slow call would hold up all the others, and time them out.
// concurrentHandler reads each frame off the connection and serves it on a
// goroutine of its own through the default handler, with the frame as the
// connection's reader and a buffer as its writer; finished replies go out
// whole, one at a time, in whatever order they finish, as Dubbo expects.
type concurrentHandler struct {
	remote.ServerTransHandler // Kitex's netpoll handler around the Dubbo codec
	opt                       *remote.ServerOption
	maxPayload                int
	inFlight                  atomic.Int64 // calls being served, for GracefulShutdown
}

type writeLockKey struct{}

// OnActive gives the connection the lock its replies share.
func (h *concurrentHandler) OnActive(ctx context.Context, conn net.Conn) (context.Context, error) {
	ctx, err := h.ServerTransHandler.OnActive(ctx, conn)
	return context.WithValue(ctx, writeLockKey{}, new(sync.Mutex)), err
}

// OnRead takes one whole frame, when its header is sound, and serves it
// concurrently. Anything else (bad magic, a length over the limit) is served
// in line by the codec, which answers and closes as Dubbo-Java does.
func (h *concurrentHandler) OnRead(ctx context.Context, conn net.Conn) error {
	npc, ok := conn.(np.Connection)
	mu, _ := ctx.Value(writeLockKey{}).(*sync.Mutex)
	if !ok || mu == nil {
		return h.ServerTransHandler.OnRead(ctx, conn)
	}
	r := npc.Reader()
	hdr, err := r.Peek(HeaderLength)
	if err != nil {
		return err
	}
	n := int(binary.BigEndian.Uint32(hdr[12:HeaderLength]))
	if hdr[0] != MagicHigh || hdr[1] != MagicLow || n < 0 || n > h.maxPayload {
		return h.serve(ctx, &frameConn{Connection: npc, r: r}, mu)
	}
	frame, err := r.Slice(HeaderLength + n)
	if err != nil {
		return err
	}
	// Each call its own RPCInfo: the connection's one is shared by every call on it.
	ri := h.opt.InitOrResetRPCInfoFunc(nil, conn.RemoteAddr())
	callCtx := rpcinfo.NewCtxWithRPCInfo(ctx, ri)
	h.inFlight.Add(1)
	go func() {
		defer h.inFlight.Add(-1)
		if err := h.serve(callCtx, &frameConn{Connection: npc, r: frame}, mu); err != nil {
			h.OnError(callCtx, err, conn)
			npc.Close()
		}
	}()
	return nil
}

// serve runs one request through the default handler and sends its reply.
func (h *concurrentHandler) serve(ctx context.Context, fc *frameConn, mu *sync.Mutex) error {
	fc.w = np.NewLinkBuffer()
	defer fc.w.Release()
	err := h.ServerTransHandler.OnRead(ctx, fc)
	if fc.w.Len() > 0 {
		b, _ := fc.w.Next(fc.w.Len())
		mu.Lock()
		werr := writeReply(fc.Connection, b)
		mu.Unlock()
		if err == nil {
			err = werr
		}
	}
	return err
}

// writeReply sends one whole reply. A slow call can outlive its connection
// (the consumer went away), and netpoll's writer panics once the connection
// has released its buffers: that reply is dropped as undeliverable.
func writeReply(c np.Connection, b []byte) (err error) {
	if !c.IsActive() {
		return np.ErrConnClosed
	}
	defer func() {
		if recover() != nil {
			err = np.ErrConnClosed
		}
	}()
	w := c.Writer()
	if _, err = w.WriteBinary(b); err != nil {
		return err
	}
	return w.Flush()
}

// frameConn is the connection as one call sees it: its request frame to read,
// a buffer to write the reply into.
type frameConn struct {
	np.Connection
	r np.Reader
	w *np.LinkBuffer
}

func (c *frameConn) Reader() np.Reader { return c.r }
func (c *frameConn) Writer() np.Writer { return c.w }

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

// SetReadTimeout does nothing: the frame is read already, and the connection's
// own timeout is its reader's business, not each call's.
func (c *frameConn) SetReadTimeout(time.Duration) error { return nil }
