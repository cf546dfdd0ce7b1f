package zookeeper

import (
	"time"

	"github.com/cloudwego/kitex/pkg/serviceinfo"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
)

// RegisterMode says which entries a provider writes, as Dubbo's
// dubbo.application.register-mode does.
type RegisterMode int

const (
	// RegisterAll writes both (Dubbo 3's default): every consumer finds it.
	RegisterAll RegisterMode = iota
	// RegisterInterface writes only /dubbo/<iface>/providers, what Dubbo 2 reads.
	RegisterInterface
	// RegisterInstance writes only /services/<app> and the mapping.
	RegisterInstance
)

// Discovery says which entries a resolver reads, as Dubbo's migration step does.
type Discovery int

const (
	// DiscoveryApplicationFirst reads both, and takes the application-level
	// instances when there are any, else the interface-level ones (Dubbo
	// 3.3's default, APPLICATION_FIRST).
	DiscoveryApplicationFirst Discovery = iota
	// DiscoveryInterface reads only /dubbo/<iface>/providers (FORCE_INTERFACE).
	DiscoveryInterface
	// DiscoveryApplication reads only the mapping and /services (FORCE_APPLICATION).
	DiscoveryApplication
)

func (d Discovery) String() string {
	switch d {
	case DiscoveryInterface:
		return "interface"
	case DiscoveryApplication:
		return "application"
	}
	return "application_first"
}

// Option configures a registry or a resolver.
type Option func(*options)

type service struct {
	codec   *dubbo.DubboCodec
	svcInfo *serviceinfo.ServiceInfo
}

type options struct {
	sessionTimeout   time.Duration
	connectTimeout   time.Duration
	fetchTimeout     time.Duration
	root             string
	registerMode     RegisterMode
	discovery        Discovery
	services         []service
	codec            *dubbo.DubboCodec
	application      string
	host             string
	registerConsumer bool
}

func newOptions(opts []Option) *options {
	o := &options{
		sessionTimeout:   DefaultSessionTimeout,
		connectTimeout:   DefaultConnectTimeout,
		fetchTimeout:     DefaultFetchTimeout,
		root:             "dubbo",
		registerConsumer: true,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(o)
		}
	}
	return o
}

// Defaults.
const (
	// DefaultSessionTimeout is the ZooKeeper session timeout asked for: how
	// long after this process dies its entries vanish. Dubbo asks 60s; a server
	// with the default tickTime (2s) grants at most 40s.
	DefaultSessionTimeout = 30 * time.Second
	// DefaultConnectTimeout bounds waiting for the first session.
	DefaultConnectTimeout = 10 * time.Second
	// DefaultFetchTimeout bounds one metadata fetch from an instance.
	DefaultFetchTimeout = 5 * time.Second
)

// WithService names a Dubbo service a registry registers: svcInfo (the
// generated NewServiceInfo()) as codec presents it, so its Java interface,
// methods, version and group are those the codec's options give. Call it
// once per service the server serves; with application-level registration,
// codec also answers Dubbo's MetadataService for the application.
func WithService(codec *dubbo.DubboCodec, svcInfo *serviceinfo.ServiceInfo) Option {
	return func(o *options) {
		if codec != nil && svcInfo != nil {
			o.services = append(o.services, service{codec, svcInfo})
		}
	}
}

// WithCodec is the client codec a resolver reads the Java interface, version
// and group from (with the call's service info). Without it the Kitex
// target service name stands for the interface, with no version or group.
func WithCodec(codec *dubbo.DubboCodec) Option {
	return func(o *options) { o.codec = codec }
}

// WithRegisterMode chooses the entries a registry writes (RegisterAll).
func WithRegisterMode(m RegisterMode) Option { return func(o *options) { o.registerMode = m } }

// WithDiscovery chooses the entries a resolver reads (DiscoveryApplicationFirst).
func WithDiscovery(d Discovery) Option { return func(o *options) { o.discovery = d } }

// WithApplication sets the Dubbo application name: a provider's (default:
// the Kitex server's service name, server.WithServerBasicInfo) or a
// consumer's (default: the client's, client.WithClientBasicInfo).
func WithApplication(app string) Option { return func(o *options) { o.application = app } }

// WithHost sets the address written for this process, when the listen
// address is not the one callers should dial (0.0.0.0, a NAT).
func WithHost(host string) Option { return func(o *options) { o.host = host } }

// WithRoot sets the root node under which interface-level entries and
// mappings live (Dubbo's registry group; default "dubbo").
func WithRoot(root string) Option {
	return func(o *options) {
		if root != "" {
			o.root = root
		}
	}
}

// WithSessionTimeout sets the session timeout asked for (DefaultSessionTimeout).
func WithSessionTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.sessionTimeout = d
		}
	}
}

// WithConnectTimeout bounds the wait for the first session, and how long a
// registration waits out a lost connection before it fails (DefaultConnectTimeout).
func WithConnectTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.connectTimeout = d
		}
	}
}

// WithFetchTimeout bounds one metadata fetch (DefaultFetchTimeout).
func WithFetchTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.fetchTimeout = d
		}
	}
}

// WithoutConsumerRegistration keeps a resolver from writing its consumer
// entry under /dubbo/<iface>/consumers (which Dubbo's admin tools list).
func WithoutConsumerRegistration() Option { return func(o *options) { o.registerConsumer = false } }
