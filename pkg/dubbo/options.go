package dubbo

import (
	"slices"
	"strings"
)

// Option configures a DubboCodec.
type Option func(*options)

type options struct {
	javaClassName string // Java interface; "" = the IDL's JavaClassName annotation
	version       string // service version; "" = none
	group         string // service group; "" = none
	maxPayload    int    // body length limit, both directions
	tagKeys       []string
}

func newOptions(opts []Option) options {
	o := options{maxPayload: DefaultMaxPayload, tagKeys: []string{TagAttachment}}
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
