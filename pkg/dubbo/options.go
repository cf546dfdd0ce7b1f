package dubbo

import (
	"slices"
	"strings"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/hessian2"
)

// Option configures a DubboCodec.
type Option func(*options)

type options struct {
	javaClassName string // Java interface; "" = the IDL's JavaClassName annotation
	version       string // service version; "" = none
	group         string // service group; "" = none
	maxPayload    int    // body length limit, both directions
	tagKeys       []string

	budgetFactor, budgetBase int  // decoding budget of a body: factor*len + base
	reflectOnly              bool // ignore kitexdubbo-gen's methods (WithReflection)

	// The server factory's limits (see limits.go).
	maxConnCalls    int
	maxServerCalls  int
	maxPendingBytes int64
	writeTimeout    time.Duration
}

func newOptions(opts []Option) options {
	o := options{
		maxPayload:      DefaultMaxPayload,
		tagKeys:         []string{TagAttachment},
		budgetFactor:    hessian2.DefaultBudgetFactor,
		budgetBase:      hessian2.DefaultBudgetBase,
		maxConnCalls:    DefaultMaxConnCalls,
		maxServerCalls:  DefaultMaxServerCalls,
		maxPendingBytes: DefaultMaxPendingBytes,
		writeTimeout:    DefaultWriteTimeout,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// WithJavaClassName sets the Java interface the service stands for
// ("org.example.GreetProvider"): the path a client writes in requests and the
// one a server answers to. Without it the IDL's service annotation
// JavaClassName is used. An empty name leaves the default.
func WithJavaClassName(iface string) Option {
	return func(o *options) {
		if iface = strings.TrimSpace(iface); iface != "" {
			o.javaClassName = iface
		}
	}
}

// WithServiceVersion sets the Dubbo service version: sent by a client, and
// required of callers by a server, as a Dubbo-Java provider exported with that
// version would (the empty version and "0.0.0" are the same).
func WithServiceVersion(v string) Option {
	return func(o *options) { o.version = strings.TrimSpace(v) }
}

// WithServiceGroup sets the Dubbo service group, sent and checked like the version.
func WithServiceGroup(g string) Option {
	return func(o *options) { o.group = strings.TrimSpace(g) }
}

// WithMaxPayload limits a body's length in bytes in both directions (Dubbo's
// "payload" setting; DefaultMaxPayload, 8 MiB, unless set). A non-positive n
// keeps the default: reading a peer's length unchecked would let one header
// make the server buffer up to 2 GiB.
func WithMaxPayload(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.maxPayload = n
		}
	}
}

// TagAttachment is the attachment Dubbo's tag routing reads ("dubbo.tag").
const TagAttachment = "dubbo.tag"

// WithTagKeys names the Kitex tags that travel as Dubbo attachments of the same
// key (TagAttachment by default): a client sends the callee's tags (client.WithTag,
// callopt.WithTag) with those keys, and a server sets the attachments with those
// keys as tags of the caller's endpoint (rpcinfo From().Tag). Kitex tags cannot be
// listed, hence the names.
func WithTagKeys(keys ...string) Option {
	return func(o *options) {
		for _, k := range keys {
			if k = strings.TrimSpace(k); k != "" && !slices.Contains(o.tagKeys, k) {
				o.tagKeys = append(o.tagKeys, k)
			}
		}
	}
}

// WithDecodeBudget bounds what decoding one body may allocate: factor bytes
// per body byte plus base (hessian2.DefaultBudgetFactor and
// DefaultBudgetBase: 16 and 64 KiB). A request past it is answered
// BAD_REQUEST naming the budget; a response past it fails the call. Only
// values read into `any` (java.Object) and POJOs of nearly all null fields
// come near the default. Non-positive values keep the defaults.
func WithDecodeBudget(factor, base int) Option {
	return func(o *options) {
		if factor > 0 {
			o.budgetFactor = factor
		}
		if base > 0 {
			o.budgetBase = base
		}
	}
}

// WithMaxConnCalls limits the calls in flight on one connection of a server
// built with NewSvrTransHandlerFactory (DefaultMaxConnCalls, as many as
// Dubbo-Java's default thread pool). A request past it is answered at once
// with SERVER_THREADPOOL_EXHAUSTED_ERROR, as Dubbo-Java answers when its pool
// is full. Non-positive n keeps the default.
func WithMaxConnCalls(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.maxConnCalls = n
		}
	}
}

// WithMaxServerCalls limits the calls in flight on all connections of a server
// built with NewSvrTransHandlerFactory (DefaultMaxServerCalls), answered past
// it as WithMaxConnCalls is. Non-positive n keeps the default.
func WithMaxServerCalls(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.maxServerCalls = n
		}
	}
}

// WithMaxPendingBytes limits the request bytes a server holds across all its
// connections (DefaultMaxPendingBytes): frames still arriving and, with
// NewSvrTransHandlerFactory, frames whose calls are in flight. A frame that
// would pass it is answered SERVER_THREADPOOL_EXHAUSTED_ERROR; if it has not
// fully arrived, its connection is closed once its calls in flight answer.
// Non-positive n keeps the default.
func WithMaxPendingBytes(n int64) Option {
	return func(o *options) {
		if n > 0 {
			o.maxPendingBytes = n
		}
	}
}

// WithWriteTimeout is how long a server built with NewSvrTransHandlerFactory
// waits to write a reply to a peer that does not read (DefaultWriteTimeout)
// before closing the connection. Non-positive d keeps the default.
func WithWriteTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.writeTimeout = d
		}
	}
}

// WithReflection makes the codec read and write every value by reflection,
// ignoring the Hessian2 methods kitexdubbo-gen generates: for comparing the
// two paths, or ruling the generated code out when chasing a problem. It is
// slower; the bytes and values are the same.
func WithReflection() Option {
	return func(o *options) { o.reflectOnly = true }
}
