package dubbo

// What a server holds for its peers, and the bounds on it. Every byte a peer
// sends may be hostile, so the work and memory a request can cost are bounded
// at each level:
//
//	per body        the decoding budget (WithDecodeBudget): about 16x the body
//	per frame       the payload limit (WithMaxPayload): 8 MiB
//	per connection  calls in flight (WithMaxConnCalls), and the write timeout
//	                (WithWriteTimeout) for a peer that stops reading
//	per server      calls in flight (WithMaxServerCalls) and request bytes held
//	                (WithMaxPendingBytes); finished calls kept for the next,
//	                no more than WithMaxServerCalls, each a few KiB (call.go)
//
// The connection and server bounds are the server factory's
// (NewSvrTransHandlerFactory), which serves a connection's calls
// concurrently; with server.WithCodec alone, Kitex serves one call per
// connection at a time, and only the frames still arriving count against
// WithMaxPendingBytes.

import (
	"fmt"
	"net"
	"time"

	"github.com/cloudwego/kitex/pkg/rpcinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

const (
	// DefaultMaxConnCalls is Dubbo-Java's default provider thread pool size.
	DefaultMaxConnCalls = 200
	// DefaultMaxServerCalls bounds the goroutines serving calls in one server.
	DefaultMaxServerCalls = 4096
	// DefaultMaxPendingBytes is eight frames of the default payload limit.
	DefaultMaxPendingBytes = 64 << 20
	// DefaultWriteTimeout is how long a reply may wait for its peer to read.
	DefaultWriteTimeout = 10 * time.Second
)

// decoder returns a pooled Decoder over body with the codec's budget.
func (c *DubboCodec) decoder(body []byte) *hessian2.Decoder {
	d := getDecoder(body)
	d.SetBudget(c.opts.budgetFactor*len(body) + c.opts.budgetBase)
	d.SetReflectOnly(c.opts.reflectOnly)
	return d
}

// reserve counts n bytes of requests against the server's WithMaxPendingBytes,
// false if they do not fit.
func (c *DubboCodec) reserve(n int) bool {
	if c.pending.Add(int64(n)) > c.opts.maxPendingBytes {
		c.pending.Add(-int64(n))
		return false
	}
	return true
}

func (c *DubboCodec) unreserve(n int) { c.pending.Add(-int64(n)) }

// errServerBusy is the reason a request was refused for a server-wide limit.
type errServerBusy struct{ detail string }

func (e *errServerBusy) Error() string { return e.detail }

func (c *DubboCodec) pendingFull(n int) *errServerBusy {
	return &errServerBusy{fmt.Sprintf("a %d-byte request would put the server's held request bytes past %d (dubbo.WithMaxPendingBytes)", n, c.opts.maxPendingBytes)}
}

// localAddr is the server's address as Dubbo-Java's messages write it: "ip,port".
func localAddr(ri rpcinfo.RPCInfo) string {
	if ri == nil || ri.To() == nil || ri.To().Address() == nil {
		return "kitex"
	}
	return ipPort(ri.To().Address())
}

func ipPort(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host + "," + port
}

// exhaustedMessage is SERVER_THREADPOOL_EXHAUSTED_ERROR's text, in Dubbo-Java's
// words (AllChannelHandler's feedback) with our reason as the detail.
func exhaustedMessage(local, detail string) string {
	return "Server side(" + local + ") thread pool is exhausted, detail msg:" + detail
}
