package dubbo

import (
	"context"

	"github.com/cloudwego/kitex/pkg/rpcinfo"
	np "github.com/cloudwego/netpoll"
)

// call is one request on its way through a worker, with what serving it
// takes: the frame as its connection's reader, a buffer for the reply, and
// an RPCInfo of its own (the connection's one is shared by every call on it)
// in a context made from the connection's.
//
// A finished call stays with its connection for the next request (its
// connState's free list): Kitex's handler resets the RPCInfo at the end of
// each call for the same connection (with its rpcinfo pool on, the default),
// so the next call on it finds the RPCInfo, its context and the reply
// buffer ready. A connection keeps no more calls than it had in flight at
// once, the server no more than WithMaxServerCalls in all (a few KiB each:
// the reply buffer keeps one node of up to maxKeptReply), and a closed
// connection lets its calls go.
type call struct {
	h     *concurrentHandler
	st    *connState
	total int
	fc    frameConn
	ctx   context.Context
	ri    rpcinfo.RPCInfo
}

// newCall takes a free call of the connection, or makes one.
func (st *connState) newCall(ctx context.Context, h *concurrentHandler, npc np.Connection, frame np.Reader, total int) *call {
	var c *call
	st.mu.Lock()
	if n := len(st.free); n > 0 {
		c = st.free[n-1]
		st.free[n-1] = nil
		st.free = st.free[:n-1]
		h.kept.Add(-1)
	}
	st.mu.Unlock()
	if c == nil {
		c = &call{h: h, st: st, fc: frameConn{Connection: npc, w: np.NewLinkBuffer()}}
	}
	c.total, c.fc.r, c.fc.replied = total, frame, 0
	if c.ri == nil || !rpcinfo.PoolEnabled() {
		c.ri = h.opt.InitOrResetRPCInfoFunc(nil, npc.RemoteAddr())
		c.ctx = rpcinfo.NewCtxWithRPCInfo(ctx, c.ri)
	}
	return c
}

// maxKeptReply is the largest reply whose buffer a free call keeps.
const maxKeptReply = 16 << 10

func (c *call) run() {
	h, st := c.h, c.st
	err := h.serve(c.ctx, &c.fc, st)
	if err != nil {
		h.OnError(c.ctx, err, c.fc.Connection)
		c.fc.Connection.Close()
	}
	_ = c.fc.r.Release()
	c.fc.r = nil
	h.codec.unreserve(c.total)
	// The reply buffer keeps its last node for the next reply, unless this
	// one failed half written or grew it past what is worth keeping.
	keep := err == nil && c.fc.w.MallocLen() == 0 && c.fc.w.Len() == 0 && c.fc.replied <= maxKeptReply
	if keep {
		_ = c.fc.w.Release()
		st.mu.Lock()
		if keep = !st.gone && h.kept.Load() < int64(h.codec.opts.maxServerCalls); keep {
			st.free = append(st.free, c)
			h.kept.Add(1)
		}
		st.mu.Unlock()
	}
	if !keep {
		// Close, not Release: the buffer's nodes go back to netpoll's pool.
		_ = c.fc.w.Close()
	}
	st.inFlight.Add(-1)
	h.inFlight.Add(-1)
	st.calls.Done()
}

// dropCalls lets a closed connection's free calls go.
func (st *connState) dropCalls(h *concurrentHandler) {
	st.mu.Lock()
	st.gone = true
	h.kept.Add(-int64(len(st.free)))
	free := st.free
	st.free = nil
	st.mu.Unlock()
	for _, c := range free {
		_ = c.fc.w.Close()
	}
}
